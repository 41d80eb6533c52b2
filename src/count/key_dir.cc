#include "count/key_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "crypto/ballot_box.h"
#include "crypto/crypto.h"

namespace urna::count {
namespace {

constexpr char kPrefix[] = "x25519-private:";

std::string path_of(const std::string& dir, const std::string& public_key) {
  return dir + "/" + key_file_name(public_key);
}

std::string errno_text() { return std::strerror(errno); }

}  // namespace

std::string key_file_name(const std::string& public_key) {
  std::string fp = crypto::ballot_key_fingerprint(public_key).substr(7);  // after "SHA256:"
  std::string hex;
  for (char c : fp)
    if (c != ':') hex += c;
  return hex + ".key";
}

NewKey create_key(const std::string& dir) {
  if (dir.empty()) throw KeyDirError("key_dir is empty");
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw KeyDirError("cannot create key_dir " + dir + ": " + errno_text());
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw KeyDirError("key_dir " + dir + " is not a directory");
  const crypto::BallotKeyPair k = crypto::generate_ballot_key();
  NewKey out{k.public_key, path_of(dir, k.public_key)};
  const int fd = ::open(out.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw KeyDirError("cannot create " + out.path + ": " + errno_text());
  const std::string text =
      "# urna private ballot key (urna-tally --keygen). Keep it on the counting\n"
      "# host only: never on a web host, never in the database.\n"
      "# public: " +
      crypto::format_ballot_key(k.public_key) + "\n" + kPrefix +
      crypto::base64url_encode(k.private_key) + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(out.path.c_str());
    throw KeyDirError("cannot write " + out.path);
  }
  return out;
}

std::optional<std::string> load_private_key(const std::string& dir, const std::string& public_key) {
  const std::string path = path_of(dir, public_key);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::nullopt;
    throw KeyDirError("cannot read " + path + ": " + errno_text());
  }
  if (!S_ISREG(st.st_mode)) throw KeyDirError(path + " is not a file");
  if (st.st_mode & 077)
    throw KeyDirError(path + " can be read by others (chmod 600 it): refusing to use it");
  std::ifstream in(path);
  if (!in) throw KeyDirError("cannot read " + path);
  std::string line, value;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.compare(0, sizeof kPrefix - 1, kPrefix) != 0 || !value.empty())
      throw KeyDirError(path + " is not an urna private ballot key file");
    value = line.substr(sizeof kPrefix - 1);
  }
  auto raw = crypto::base64url_decode(value);
  if (!raw || raw->size() != crypto::kBallotKeyBytes)
    throw KeyDirError(path + " is not an urna private ballot key file");
  if (crypto::ballot_public_key(*raw) != public_key)
    throw KeyDirError(path + " holds a key for another public key");
  return raw;
}

bool forget_key(const std::string& dir, const std::string& public_key) {
  const std::string path = path_of(dir, public_key);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;
    throw KeyDirError("cannot reach " + path + ": " + errno_text());
  }
  // Overwrite first, so the bytes are not left in the file's blocks on
  // simple file systems (journaling and SSDs may still keep copies: the
  // docs say to keep key_dir on an encrypted or tmpfs volume).
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    const std::string zeros(static_cast<size_t>(st.st_size), '\0');
    [[maybe_unused]] ssize_t w = ::write(fd, zeros.data(), zeros.size());
    ::fsync(fd);
    ::close(fd);
  }
  if (::unlink(path.c_str()) != 0) throw KeyDirError("cannot delete " + path + ": " + errno_text());
  return true;
}

}  // namespace urna::count
