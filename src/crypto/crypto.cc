#include "crypto/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cctype>
#include <memory>

namespace urna::crypto {

namespace {

const unsigned char* bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(&s[0]); }

constexpr size_t kNonce = 12, kTag = 16;
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// No 0/O or 1/I: easy to copy by hand.
constexpr char kPasscodeAlphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};

}  // namespace

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  if (n && RAND_bytes(bytes(out), static_cast<int>(n)) != 1)
    throw CryptoError("RAND_bytes failed");
  return out;
}

std::string hex_encode(const std::string& raw) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 15]);
  }
  return out;
}

std::optional<std::string> hex_decode(const std::string& hex) {
  if (hex.size() % 2) return std::nullopt;
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = val(hex[i]), lo = val(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string base64url_encode(const std::string& raw) {
  std::string out;
  size_t i = 0;
  const auto* p = bytes(raw);
  for (; i + 2 < raw.size(); i += 3) {
    unsigned v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out += {kB64[v >> 18], kB64[(v >> 12) & 63], kB64[(v >> 6) & 63], kB64[v & 63]};
  }
  if (raw.size() - i == 1) {
    unsigned v = p[i] << 16;
    out += {kB64[v >> 18], kB64[(v >> 12) & 63]};
  } else if (raw.size() - i == 2) {
    unsigned v = (p[i] << 16) | (p[i + 1] << 8);
    out += {kB64[v >> 18], kB64[(v >> 12) & 63], kB64[(v >> 6) & 63]};
  }
  return out;
}

std::optional<std::string> base64url_decode(const std::string& s) {
  if (s.size() % 4 == 1) return std::nullopt;
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = val(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  // Leftover bits must be zero (one canonical encoding per value).
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string sha256(const std::string& data) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  SHA256(bytes(data), data.size(), bytes(out));
  return out;
}

std::string hmac_sha256(const std::string& key, const std::string& data) {
  std::string out(32, '\0');
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), bytes(data),
            data.size(), bytes(out), &len) ||
      len != 32)
    throw CryptoError("HMAC failed");
  return out;
}

bool constant_time_equal(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string seal(const std::string& key, const std::string& plaintext,
                 const std::string& ad) {
  if (key.size() != 32) throw CryptoError("seal: key must be 32 bytes");
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
  std::string nonce = random_bytes(kNonce);
  std::string out = nonce + std::string(plaintext.size() + kTag, '\0');
  int len = 0;
  auto* ct = bytes(out) + kNonce;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(ad), static_cast<int>(ad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), ct, &len, bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), ct + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, ct + plaintext.size()) != 1)
    throw CryptoError("AES-GCM seal failed");
  return out;
}

std::optional<std::string> open(const std::string& key, const std::string& sealed,
                                const std::string& ad) {
  if (key.size() != 32) throw CryptoError("open: key must be 32 bytes");
  if (sealed.size() < kNonce + kTag) return std::nullopt;
  size_t n = sealed.size() - kNonce - kTag;
  std::string plain(n, '\0');
  std::string tag = sealed.substr(kNonce + n);
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(sealed)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(ad), static_cast<int>(ad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), n ? bytes(plain) : nullptr, &len, bytes(sealed) + kNonce, static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, bytes(tag)) != 1)
    throw CryptoError("AES-GCM open failed");
  unsigned char scratch[16];
  if (EVP_DecryptFinal_ex(ctx.get(), n ? bytes(plain) + len : scratch, &len) != 1)
    return std::nullopt;  // authentication failed: wrong key or tampered
  return plain;
}

std::string scrypt(const std::string& password, const std::string& salt,
                   const ScryptParams& params, size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "SCRYPT", nullptr);
  if (!kdf) throw CryptoError("scrypt is not available in this OpenSSL");
  std::unique_ptr<EVP_KDF_CTX, CtxFree> ctx(EVP_KDF_CTX_new(kdf));
  EVP_KDF_free(kdf);
  std::uint64_t n = params.n;
  std::uint32_t r = params.r, p = params.p;
  // Room for the work area (128·N·r) plus slack.
  std::uint64_t maxmem = 128ull * n * r * p + (16u << 20);
  OSSL_PARAM ps[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
                                        const_cast<char*>(password.data()), password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                        const_cast<char*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end(),
  };
  std::string out(length, '\0');
  if (!ctx || EVP_KDF_derive(ctx.get(), bytes(out), length, ps) != 1)
    throw CryptoError("scrypt derivation failed (check scrypt_n/r/p)");
  return out;
}

std::string generate_passcode() {
  std::string raw = random_bytes(20);
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (i && i % 4 == 0) out.push_back('-');
    out.push_back(kPasscodeAlphabet[static_cast<unsigned char>(raw[i]) & 31]);
  }
  return out;
}

std::string normalize_passcode(const std::string& typed) {
  size_t b = typed.find_first_not_of(" \t\r\n");
  size_t e = typed.find_last_not_of(" \t\r\n");
  std::string t = b == std::string::npos ? "" : typed.substr(b, e - b + 1);
  // Generated form: 5 groups of 4 alphabet characters.
  std::string compact;
  for (char c : t)
    if (c != '-' && c != ' ') compact.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  bool generated = compact.size() == 20;
  for (char c : compact)
    if (std::string(kPasscodeAlphabet).find(c) == std::string::npos) generated = false;
  return generated ? compact : t;
}

}  // namespace urna::crypto
