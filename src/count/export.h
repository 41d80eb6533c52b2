// The anonymized ballot export of a counted election (docs/results.md): every
// question's stored rankings, shuffled, as an Elekto CSV (with a receipt
// column when the election has receipts) and, for ranked questions, a BLT
// file. Pure apart from the shuffle's random generator. For urna-tally only.
#ifndef URNA_COUNT_EXPORT_H_
#define URNA_COUNT_EXPORT_H_

#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/model.h"

namespace urna::count {

// One stored ballot row of one question, as exported.
struct ExportRow {
  std::string ranking;  // as stored (tally/ranking_codec.h)
  std::string receipt;  // receipt hash, "" when none
};

// Rows by question id.
using QuestionRows = std::map<std::string, std::vector<ExportRow>>;

struct BallotExport {
  std::string csv;  // Elekto CSV; several questions: "# question: id" blocks
  std::string blt;  // ranked questions only; "" when there is none
};

// The anonymized export of `e`'s rows: every question's rows shuffled with
// `rng` (independently per question). A row whose ranking cannot be read
// (or names an unknown answer) is written with 0 in every cell (counted
// invalid by every reader) and left out of the BLT. With e.receipts a last
// CSV column "receipt" holds the receipt hash. Pure apart from `rng`.
BallotExport build_export(const core::Election& e, QuestionRows rows, std::mt19937_64& rng);

}  // namespace urna::count

#endif  // URNA_COUNT_EXPORT_H_
