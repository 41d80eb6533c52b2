// Internal to src/tally: the methods behind count_valid(), and the helpers
// they share. Not for use outside src/tally.
#ifndef URNA_TALLY_METHODS_H_
#define URNA_TALLY_METHODS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tally/count.h"

namespace urna::tally::internal {

using Matrix = std::vector<std::vector<std::int64_t>>;

void count_schulze(const std::vector<Ballot>& ballots, const CountOptions& opt,
                   QuestionResult* r);
void count_ranked_pairs(const std::vector<Ballot>& ballots,
                        const CountOptions& opt, QuestionResult* r);
void count_irv(const std::vector<Ballot>& ballots, const CountOptions& opt,
               QuestionResult* r);
void count_stv(const std::vector<Ballot>& ballots, const CountOptions& opt,
               QuestionResult* r);
// Plurality, approval (1 point a selection) and Borda (C - rank points).
void count_scores(core::Method method, const std::vector<Ballot>& ballots,
                  const CountOptions& opt, QuestionResult* r);

// Ranked pairs over `among` only (all when empty): locks pairs in order of
// winning votes (desc), then losing votes (asc), then index; returns the
// tiers of the locked graph. `locked` receives the locked pairs if set.
std::vector<std::vector<int>> ranked_pairs_tiers(
    const Matrix& d, const std::vector<int>& among,
    std::vector<std::pair<int, int>>* locked);

// Fills r->winners (and tie_at_boundary / tied / tie_break) from
// r->ranking and r->seats; applies opt.tie_break when a tier crosses the
// seat boundary.
void winners_from_ranking(const CountOptions& opt, QuestionResult* r);

// `tier` ordered by the opt-in tie-break (ranked pairs on r->d when
// present, then seed order). Sets r->tie_break to a description.
std::vector<int> break_tie(const std::vector<int>& tier,
                           const CountOptions& opt, QuestionResult* r);

// Tiers from scores, highest first; equal scores share a tier.
std::vector<std::vector<int>> tiers_by_score(const std::vector<double>& score,
                                             const std::vector<int>& among);

}  // namespace urna::tally::internal

#endif  // URNA_TALLY_METHODS_H_
