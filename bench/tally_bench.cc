// Tally benchmark (not a test; nothing is asserted): synthetic ballots,
// by default 1,000,000 x 20 candidates, counted with Schulze, IRV and STV
// on one core. Prints wall time per step and the peak RSS so far
// (getrusage). docs/tally.md has the figures of one run.
//
//   make bench/tally_bench && ./bench/tally_bench [BALLOTS [CANDIDATES [SEATS]]]
//
// Ballots: each voter ranks the candidates by a fixed popularity plus
// personal noise (so there is structure, as in real elections) and stops
// after a random number of ranks (1..C); deterministic (mt19937, seed 1).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <string>

#include "tally/ballot.h"
#include "tally/count.h"

using namespace urna;
using namespace urna::tally;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

long peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;  // Linux: KiB
}

void report(const char* step, double secs) {
  std::printf("| %-34s | %8.3f | %6ld |\n", step, secs, peak_rss_mib());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const long n_ballots = argc > 1 ? std::atol(argv[1]) : 1000000;
  const int n = argc > 2 ? std::atoi(argv[2]) : 20;
  const int seats = argc > 3 ? std::atoi(argv[3]) : 5;
  if (n_ballots < 1 || n < 2 || seats < 1 || seats >= n) {
    std::fprintf(stderr, "usage: tally_bench [BALLOTS [CANDIDATES [SEATS]]]\n");
    return 2;
  }
  std::printf("%ld ballots x %d candidates, STV %d seats, one core\n\n", n_ballots, n, seats);
  std::printf("| %-34s | %8s | %6s |\n|---|---:|---:|\n", "step", "seconds", "peak RSS MiB");

  auto t0 = std::chrono::steady_clock::now();
  BallotBox box;
  for (int i = 0; i < n; ++i) box.candidates.push_back("c" + std::to_string(i));
  box.names = box.candidates;
  box.ballots.reserve(n_ballots);
  std::mt19937 rng(1);
  std::normal_distribution<double> noise(0.0, 3.0);
  std::uniform_int_distribution<int> length(1, n);
  std::vector<double> key(n);
  std::vector<int> order(n);
  for (long v = 0; v < n_ballots; ++v) {
    for (int i = 0; i < n; ++i) key[i] = -0.3 * i + noise(rng);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return key[a] > key[b]; });
    Ballot b;
    b.rank.assign(n, kUnranked);
    const int len = length(rng);
    for (int k = 0; k < len; ++k) b.rank[order[k]] = k + 1;
    box.ballots.push_back(std::move(b));
  }
  report("generate ballots", seconds_since(t0));

  t0 = std::chrono::steady_clock::now();
  std::vector<Ballot> distinct = compress(box.ballots);
  report(("compress (" + std::to_string(distinct.size()) + " distinct)").c_str(),
         seconds_since(t0));

  QuestionResult base;
  base.candidates = box.candidates;
  base.names = box.names;

  t0 = std::chrono::steady_clock::now();
  auto d = pairwise(box.ballots, n, Unranked::kIgnore);
  report("pairwise matrix, uncompressed", seconds_since(t0));

  t0 = std::chrono::steady_clock::now();
  {
    QuestionResult r = base;
    r.seats = 1;
    count_valid(core::Method::kSchulze, distinct, {}, &r);
    report(("Schulze on compressed (winner " + r.candidates[r.winners.at(0)] + ")").c_str(),
           seconds_since(t0));
  }
  t0 = std::chrono::steady_clock::now();
  {
    QuestionResult r = count_box(box, core::Method::kSchulze);
    report("Schulze, full count_box", seconds_since(t0));
  }
  t0 = std::chrono::steady_clock::now();
  {
    QuestionResult r = base;
    r.seats = 1;
    count_valid(core::Method::kIrv, distinct, {}, &r);
    report(("IRV on compressed (" + std::to_string(r.rounds.size()) + " rounds)").c_str(),
           seconds_since(t0));
  }
  t0 = std::chrono::steady_clock::now();
  {
    QuestionResult r = base;
    r.seats = seats;
    count_valid(core::Method::kStv, distinct, {}, &r);
    report(("STV on compressed (" + std::to_string(r.rounds.size()) + " rounds)").c_str(),
           seconds_since(t0));
  }
  t0 = std::chrono::steady_clock::now();
  {
    CountOptions opt;
    opt.seats = seats;
    QuestionResult r = count_box(box, core::Method::kStv, opt);
    report("STV, full count_box", seconds_since(t0));
  }
  return 0;
}
