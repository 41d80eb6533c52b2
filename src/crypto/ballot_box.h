// Sealing ballots to an election's public ballot key (DESIGN.md §4, issue
// 8): X25519 key agreement with a fresh ephemeral key per ballot, HKDF-SHA256
// to derive a one-time AES-256-GCM key, and the election id as associated
// data, all with OpenSSL 3's EVP API. Anyone may seal with the public key;
// only the holder of the private key (the counting host's key_dir, never
// the database or a web host) can open. Also the fixed-length padding that
// keeps a ciphertext's length from telling anything about the ballot.
// Thread safety: every function may be called from any thread. Errors throw
// crypto::CryptoError, whose messages never contain key or ballot material.
#ifndef URNA_CRYPTO_BALLOT_BOX_H_
#define URNA_CRYPTO_BALLOT_BOX_H_

#include <optional>
#include <string>

#include "crypto/crypto.h"

namespace urna::crypto {

constexpr size_t kBallotKeyBytes = 32;  // X25519 public and private keys
// Bytes a sealed ballot adds to its (padded) plaintext: version (1),
// ephemeral public key (32), nonce (12), tag (16).
constexpr size_t kSealedBallotOverhead = 1 + 32 + 12 + 16;

struct BallotKeyPair {
  std::string public_key;   // 32 raw bytes
  std::string private_key;  // 32 raw bytes; keep in key_dir only
};

// A fresh X25519 key pair (EVP_PKEY_keygen): the election's (urna-tally
// --keygen) or a ballot's ephemeral one.
BallotKeyPair generate_ballot_key();

// The public key of a private one (to check a key file against the
// published key). Throws CryptoError when `private_key` is not 32 bytes.
std::string ballot_public_key(const std::string& private_key);

// The published text form, as in election.yaml's `ballot_key:`:
// "x25519:" + base64url(public key, no padding).
std::string format_ballot_key(const std::string& public_key);
// nullopt unless `text` is exactly that form with a 32-byte key (surrounding
// spaces allowed).
std::optional<std::string> parse_ballot_key(const std::string& text);

// What a voter or officer compares: "SHA256:" and the first 16 bytes of
// sha256("urna ballot key v1\n" + public key) in hex, groups of 4 separated
// by ':' (e.g. "SHA256:1a2b:3c4d:..."), shown on the election page.
std::string ballot_key_fingerprint(const std::string& public_key);

// Seals `plaintext` to `public_key`; `context` (the election id) is bound as
// associated data, so a ciphertext moved to another election does not open.
// Returns 0x01 || ephemeral public key (32) || nonce (12) || ciphertext ||
// tag (16). Throws CryptoError for a key of the wrong size or a key OpenSSL
// rejects (e.g. a low-order point).
std::string seal_ballot(const std::string& public_key, const std::string& plaintext,
                        const std::string& context);

// Opening is in crypto/ballot_open.h, a separate library that only
// urna-tally links: the web binary has no code that opens a ballot.

// `plaintext` padded to exactly `size` bytes: a 4-byte big-endian length,
// the plaintext, then zero bytes. Throws CryptoError when it does not fit
// (size < plaintext + 4).
std::string pad_ballot(const std::string& plaintext, size_t size);
// The plaintext back; nullopt when the length is impossible or the padding
// is not all zero bytes.
std::optional<std::string> unpad_ballot(const std::string& padded);

// HKDF-SHA256 (RFC 5869) extract-and-expand: `length` bytes.
std::string hkdf_sha256(const std::string& ikm, const std::string& salt, const std::string& info,
                        size_t length);

// X25519(private, peer public) (RFC 7748): the 32-byte shared secret.
// Throws CryptoError on a bad key or an all-zero result.
std::string x25519(const std::string& private_key, const std::string& peer_public);

}  // namespace urna::crypto

#endif  // URNA_CRYPTO_BALLOT_BOX_H_
