// Sealing ballots to an election's public key (src/crypto/ballot_box):
// the published known answers of X25519 (RFC 7748) and HKDF (RFC 5869),
// round trips, every way a ciphertext must fail to open, fixed lengths,
// the key's text form and fingerprint.
#define BOOST_TEST_MODULE ballot_box
#include "crypto/ballot_box.h"

#include <boost/test/unit_test.hpp>
#include <set>

#include "crypto/ballot_open.h"

using namespace urna::crypto;

namespace {
std::string unhex(const std::string& h) { return *hex_decode(h); }
}  // namespace

BOOST_AUTO_TEST_CASE(x25519_rfc7748_known_answer) {
  const std::string a = unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  const std::string b = unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  BOOST_TEST(hex_encode(ballot_public_key(a)) ==
             "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  BOOST_TEST(hex_encode(ballot_public_key(b)) ==
             "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  const std::string k = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
  BOOST_TEST(hex_encode(x25519(a, ballot_public_key(b))) == k);
  BOOST_TEST(hex_encode(x25519(b, ballot_public_key(a))) == k);
  // A low-order point (all zero) gives an all-zero secret: refused.
  BOOST_CHECK_THROW(x25519(a, std::string(32, '\0')), CryptoError);
  BOOST_CHECK_THROW(x25519(a, "short"), CryptoError);
}

BOOST_AUTO_TEST_CASE(hkdf_rfc5869_test_case_1) {
  const std::string okm = hkdf_sha256(std::string(22, '\x0b'), unhex("000102030405060708090a0b0c"),
                                      unhex("f0f1f2f3f4f5f6f7f8f9"), 42);
  BOOST_TEST(
      hex_encode(okm) ==
      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

BOOST_AUTO_TEST_CASE(seal_and_open) {
  const BallotKeyPair k = generate_ballot_key();
  BOOST_TEST(k.public_key.size() == 32u);
  BOOST_TEST(k.private_key.size() == 32u);
  BOOST_TEST(ballot_public_key(k.private_key) == k.public_key);
  const std::string plain = pad_ballot("main=alice=1&bob=2", 256);
  const std::string sealed = seal_ballot(k.public_key, plain, "steering/2026");
  BOOST_TEST(sealed.size() == plain.size() + kSealedBallotOverhead);
  BOOST_TEST(sealed.find("alice") == std::string::npos);
  auto back = open_ballot(k.private_key, sealed, "steering/2026");
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST(*back == plain);
  BOOST_TEST(*unpad_ballot(*back) == "main=alice=1&bob=2");
  // A fresh ephemeral key each time: the same ballot never seals the same.
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) seen.insert(seal_ballot(k.public_key, plain, "e"));
  BOOST_TEST(seen.size() == 50u);
}

BOOST_AUTO_TEST_CASE(what_must_not_open) {
  const BallotKeyPair k = generate_ballot_key();
  const BallotKeyPair other = generate_ballot_key();
  const std::string sealed = seal_ballot(k.public_key, pad_ballot("q=a=1", 64), "e1");
  BOOST_TEST(!open_ballot(other.private_key, sealed, "e1"));  // another key
  BOOST_TEST(!open_ballot(k.private_key, sealed, "e2"));      // another election
  BOOST_TEST(!open_ballot(k.private_key, sealed, "e1 "));
  BOOST_TEST(!open_ballot(k.private_key, "", "e1"));
  BOOST_TEST(!open_ballot(k.private_key, sealed.substr(0, kSealedBallotOverhead - 1), "e1"));
  BOOST_TEST(!open_ballot(k.private_key, sealed.substr(0, sealed.size() - 1), "e1"));
  BOOST_TEST(!open_ballot(k.private_key, sealed + "x", "e1"));
  // Every single flipped bit, in every byte (version, key, nonce, body, tag).
  for (size_t i = 0; i < sealed.size(); ++i)
    for (int bit = 0; bit < 8; bit += 3) {
      std::string t = sealed;
      t[i] = static_cast<char>(t[i] ^ (1 << bit));
      BOOST_TEST_REQUIRE(!open_ballot(k.private_key, t, "e1"), "byte " << i << " bit " << bit);
    }
  // The ephemeral key replaced by a low-order point.
  std::string t = sealed;
  t.replace(1, 32, std::string(32, '\0'));
  BOOST_TEST(!open_ballot(k.private_key, t, "e1"));
  // Wrong-size keys are programming errors: thrown, not "does not open".
  BOOST_CHECK_THROW(seal_ballot("short", "x", "e"), CryptoError);
  BOOST_CHECK_THROW(open_ballot("short", sealed, "e1"), CryptoError);
}

BOOST_AUTO_TEST_CASE(padding_fixes_the_length) {
  BOOST_TEST(pad_ballot("", 4).size() == 4u);
  BOOST_TEST(*unpad_ballot(pad_ballot("", 4)) == "");
  for (const std::string& s : {std::string("a"), std::string("main=x=1"), std::string(250, 'z')})
    BOOST_TEST(*unpad_ballot(pad_ballot(s, 254)) == s);
  BOOST_CHECK_THROW(pad_ballot(std::string(251, 'z'), 254), CryptoError);
  BOOST_TEST(!unpad_ballot("abc"));
  std::string p = pad_ballot("ab", 16);
  p[15] = '\x01';  // not zero padding
  BOOST_TEST(!unpad_ballot(p));
  p = pad_ballot("ab", 16);
  p[3] = 13;  // claims more than there is
  BOOST_TEST(!unpad_ballot(p));
  // Every ballot of an election seals to the same length.
  const BallotKeyPair k = generate_ballot_key();
  BOOST_TEST(seal_ballot(k.public_key, pad_ballot("a=1", 300), "e").size() ==
             seal_ballot(k.public_key, pad_ballot(std::string(200, 'q'), 300), "e").size());
}

BOOST_AUTO_TEST_CASE(published_form_and_fingerprint) {
  const BallotKeyPair k = generate_ballot_key();
  const std::string text = format_ballot_key(k.public_key);
  BOOST_TEST(text.rfind("x25519:", 0) == 0u);
  BOOST_TEST(text.size() == 7u + 43u);
  BOOST_TEST(*parse_ballot_key(text) == k.public_key);
  BOOST_TEST(*parse_ballot_key("  " + text + "\n") == k.public_key);
  for (const std::string bad :
       {std::string(""), std::string("x25519:"), text.substr(0, 20), "X25519:" + text.substr(7),
        "ed25519:" + text.substr(7), text + "A", text.substr(0, 49) + "*"})
    BOOST_TEST(!parse_ballot_key(bad), bad);
  const std::string fp = ballot_key_fingerprint(k.public_key);
  BOOST_TEST(fp.size() == 6u + 8u * 5u);
  BOOST_TEST(fp.rfind("SHA256:", 0) == 0u);
  BOOST_TEST(ballot_key_fingerprint(generate_ballot_key().public_key) != fp);
  // Fixed: known input, known fingerprint (so the page and docs agree).
  BOOST_TEST(ballot_key_fingerprint(std::string(32, '\0')) == "SHA256:" + [] {
    std::string h = hex_encode(sha256("urna ballot key v1\n" + std::string(32, '\0')));
    std::string o;
    for (size_t i = 0; i < 32; i += 4) o += (i ? ":" : "") + h.substr(i, 4);
    return o;
  }());
}
