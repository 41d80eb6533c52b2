// The cost of one passcode key derivation (scrypt via OpenSSL EVP_KDF), as
// paid by every cast, re-cast and view of a ballot. Not a test: run by hand.
//   make bench/kdf_bench && bench/kdf_bench [N R P] [repeats]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "crypto/crypto.h"

int main(int argc, char** argv) {
  urna::crypto::ScryptParams p;  // urna's defaults
  int repeats = 10;
  if (argc >= 4) {
    p.n = std::strtoull(argv[1], nullptr, 10);
    p.r = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));
    p.p = static_cast<std::uint32_t>(std::strtoul(argv[3], nullptr, 10));
  }
  if (argc >= 5) repeats = std::atoi(argv[4]);
  const std::string salt = urna::crypto::random_bytes(16);
  urna::crypto::scrypt("warm-up", salt, p, 32);
  double best = 1e9, total = 0;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    urna::crypto::scrypt("ABCD-EFGH-JKLM-NPQR-STUV", salt, p, 32);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    best = ms < best ? ms : best;
    total += ms;
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("scrypt N=%llu r=%u p=%u: mean %.1f ms, best %.1f ms over %d; peak RSS %.1f MiB "
              "(theoretical 128*N*r = %.1f MiB)\n",
              static_cast<unsigned long long>(p.n), p.r, p.p, total / repeats, best, repeats,
              ru.ru_maxrss / 1024.0, 128.0 * p.n * p.r / (1024 * 1024));
  return 0;
}
