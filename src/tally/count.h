// Counting one question: validates every ballot (invalid ones are counted
// with their reason, blank ones counted, nothing dropped silently), merges
// identical ballots, runs the question's method and fills a QuestionResult.
// Pure: no I/O, no clock. Thread-safe (no shared state).
#ifndef URNA_TALLY_COUNT_H_
#define URNA_TALLY_COUNT_H_

#include <string>
#include <vector>

#include "core/model.h"
#include "tally/ballot.h"
#include "tally/result.h"

namespace urna::tally {

// How a tie that decides something (a seat, an exclusion) is resolved.
// Without an opt-in tie-break, Condorcet and score methods report the tie
// (tie_at_boundary + tied) and fill only the seats that are not in doubt.
// IRV/STV must exclude someone to go on: they use earlier rounds first,
// then the seed order below, and say so in the round's note.
enum class TieBreak {
  kNone,
  // Order the tied candidates as ranked pairs ranks them (from the same
  // pairwise matrix); what is still tied goes by the TBRC below.
  kRankedPairs,
  // Seed order: ascending hex of sha256(seed + "\n" + candidate id); the
  // seed is published in advance (e.g. a future lottery draw).
  kSeed,
  // Schulze's (and Zavist–Tideman's) tie-breaking ranking of the candidates
  // (TBRC): ballots taken in a random order fixed by the published seed,
  // each one ordering the candidates still tied (see tie_breaking_ranking).
  kTbrc,
};

// Parses "none", "ranked-pairs", "seed", "tbrc"; false (and *out untouched)
// for anything else.
bool parse_tie_break(const std::string& name, TieBreak* out);
const char* tie_break_name(TieBreak t);

// How a Condorcet count treats an answer the ballot leaves unranked.
enum class Unranked {
  kIgnore,  // Elekto: takes part in no pairwise comparison on that ballot
  kLast,    // Debian, PrefLib .soi/.toi: tied below every ranked answer
};

enum class StvVariant {
  kScottish,     // Scottish STV rules (2007 Order): Droop quota, 5 decimal
                 // places truncated, WIGM transfers, one exclusion a stage
  kMinneapolis,  // Minneapolis RCV: same quota, 4 decimal places, all
                 // candidates who cannot win excluded together
};

struct CountOptions {
  int seats = 0;  // 0 = the question's `winners` (or the box's seats, or 1)
  TieBreak tie_break = TieBreak::kNone;
  std::string seed;
  Unranked unranked = Unranked::kIgnore;
  StvVariant stv = StvVariant::kScottish;
  // IRV: exclude together every lowest group whose sum is below the next
  // candidate (cannot change the winner; matches Burlington's published
  // rounds). False = one candidate a round.
  bool irv_batch_exclusion = true;
  // Debian constitution A.6 (Condorcet methods only): an answer whose
  // number of ballots preferring it to `default_option` is below `quorum`,
  // or for which V(A,default)/V(default,A) <= majority[A] (default 1), is
  // dropped before the count (listed in `dropped`, ranked last).
  int default_option = -1;
  double quorum = 0;
  std::vector<double> majority;  // per answer; empty = 1 for all
  // Selection methods: most answers a ballot may select (0 = question's).
  int max_selections = 0;
  int min_selections = 0;
};

// Counts ballots given as marks by answer id (the booth / database form).
// Seats, method, answers and selection limits come from `q`; `opt.seats`
// overrides the seats when > 0. Throws std::invalid_argument when the
// question has no answers or seats < 1.
QuestionResult count_question(const core::Question& q,
                              const std::vector<RawBallot>& ballots,
                              const CountOptions& opt = {});

// Counts a ballot box (the format readers' output) with `method`.
// Seats: opt.seats, else box.seats, else 1. Every ballot is checked with
// check_ballot; the rest as count_question.
QuestionResult count_box(const BallotBox& box, core::Method method,
                         const CountOptions& opt = {});

// The counting core on ballots already valid and non-blank (compressed or
// not): fills ranking, winners and the method's tables of `r` (whose
// candidates / seats are set). Used by the two functions above and by the
// benchmark.
void count_valid(core::Method method, const std::vector<Ballot>& ballots,
                 const CountOptions& opt, QuestionResult* r);

// Pairwise matrix: d[i][j] = weight of ballots ranking i above j.
std::vector<std::vector<std::int64_t>> pairwise(
    const std::vector<Ballot>& ballots, int candidates, Unranked unranked);

// Schulze strongest paths (winning votes) from d, as Elekto computes them:
// p[i][j] = d[i][j] if d[i][j] > d[j][i] else 0, then Floyd–Warshall with
// min/max.
std::vector<std::vector<std::int64_t>> strongest_paths(
    const std::vector<std::vector<std::int64_t>>& d);

// Seed order of `ids` (see TieBreak::kSeed): indices, first = best.
std::vector<int> seed_order(const std::vector<int>& candidates,
                            const std::vector<std::string>& ids,
                            const std::string& seed);

// The tie-breaking ranking of the candidates (TBRC; Schulze 2011 §5,
// Zavist & Tideman 1989): a strict order of all candidates (indices into
// `ids`, first = best), reproducible by anyone who has the ballots and the
// seed, whatever order the ballots or the candidates are listed in.
//   1. Every ballot gets the key sha256(seed + "\n" + c + "\n" + k), where
//      c is its ranking written as `id=rank&id=rank` (ids sorted, unranked
//      left out) and k counts the earlier ballots with the same c (0, 1, ...;
//      a ballot of weight w stands for w ballots). Ballots are taken in
//      ascending key order: a random ballot, then another, ...
//   2. Starting from "all tied", each ballot orders the candidates that are
//      still tied with each other as it ranks them (ranked before unranked;
//      equal ranks stay tied).
//   3. What is still tied after the last ballot goes by seed_order().
std::vector<int> tie_breaking_ranking(const std::vector<Ballot>& ballots,
                                      const std::vector<std::string>& ids,
                                      const std::string& seed);

// Ballots converted for plurality from a ranking: each ballot keeps only
// its first preference(s) (rank 1 after renumbering). Ballots that rank
// several answers first stay as they are and are then invalid.
std::vector<Ballot> first_preferences(const std::vector<Ballot>& ballots);

}  // namespace urna::tally

#endif  // URNA_TALLY_COUNT_H_
