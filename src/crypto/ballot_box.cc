#include "crypto/ballot_box.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <memory>

#include "crypto/ballot_box_internal.h"

namespace urna::crypto {
namespace internal {
namespace {

constexpr char kKeyPrefix[] = "x25519:";
constexpr char kInfo[] = "urna ballot v1";

}  // namespace

const unsigned char* bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Pkey private_pkey(const std::string& raw) {
  if (raw.size() != kBallotKeyBytes) throw CryptoError("ballot key: private key must be 32 bytes");
  Pkey k(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, bytes(raw), raw.size()));
  if (!k) throw CryptoError("ballot key: OpenSSL rejected the private key");
  return k;
}

Pkey public_pkey(const std::string& raw) {
  if (raw.size() != kBallotKeyBytes) throw CryptoError("ballot key: public key must be 32 bytes");
  Pkey k(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, bytes(raw), raw.size()));
  if (!k) throw CryptoError("ballot key: OpenSSL rejected the public key");
  return k;
}

std::string raw_public(EVP_PKEY* k) {
  std::string out(kBallotKeyBytes, '\0');
  size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(k, reinterpret_cast<unsigned char*>(&out[0]), &len) != 1 ||
      len != kBallotKeyBytes)
    throw CryptoError("ballot key: cannot read the public key");
  return out;
}

std::string derive(EVP_PKEY* mine, EVP_PKEY* peer) {
  std::unique_ptr<EVP_PKEY_CTX, Free> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, mine, nullptr));
  std::string out(kBallotKeyBytes, '\0');
  size_t len = out.size();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer(ctx.get(), peer) != 1 ||
      EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(&out[0]), &len) != 1 ||
      len != kBallotKeyBytes)
    throw CryptoError("X25519 key agreement failed");
  // OpenSSL refuses an all-zero shared secret (a low-order peer point)
  // already; check anyway, it is the contract.
  if (out == std::string(kBallotKeyBytes, '\0')) throw CryptoError("X25519: all-zero secret");
  return out;
}

// The one-time AES key of a ballot: both public keys are in the salt, so
// the key is bound to this recipient and this ephemeral key.
std::string ballot_aes_key(const std::string& shared, const std::string& ephemeral_public,
                           const std::string& recipient_public, const std::string& context) {
  return hkdf_sha256(shared, ephemeral_public + recipient_public,
                     std::string(kInfo) + '\0' + context, 32);
}

}  // namespace internal

using namespace internal;

std::string hkdf_sha256(const std::string& ikm, const std::string& salt, const std::string& info,
                        size_t length) {
  std::unique_ptr<EVP_KDF, Free> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (!kdf) throw CryptoError("HKDF is not available in this OpenSSL");
  std::unique_ptr<EVP_KDF_CTX, Free> ctx(EVP_KDF_CTX_new(kdf.get()));
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_octet_string(
                             OSSL_KDF_PARAM_KEY, const_cast<char*>(ikm.data()), ikm.size()),
                         OSSL_PARAM_construct_octet_string(
                             OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size()),
                         OSSL_PARAM_construct_octet_string(
                             OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()),
                         OSSL_PARAM_construct_end()};
  std::string out(length, '\0');
  if (!ctx ||
      EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(&out[0]), length, params) != 1)
    throw CryptoError("HKDF failed");
  return out;
}

std::string x25519(const std::string& private_key, const std::string& peer_public) {
  Pkey mine = private_pkey(private_key);
  Pkey peer = public_pkey(peer_public);
  return derive(mine.get(), peer.get());
}

BallotKeyPair generate_ballot_key() {
  std::unique_ptr<EVP_PKEY_CTX, Free> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1)
    throw CryptoError("X25519 key generation failed");
  Pkey k(raw);
  BallotKeyPair pair;
  pair.private_key.assign(kBallotKeyBytes, '\0');
  size_t len = kBallotKeyBytes;
  if (EVP_PKEY_get_raw_private_key(k.get(), reinterpret_cast<unsigned char*>(&pair.private_key[0]),
                                   &len) != 1 ||
      len != kBallotKeyBytes)
    throw CryptoError("X25519: cannot read the new private key");
  pair.public_key = raw_public(k.get());
  return pair;
}

std::string ballot_public_key(const std::string& private_key) {
  return raw_public(private_pkey(private_key).get());
}

std::string format_ballot_key(const std::string& public_key) {
  if (public_key.size() != kBallotKeyBytes) throw CryptoError("ballot key: must be 32 bytes");
  return kKeyPrefix + base64url_encode(public_key);
}

std::optional<std::string> parse_ballot_key(const std::string& text) {
  size_t b = text.find_first_not_of(" \t");
  size_t e = text.find_last_not_of(" \t\r\n");
  if (b == std::string::npos) return std::nullopt;
  const std::string t = text.substr(b, e - b + 1);
  const std::string prefix = kKeyPrefix;
  if (t.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  auto raw = base64url_decode(t.substr(prefix.size()));
  if (!raw || raw->size() != kBallotKeyBytes) return std::nullopt;
  // Only the canonical spelling: one key, one text.
  if (format_ballot_key(*raw) != t) return std::nullopt;
  return raw;
}

std::string ballot_key_fingerprint(const std::string& public_key) {
  const std::string h = hex_encode(sha256("urna ballot key v1\n" + public_key)).substr(0, 32);
  std::string out = "SHA256";
  for (size_t i = 0; i < h.size(); i += 4) out += ":" + h.substr(i, 4);
  return out;
}

std::string seal_ballot(const std::string& public_key, const std::string& plaintext,
                        const std::string& context) {
  Pkey recipient = public_pkey(public_key);
  const BallotKeyPair eph = generate_ballot_key();
  Pkey eph_key = private_pkey(eph.private_key);
  const std::string shared = derive(eph_key.get(), recipient.get());
  const std::string key = ballot_aes_key(shared, eph.public_key, public_key, context);
  const std::string header = std::string(1, static_cast<char>(kVersion)) + eph.public_key;
  // The header is authenticated too (associated data), with the context.
  return header + seal(key, plaintext, header + context);
}

std::string pad_ballot(const std::string& plaintext, size_t size) {
  if (plaintext.size() > 0xffffffffu || size < plaintext.size() + 4)
    throw CryptoError("ballot does not fit its padded length");
  std::string out(size, '\0');
  const std::uint32_t n = static_cast<std::uint32_t>(plaintext.size());
  out[0] = static_cast<char>(n >> 24);
  out[1] = static_cast<char>(n >> 16);
  out[2] = static_cast<char>(n >> 8);
  out[3] = static_cast<char>(n);
  out.replace(4, plaintext.size(), plaintext);
  return out;
}

std::optional<std::string> unpad_ballot(const std::string& padded) {
  if (padded.size() < 4) return std::nullopt;
  const auto* p = bytes(padded);
  const std::uint64_t n = (std::uint64_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
  if (n > padded.size() - 4) return std::nullopt;
  for (size_t i = 4 + n; i < padded.size(); ++i)
    if (padded[i] != '\0') return std::nullopt;
  return padded.substr(4, n);
}

}  // namespace urna::crypto
