// The crypto cost of one vote (issue 8). Not a test: run by hand.
//   make bench/kdf_bench && bench/kdf_bench [N R P] [repeats]
// 1. A voter-chosen passcode: scrypt (OpenSSL EVP_KDF) with urna's defaults
//    or N R P, as paid by every cast, re-cast and view with such a passcode.
// 2. What every cast pays besides: the passcode key with HKDF (urna's
//    generated passcode), sealing the ballot to the election's public key
//    (crypto::seal_ballot: X25519 + HKDF-SHA256 + AES-256-GCM, padded to
//    128 bytes, the size of bench/vote_bench.py's ballots, and to 1024), and
//    sealing the voter's link record (AES-256-GCM), each the median of many.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "crypto/ballot_box.h"
#include "crypto/crypto.h"

namespace {

using Clock = std::chrono::steady_clock;

// Median microseconds per call of fn over `rounds` rounds of `batch` calls.
double median_us(const std::function<void()>& fn, int rounds = 31, int batch = 200) {
  fn();  // warm-up
  std::vector<double> per;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = Clock::now();
    for (int i = 0; i < batch; ++i) fn();
    per.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / batch);
  }
  std::sort(per.begin(), per.end());
  return per[per.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  namespace c = urna::crypto;
  c::ScryptParams p;  // urna's defaults
  int repeats = 10;
  if (argc >= 4) {
    p.n = std::strtoull(argv[1], nullptr, 10);
    p.r = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));
    p.p = static_cast<std::uint32_t>(std::strtoul(argv[3], nullptr, 10));
  }
  if (argc >= 5) repeats = std::atoi(argv[4]);
  const std::string salt = c::random_bytes(16);
  c::scrypt("warm-up", salt, p, 32);
  std::vector<double> ms;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = Clock::now();
    c::scrypt("my own passphrase", salt, p, 32);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf(
      "voter-chosen passcode, scrypt N=%llu r=%u p=%u: median %.1f ms (best %.1f, worst "
      "%.1f) over %d; peak RSS %.1f MiB (theoretical 128*N*r = %.1f MiB)\n",
      static_cast<unsigned long long>(p.n), p.r, p.p, ms[ms.size() / 2], ms.front(), ms.back(),
      repeats, ru.ru_maxrss / 1024.0, 128.0 * p.n * p.r / (1024 * 1024));

  const c::BallotKeyPair key = c::generate_ballot_key();
  const std::string plaintext = "urna-ballot-v1\nmain\nc00=1&c01=2&c02=3&c03=4\n";
  const std::string eid = "bench/2026";
  const std::string passcode = c::normalize_passcode(c::generate_passcode());
  const std::string hkdf_salt = c::random_bytes(16);
  const std::string link_key = c::random_bytes(32);
  volatile size_t sink = 0;
  const double hkdf = median_us(
      [&] { sink += c::hkdf_sha256(passcode, hkdf_salt, "urna passcode v1", 32).size(); });
  const double seal128 = median_us(
      [&] { sink += c::seal_ballot(key.public_key, c::pad_ballot(plaintext, 128), eid).size(); });
  const double seal1024 = median_us(
      [&] { sink += c::seal_ballot(key.public_key, c::pad_ballot(plaintext, 1024), eid).size(); });
  const double link = median_us([&] {
    sink += c::seal(link_key, c::random_bytes(16) + plaintext, "urna-ballot-link\n" + eid + "\nv1")
                .size();
  });
  std::printf("generated passcode's key, HKDF-SHA256: %.1f us\n", hkdf);
  std::printf(
      "seal_ballot (X25519 + HKDF + AES-256-GCM), padded to 128 bytes: %.1f us; "
      "to 1024 bytes: %.1f us\n",
      seal128, seal1024);
  std::printf("the voter's link record (AES-256-GCM): %.1f us\n", link);
  std::printf(
      "crypto of one cast with a generated passcode (HKDF + seal_ballot 128 + link): "
      "%.1f us; with a chosen passcode scrypt adds %.1f ms\n",
      hkdf + seal128 + link, ms[ms.size() / 2]);
  return 0;
}
