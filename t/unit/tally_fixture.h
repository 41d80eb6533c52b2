// Test helpers shared by the tally tests: ballots written as letters and a
// ballot box of candidates A, B, C, ...
#ifndef URNA_T_UNIT_TALLY_FIXTURE_H_
#define URNA_T_UNIT_TALLY_FIXTURE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tally/ballot.h"

namespace urna::testing {

// "ACBED" with weight: candidate letters in preference order; letters left
// out are unranked. "A=B>C" style is written "(AB)C".
inline tally::Ballot order(const std::string& s, int n, std::int64_t weight = 1) {
  tally::Ballot b;
  b.weight = weight;
  b.rank.assign(n, tally::kUnranked);
  int rank = 0;
  bool group = false;
  for (char ch : s) {
    if (ch == '(') {
      group = true;
      ++rank;
      continue;
    }
    if (ch == ')') {
      group = false;
      continue;
    }
    if (!group) ++rank;
    b.rank[ch - 'A'] = rank;
  }
  return b;
}

// Candidates "A", "B", ... (names the same) with `ballots` and `seats`.
inline tally::BallotBox box(int n, std::vector<tally::Ballot> ballots, int seats = 1) {
  tally::BallotBox b;
  for (int i = 0; i < n; ++i) b.candidates.push_back(std::string(1, 'A' + i));
  b.names = b.candidates;
  b.ballots = std::move(ballots);
  b.seats = seats;
  return b;
}

}  // namespace urna::testing

#endif  // URNA_T_UNIT_TALLY_FIXTURE_H_
