// urna-tally's scheduled (database) mode, run by cron: for every election
// of the live snapshot whose voting has closed and whose stored results are
// missing or stale, read its ballots, count every question (run the pipes
// for a parent), build the anonymized shuffled export, and store it all
// with store::save_results in one transaction. docs/results.md describes
// the rules (what "stale" means, the export formats).
#ifndef URNA_BIN_TALLY_CRON_H_
#define URNA_BIN_TALLY_CRON_H_

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/model.h"
#include "tally/count.h"

namespace urna::bin {

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

// The fingerprint of what the count of `e` depends on in its definition
// (questions, answers, pipes, children's questions, delete_after, ...):
// stored in the results; a change re-tallies.
std::string definition_fingerprint(const core::Snapshot& snap, const core::Election& e);

// The count options `e`'s definition asks for: its tie_break (none when
// unset) and tie_break_seed.
tally::CountOptions count_options(const core::Election& e);

// The questions a parent's pipes start from: its own `questions:` (without
// ballots; the parent takes none). src/meta lists a parent's own questions
// first, then one per duplicate_questions pipe; without pipes the listed
// questions are the default consolidation's, so none are own.
std::vector<core::Question> parent_own_questions(const core::Election& e);

// Runs the scheduled mode with `cfg`: takes state_dir/urna-tally.lock
// (returns 0 at once when another run holds it), counts what needs it and
// reports each election on stdout/stderr. Returns 0 when every election
// succeeded, 1 otherwise (failures are per election; the others carry on).
int run_cron(const core::Config& cfg, core::UnixTime now);

// main() for the scheduled mode: `urna-tally [--cron] [--config FILE]`.
// Reads the configuration (default URNA_SYSCONFDIR/urna.conf) and calls
// run_cron with the current UTC time. Exit status 0 ok, 1 failed, 2 usage.
int cron_main(int argc, char** argv);

// `urna-tally --keygen [--config FILE | --key-dir DIR]`: a new ballot key
// pair, the private key into key_dir (0600), the public key printed as the
// `ballot_key:` line to publish. `urna-tally --forget-key ELECTION [--force]`:
// deletes the private key of the election's ballot key once every election
// sealed to it is counted (or with --force). Returns the exit status.
int key_main(int argc, char** argv);

}  // namespace urna::bin

#endif  // URNA_BIN_TALLY_CRON_H_
