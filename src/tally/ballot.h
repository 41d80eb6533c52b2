// Ballots as plain values, independent of the web and of the database: a
// ballot gives each answer of one question a rank (1 = most preferred, equal
// ranks = no preference between them, 0 = unranked / "no opinion").
// Identical ballots are merged (compress) so that a million ballots cost as
// much as their distinct rankings. Pure: no I/O. Not thread-safe to mutate.
#ifndef URNA_TALLY_BALLOT_H_
#define URNA_TALLY_BALLOT_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/model.h"

namespace urna::tally {

constexpr int kUnranked = 0;

struct Ballot {
  // rank[i] is the rank of answer i: 1 = most preferred, 0 = unranked.
  // Selection methods (plurality, approval): any rank > 0 = selected.
  std::vector<int> rank;
  std::int64_t weight = 1;  // number of identical ballots this stands for

  bool operator==(const Ballot& o) const {
    return rank == o.rank && weight == o.weight;
  }
};

// A question's answers (ids, and display names, same order) and its ballots.
// This is what the format readers produce and what urna-tally counts.
struct BallotBox {
  std::string title;
  std::vector<std::string> candidates;  // answer ids
  std::vector<std::string> names;       // display names (may equal ids)
  std::vector<Ballot> ballots;          // rank.size() == candidates.size()
  int seats = 0;                        // from the file when it says (BLT)
};

// Merges identical rankings, summing weights; drops weight-0 ballots. The
// result's order depends only on the rankings (sorted by a hash of the
// ranking, then the ranking), never on the input order.
std::vector<Ballot> compress(std::vector<Ballot> ballots);

// Sum of weights.
std::int64_t total_weight(const std::vector<Ballot>& ballots);

// True when no answer is ranked.
bool is_blank(const Ballot& b);

// A ballot as cast: (answer id, rank) marks, e.g. from the booth or the
// database. Converting it names what is wrong instead of guessing.
struct RawBallot {
  std::vector<std::pair<std::string, int>> marks;
  std::int64_t weight = 1;
};

// What a ballot is worth for a question's method.
enum class BallotStatus { kValid, kBlank, kInvalid };

struct BallotCheck {
  BallotStatus status = BallotStatus::kValid;
  std::string reason;  // set for kInvalid: one human sentence
};

// The rules a ballot must follow, from the question.
struct BallotRules {
  core::Method method = core::Method::kSchulze;
  int answers = 0;
  int min_selections = 0;  // selection methods only
  int max_selections = 0;  // selection methods; 0 = no limit (answers)
  bool allow_ties = true;  // equal ranks (ranked methods)
};

// Rules derived from a question (method, answers, min/max selections).
BallotRules rules_for(const core::Question& q);

// Checks a ballot already in index form: ranks out of range (negative or
// greater than the number of answers), ties where not allowed, too many or
// too few selections. A ballot that ranks nothing is kBlank.
BallotCheck check_ballot(const Ballot& b, const BallotRules& rules);

// Converts marks to a Ballot over `answer_ids` and checks it: unknown answer,
// the same answer twice, then check_ballot. `out` is filled when valid or
// blank.
BallotCheck convert_ballot(const RawBallot& raw,
                           const std::vector<std::string>& answer_ids,
                           const BallotRules& rules, Ballot* out);

// The same with the answer index built once (answer id -> position), for
// converting many ballots.
using AnswerIndex = std::unordered_map<std::string, int>;
AnswerIndex answer_index(const std::vector<std::string>& answer_ids);
BallotCheck convert_ballot(const RawBallot& raw, const AnswerIndex& index,
                           const BallotRules& rules, Ballot* out);

}  // namespace urna::tally

#endif  // URNA_TALLY_BALLOT_H_
