// The private ballot keys on the counting host (DESIGN.md §4, issue 8): one
// file per key in `key_dir`, named after the public key's fingerprint, mode
// 0600 in a 0700 directory. Never in the database, never on a web host;
// only urna-tally links this. Thread safety: none needed (batch program).
// Errors throw KeyDirError with a message naming the file (never the key).
#ifndef URNA_COUNT_KEY_DIR_H_
#define URNA_COUNT_KEY_DIR_H_

#include <optional>
#include <stdexcept>
#include <string>

namespace urna::count {

class KeyDirError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "<32 hex digits>.key": the fingerprint's digits of `public_key` (raw).
std::string key_file_name(const std::string& public_key);

struct NewKey {
  std::string public_key;  // raw 32 bytes
  std::string path;        // the private key's file
};

// Generates a key pair and writes the private key to a new file in `dir`
// (created 0700 if missing), mode 0600, never overwriting one. Throws
// KeyDirError when the directory or the file cannot be made.
NewKey create_key(const std::string& dir);

// The private key for `public_key` (raw), or nullopt when `dir` has no file
// for it. Throws KeyDirError when the file is unreadable, malformed, not a
// 0600-or-stricter file, or holds a key whose public key is another.
std::optional<std::string> load_private_key(const std::string& dir, const std::string& public_key);

// Overwrites and deletes the private key file of `public_key`. Returns false
// when there was none. Throws KeyDirError when it cannot be removed.
bool forget_key(const std::string& dir, const std::string& public_key);

}  // namespace urna::count

#endif  // URNA_COUNT_KEY_DIR_H_
