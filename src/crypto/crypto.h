// Cryptographic primitives for urna, all from OpenSSL 3: random bytes,
// encodings, SHA-256, HMAC-SHA256, constant-time comparison, AES-256-GCM
// sealing, the scrypt KDF and voter passcodes. Byte strings are
// std::string holding raw bytes. Thread safety: every function may be called
// from any thread. Errors from OpenSSL throw CryptoError (never containing
// key or plaintext material).
#ifndef URNA_CRYPTO_CRYPTO_H_
#define URNA_CRYPTO_CRYPTO_H_

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace urna::crypto {

class CryptoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// n cryptographically secure random bytes (RAND_bytes).
std::string random_bytes(size_t n);

std::string hex_encode(const std::string& raw);
// nullopt on odd length or a non-hex character.
std::optional<std::string> hex_decode(const std::string& hex);
// RFC 4648 §5 without padding.
std::string base64url_encode(const std::string& raw);
// nullopt on a character outside the alphabet or an impossible length.
std::optional<std::string> base64url_decode(const std::string& s);

std::string sha256(const std::string& data);                           // 32 bytes
std::string hmac_sha256(const std::string& key, const std::string& data);  // 32 bytes
// Compares in time independent of where a and b differ (CRYPTO_memcmp);
// different lengths compare unequal.
bool constant_time_equal(const std::string& a, const std::string& b);

// AES-256-GCM. `key` must be 32 bytes. seal() returns
// nonce(12) || ciphertext || tag(16); open() returns nullopt when the key,
// the associated data or any byte is wrong.
std::string seal(const std::string& key, const std::string& plaintext,
                 const std::string& associated_data);
std::optional<std::string> open(const std::string& key, const std::string& sealed,
                                const std::string& associated_data);

struct ScryptParams {
  std::uint64_t n = 32768;  // power of two
  std::uint32_t r = 8;
  std::uint32_t p = 1;
};
// scrypt(password, salt) → `length` bytes (OpenSSL EVP_KDF "SCRYPT").
// Memory use is about 128 * n * r bytes.
std::string scrypt(const std::string& password, const std::string& salt,
                   const ScryptParams& params, size_t length = 32);

// A passcode for a voter to write down: 20 characters from a 32-symbol
// alphabet without look-alikes (100 bits), in groups: "7KQ2-M9XR-...".
std::string generate_passcode();
// Canonical form of a typed passcode: generated ones are compared without
// dashes/spaces and case-insensitively; others are used as typed (trimmed).
std::string normalize_passcode(const std::string& typed);

}  // namespace urna::crypto

#endif  // URNA_CRYPTO_CRYPTO_H_
