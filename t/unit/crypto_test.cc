// Known-answer and tamper tests for src/crypto.
#define BOOST_TEST_MODULE crypto
#include <boost/test/unit_test.hpp>

#include <set>

#include "crypto/crypto.h"

using namespace urna::crypto;

BOOST_AUTO_TEST_CASE(hmac_rfc4231) {
  // Test cases 1 and 2 of RFC 4231.
  BOOST_TEST(hex_encode(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  BOOST_TEST(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  BOOST_TEST(hex_encode(sha256("abc")) ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(scrypt_rfc7914) {
  // RFC 7914 §12, second vector (N=1024, r=8, p=16).
  BOOST_TEST(hex_encode(scrypt("password", "NaCl", {1024, 8, 16}, 64)) ==
             "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
             "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
  BOOST_CHECK_THROW(scrypt("x", "y", {1000, 8, 1}), CryptoError);  // N not 2^k
}

BOOST_AUTO_TEST_CASE(aes_gcm_seal_open_and_tamper) {
  std::string key = random_bytes(32);
  std::string sealed = seal(key, "ballot-id-16byte", "election|alice");
  BOOST_TEST(sealed.size() == 12u + 16u + 16u);
  BOOST_TEST(*open(key, sealed, "election|alice") == "ballot-id-16byte");
  BOOST_TEST(!open(key, sealed, "election|bob").has_value());   // other voter
  BOOST_TEST(!open(random_bytes(32), sealed, "election|alice").has_value());
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string t = sealed;
    t[i] ^= 1;
    BOOST_TEST(!open(key, t, "election|alice").has_value());
  }
  BOOST_TEST(!open(key, "short", "").has_value());
  BOOST_TEST(seal(key, "x", "") != seal(key, "x", ""));  // fresh nonce
  // NIST GCM test case 13 (AES-256, zero key, empty plaintext): tag only.
  std::string empty = seal(std::string(32, '\0'), "", "");
  BOOST_TEST(open(std::string(32, '\0'), empty, "").value() == "");
}

BOOST_AUTO_TEST_CASE(encodings_round_trip) {
  for (size_t n = 0; n < 40; ++n) {
    std::string r = random_bytes(n);
    BOOST_TEST(*base64url_decode(base64url_encode(r)) == r);
    BOOST_TEST(*hex_decode(hex_encode(r)) == r);
  }
  BOOST_TEST(base64url_encode("\xfb\xff") == "-_8");
  BOOST_TEST(!base64url_decode("a").has_value());
  BOOST_TEST(!base64url_decode("ab=c").has_value());
  BOOST_TEST(!base64url_decode("-_9").has_value());  // non-canonical tail
  BOOST_TEST(!hex_decode("abc").has_value());
  BOOST_TEST(!hex_decode("zz").has_value());
  BOOST_TEST(constant_time_equal("abc", "abc"));
  BOOST_TEST(!constant_time_equal("abc", "abd"));
  BOOST_TEST(!constant_time_equal("abc", "ab"));
}

BOOST_AUTO_TEST_CASE(passcodes) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string p = generate_passcode();
    BOOST_TEST(p.size() == 24u);  // 20 symbols of 5 bits = 100 bits, 4 dashes
    BOOST_TEST(seen.insert(p).second);
    BOOST_TEST(normalize_passcode(p) == normalize_passcode(" " + p + " "));
    std::string lower = p;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    BOOST_TEST(normalize_passcode(lower) == normalize_passcode(p));
  }
  // A voter's own passcode is kept as typed (case matters), only trimmed.
  BOOST_TEST(normalize_passcode("  My own Passphrase  ") == "My own Passphrase");
}
