// Internal to src/crypto: the pieces of ballot_box.cc that the opening side
// (ballot_open.cc) shares. Not for use outside src/crypto.
#ifndef URNA_CRYPTO_BALLOT_BOX_INTERNAL_H_
#define URNA_CRYPTO_BALLOT_BOX_INTERNAL_H_

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <memory>
#include <string>

namespace urna::crypto::internal {

constexpr unsigned char kVersion = 0x01;  // first byte of a sealed ballot

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
  void operator()(EVP_KDF* k) const { EVP_KDF_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, Free>;

const unsigned char* bytes(const std::string& s);
// Throw CryptoError for a wrong size or a key OpenSSL rejects.
Pkey private_pkey(const std::string& raw);
Pkey public_pkey(const std::string& raw);
std::string raw_public(EVP_PKEY* k);
// X25519; throws CryptoError on failure or an all-zero secret.
std::string derive(EVP_PKEY* mine, EVP_PKEY* peer);
// HKDF-SHA256(shared, salt = ephemeral || recipient, info = "urna ballot
// v1" NUL context): the one-time AES-256-GCM key of a ballot.
std::string ballot_aes_key(const std::string& shared, const std::string& ephemeral_public,
                           const std::string& recipient_public, const std::string& context);

}  // namespace urna::crypto::internal

#endif  // URNA_CRYPTO_BALLOT_BOX_INTERNAL_H_
