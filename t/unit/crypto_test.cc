// Known-answer and tamper tests for src/crypto.
#define BOOST_TEST_MODULE crypto
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "crypto/crypto.h"
#include "crypto/kdf_gate.h"

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

// --- the scrypt gate (kdf_gate.h) ------------------------------------------

BOOST_AUTO_TEST_CASE(gate_counts_permits_and_refuses_beyond_its_limit) {
  Gate g(2);
  auto a = g.try_enter();
  auto b = g.try_enter();
  BOOST_TEST(a.has_value());
  BOOST_TEST(b.has_value());
  BOOST_TEST(g.in_use() == 2);
  BOOST_TEST(!g.try_enter().has_value());  // no queue: refused at once
  BOOST_TEST(g.in_use() == 2);             // a refusal holds nothing
  a.reset();
  BOOST_TEST(g.in_use() == 1);
  auto c = g.try_enter();
  BOOST_TEST(c.has_value());
  BOOST_TEST(!g.try_enter().has_value());
  // A lower limit applies to the next entry; permits held stay valid.
  g.set_limit(1);
  b.reset();
  BOOST_TEST(!g.try_enter().has_value());
  c.reset();
  BOOST_TEST(g.in_use() == 0);
  BOOST_TEST(g.try_enter().has_value());
  // Limit 0: no limit.
  Gate open(0);
  std::vector<Gate::Permit> many;
  for (int i = 0; i < 100; ++i) many.push_back(*open.try_enter());
  BOOST_TEST(open.in_use() == 100);
  many.clear();
  BOOST_TEST(open.in_use() == 0);
}

BOOST_AUTO_TEST_CASE(gate_releases_on_exception_and_on_move) {
  Gate g(1);
  try {
    auto p = g.try_enter();
    BOOST_TEST(g.in_use() == 1);
    throw std::runtime_error("the derivation failed");
  } catch (const std::runtime_error&) {
  }
  BOOST_TEST(g.in_use() == 0);
  {
    auto p = g.try_enter();
    Gate::Permit moved(std::move(*p));
    p.reset();  // the moved-from permit releases nothing
    BOOST_TEST(g.in_use() == 1);
  }
  BOOST_TEST(g.in_use() == 0);
}

BOOST_AUTO_TEST_CASE(gate_admits_exactly_its_limit_of_concurrent_threads) {
  // 8 threads each try once and hold what they got until all have tried:
  // exactly 3 get in.
  Gate g(3);
  std::mutex m;
  std::condition_variable cv;
  int tried = 0;
  std::atomic<int> admitted{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 8; ++i)
    ts.emplace_back([&] {
      auto p = g.try_enter();
      if (p) admitted.fetch_add(1);
      std::unique_lock<std::mutex> lock(m);
      ++tried;
      cv.notify_all();
      cv.wait(lock, [&] { return tried == 8; });
    });
  for (auto& t : ts) t.join();
  BOOST_TEST(admitted.load() == 3);
  BOOST_TEST(g.in_use() == 0);
}

BOOST_AUTO_TEST_CASE(gate_never_exceeds_its_limit_under_contention) {
  Gate g(2);
  std::atomic<int> inside{0}, most{0}, entered{0}, refused{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 8; ++i)
    ts.emplace_back([&] {
      for (int k = 0; k < 20000; ++k) {
        auto p = g.try_enter();
        if (!p) {
          refused.fetch_add(1);
          continue;
        }
        entered.fetch_add(1);
        const int now = inside.fetch_add(1) + 1;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        inside.fetch_sub(1);
      }
    });
  for (auto& t : ts) t.join();
  BOOST_TEST(most.load() <= 2);
  BOOST_TEST(most.load() >= 1);
  BOOST_TEST(entered.load() + refused.load() == 8 * 20000);
  BOOST_TEST(entered.load() > 0);
  BOOST_TEST(g.in_use() == 0);
}

BOOST_AUTO_TEST_CASE(scrypt_gated_is_scrypt_inside_the_process_gate) {
  const ScryptParams cheap{1024, 8, 1};
  Gate& g = scrypt_gate();
  BOOST_TEST(g.limit() == 0);  // no limit until the program sets one
  g.set_limit(1);
  {
    auto held = g.try_enter();  // another derivation is running
    BOOST_CHECK_THROW(scrypt_gated("pw", "salt", cheap), KdfBusy);
    BOOST_TEST(g.in_use() == 1);
  }
  BOOST_TEST(scrypt_gated("pw", "salt", cheap) == scrypt("pw", "salt", cheap));
  BOOST_TEST(g.in_use() == 0);
  // A derivation that throws gives its place back.
  BOOST_CHECK_THROW(scrypt_gated("pw", "salt", {1000, 8, 1}), CryptoError);
  BOOST_TEST(g.in_use() == 0);
  g.set_limit(0);
}
