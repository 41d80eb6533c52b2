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

// Schulze tiers over `among` from the strongest paths `p`: grouped by the
// number of candidates that beat each one (p[y][x] > p[x][y]), fewest
// first; the first tier is the winner set (nobody beats them).
std::vector<std::vector<int>> schulze_tiers(const Matrix& p,
                                            const std::vector<int>& among);

// Ranked pairs over `among` only (all when empty): locks pairs in order of
// winning votes (desc), then losing votes (asc); pairs of equal strength in
// the order of the tie-breaking ranking of the pairs that `tbrc` (a strict
// order of every candidate, best first) gives (Zavist–Tideman): (x, y)
// before (z, w) if x is above z in `tbrc`, or x == z and y is below w.
// Returns the tiers of the locked graph (candidates with no locked path
// between them and nobody above them share a tier). `locked` receives the
// locked pairs if set.
std::vector<std::vector<int>> ranked_pairs_tiers(
    const Matrix& d, const std::vector<int>& among,
    std::vector<std::pair<int, int>>* locked, const std::vector<int>& tbrc);

// Fills r->winners (and tie_at_boundary / tied / tie_break) from
// r->ranking and r->seats; applies opt.tie_break when a tier crosses the
// seat boundary. `ballots` (may be null) are the counted ballots, for the
// TBRC.
void winners_from_ranking(const CountOptions& opt, QuestionResult* r,
                          const std::vector<Ballot>* ballots = nullptr);

// `tier` ordered by the opt-in tie-break (ranked pairs on r->d, then the
// TBRC; the TBRC; or the seed order). Sets r->tie_break to a description.
std::vector<int> break_tie(const std::vector<int>& tier,
                           const CountOptions& opt, QuestionResult* r,
                           const std::vector<Ballot>* ballots);

// r->tbrc, computed first (from `ballots`, may be null, and opt.seed) if
// it is empty.
const std::vector<int>& tbrc_of(const CountOptions& opt, QuestionResult* r,
                                const std::vector<Ballot>* ballots);

// Tiers from scores, highest first; equal scores share a tier.
std::vector<std::vector<int>> tiers_by_score(const std::vector<double>& score,
                                             const std::vector<int>& among);

}  // namespace urna::tally::internal

#endif  // URNA_TALLY_METHODS_H_
