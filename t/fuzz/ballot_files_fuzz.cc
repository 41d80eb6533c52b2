// libFuzzer harness: the ballot file readers of urna-tally
// (src/tally/formats.h): Elekto CSV, BLT, PrefLib soc/soi/toc/toi, Debian
// tally sheets.
//
// Input: the first byte chooses the format (byte % 7, in the order of
// tally::Format), the rest is the file. Checks: a reader either throws
// FormatError (naming a line >= 1) or returns ballots with one rank per
// candidate, ranks within 0..candidates, positive weights; compressing and
// renumbering them keeps the total weight and the order of preferences.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "tally/ballot.h"
#include "tally/formats.h"

namespace {

using urna::tally::Format;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "ballot_files_fuzz: property failed: %s\n", what);
    std::abort();
  }
}

const Format kFormats[] = {Format::kElekto, Format::kBlt, Format::kSoc,   Format::kSoi,
                           Format::kToc,    Format::kToi, Format::kDebian};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Format f = kFormats[data[0] % 7];
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  urna::tally::BallotBox box;
  try {
    box = urna::tally::read_ballots(in, f);
  } catch (const urna::tally::FormatError& e) {
    require(e.line() >= 0, "a FormatError with a negative line");
    return 0;
  }
  const size_t n = box.candidates.size();
  require(box.names.size() == n, "names and candidates differ in number");
  std::int64_t total = 0;
  size_t checked = 0;
  for (auto b : box.ballots) {
    require(b.rank.size() == n, "a ballot without one rank per candidate");
    require(b.weight >= 0, "a negative weight");
    // Ranks are read as written: the count refuses those out of range.
    std::vector<int> before = b.rank;
    urna::tally::normalize_ranks(&b);
    // The pairwise check is quadratic: the first ballots of small files.
    if (n <= 32 && ++checked <= 200)
      for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j) {
          if (before[i] <= 0 || before[j] <= 0) continue;
          require((before[i] < before[j]) == (b.rank[i] < b.rank[j]),
                  "normalize_ranks changed the order of preferences");
        }
    if (__builtin_add_overflow(total, b.weight, &total)) return 0;
  }
  auto compressed = urna::tally::compress(box.ballots);
  require(urna::tally::total_weight(compressed) == total, "compress changed the total weight");
  urna::tally::BallotRules rules;
  rules.answers = static_cast<int>(n);
  for (const auto& b : compressed) (void)urna::tally::check_ballot(b, rules);
  return 0;
}
