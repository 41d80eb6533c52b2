// A QuestionResult as text for people: a plain-text report (urna-tally's
// default output) and a Markdown draft of an election's results.md. Pure:
// returns strings.
#ifndef URNA_TALLY_REPORT_H_
#define URNA_TALLY_REPORT_H_

#include <string>
#include <vector>

#include "tally/result.h"

namespace urna::tally {

// Winners, ranking, ballot accounting, ties, and the method's tables
// (pairwise matrix and strongest paths, locked pairs, rounds, scores).
std::string text_report(const QuestionResult& r);

// One sentence for a tie at the seat boundary (r.tie_at_boundary): who is
// tied for how many seats, and that the officers decide or which
// configured tie-break decided.
std::string tie_sentence(const QuestionResult& r);

// A results.md draft: a title, the winners, the ranking and the tables in
// Markdown, meant to be reviewed and committed by an election officer.
// `election_name` heads the page (may be empty).
std::string results_markdown(const std::string& election_name,
                             const std::vector<QuestionResult>& results);

}  // namespace urna::tally

#endif  // URNA_TALLY_REPORT_H_
