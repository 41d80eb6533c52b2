// The result of counting one question: a plain struct that every method
// fills (the parts it has), serializable to JSON (jsoncpp) for the database
// and the results page, and back. Candidates are referred to by index into
// `candidates`; the JSON carries the ids too so it reads on its own.
#ifndef URNA_TALLY_RESULT_H_
#define URNA_TALLY_RESULT_H_

#include <json/json.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"

namespace urna::tally {

// One round of IRV / STV. Vote totals are shown at the start of the round,
// before what the round does (elect, transfer a surplus, exclude).
struct Round {
  std::vector<double> votes;   // per candidate (0 once excluded)
  double exhausted = 0;        // non-transferable so far, cumulative
  double lost = 0;             // lost to rounding so far, cumulative
  std::vector<int> elected;    // reached the quota (or last ones standing)
  std::vector<int> excluded;   // excluded in this round
  int surplus_of = -1;         // whose surplus this round transfers
  double surplus = 0;          // how much
  // Change to each candidate's total made by this round's transfer (what
  // the next round shows minus this one); empty for the last round.
  std::vector<double> transfers;
  std::string note;            // e.g. how a tie was broken
};

struct QuestionResult {
  std::string question_id;
  std::string title;
  core::Method method = core::Method::kSchulze;
  std::string variant;  // e.g. "scottish", "minneapolis", "irish" for STV
  int seats = 1;
  std::vector<std::string> candidates;  // answer ids
  std::vector<std::string> names;       // display names

  // Ballot accounting: cast = valid + blank + invalid. Nothing is dropped
  // silently; invalid ballots are listed by reason.
  std::int64_t ballots_cast = 0;
  std::int64_t ballots_valid = 0;
  std::int64_t ballots_blank = 0;
  std::int64_t ballots_invalid = 0;
  std::vector<std::pair<std::string, std::int64_t>> invalid_reasons;

  // Full ranking, best first; candidates in one tier are tied.
  std::vector<std::vector<int>> ranking;
  std::vector<int> winners;  // in order of election / ranking
  // True when the tier at the seat boundary holds more candidates than the
  // remaining seats; `tied` lists that tier. With an opt-in tie-break the
  // seats are filled anyway and `tie_break` says how.
  bool tie_at_boundary = false;
  std::vector<int> tied;
  std::string tie_break;  // "" = none applied
  // The tie-breaking ranking of the candidates (TBRC) when one was used:
  // ranked pairs with pairs of equal strength, or TieBreak::kTbrc. Empty
  // otherwise.
  std::vector<int> tbrc;

  // Condorcet methods: d[i][j] = ballots preferring i to j; p = strongest
  // paths (Schulze). Ranked pairs: locked pairs in order, as (i, j).
  std::vector<std::vector<std::int64_t>> d;
  std::vector<std::vector<std::int64_t>> p;
  std::vector<std::pair<int, int>> locked;
  // Debian-style quorum / supermajority against a default option: the
  // candidates dropped before the count, with why.
  std::vector<std::pair<int, std::string>> dropped;

  // Plurality / approval / Borda: points per candidate. IRV / STV: the
  // final round's totals.
  std::vector<double> scores;
  std::vector<Round> rounds;  // IRV / STV
  double quota = 0;           // STV / IRV threshold

  std::vector<std::string> notes;  // human-readable remarks on the count
  // A parent's question (run_pipes): the ballot boxes it counts, as (child
  // folder, "" for the parent itself; question id), sorted. The results
  // page names them with the children's names and question titles.
  std::vector<std::pair<std::string, std::string>> sources;
  // Set by sort_non_iterative: answers in result order, best first.
  std::vector<int> order;
};

Json::Value to_json(const QuestionResult& r);
// Throws std::runtime_error on a malformed document.
QuestionResult question_result_from_json(const Json::Value& v);

// The number of seats a tie at the boundary is for: the seats not filled
// by candidates outside `tied`.
int tied_seats(const QuestionResult& r);

// Convenience: winners' ids / ranking as ids.
std::vector<std::string> winner_ids(const QuestionResult& r);
std::vector<std::vector<std::string>> ranking_ids(const QuestionResult& r);

}  // namespace urna::tally

#endif  // URNA_TALLY_RESULT_H_
