// urna-tally's scheduled count (DESIGN.md §2, §4), run by cron on the host
// that holds the private ballot keys: for every election of the live
// snapshot whose voting closed at least count_margin seconds ago and whose
// stored results are missing or stale, read its ballots (opening the
// sealed ones with the election's private key from key_dir), count every
// question (the pipes for a parent), build the anonymized shuffled export
// (count/export.h), and store it all with store::save_results in one
// transaction. docs/results.md and docs/store.md describe the rules: what
// "stale" means, the export formats, a ballot that does not open.
// For urna-tally only: urna.fcgi links none of this.
#ifndef URNA_COUNT_SCHEDULED_H_
#define URNA_COUNT_SCHEDULED_H_

#include <string>
#include <vector>

#include "core/config.h"
#include "core/model.h"
#include "tally/count.h"

namespace urna::count {

// The fingerprint of what the count of `e` depends on in its definition
// (questions, answers, pipes, children's questions, delete_after,
// tie_break, ...): stored in the results; a change re-tallies.
std::string definition_fingerprint(const core::Snapshot& snap, const core::Election& e);

// The count options `e`'s definition asks for: its tie_break (none when
// unset) and tie_break_seed.
tally::CountOptions count_options(const core::Election& e);

// The questions a parent's pipes start from: its own `questions:` (without
// ballots; the parent takes none). src/meta lists a parent's own questions
// first, then one per duplicate_questions pipe; without pipes the listed
// questions are the default consolidation's, so none are own.
std::vector<core::Question> parent_own_questions(const core::Election& e);

// Runs the scheduled count with `cfg` at `now`: takes
// state_dir/urna-tally.lock (returns 0 at once when another run holds it),
// counts what needs it and reports each election on stdout/stderr; with
// cfg.forget_key_after_count, deletes a private key once its last election
// is counted. Returns 0 when every election succeeded, 1 otherwise
// (failures are per election; the others carry on). Throws for a database
// that cannot be reached or a schema that is not current.
int run_cron(const core::Config& cfg, core::UnixTime now);

// Deletes the private key (in cfg.key_dir) of `election_id`'s ballot key
// when every election sealed to it is counted, or with `force`. Prints what
// it did; returns the exit status (1 when refused). Throws for an unknown
// election or one without a key.
int forget_election_key(const core::Config& cfg, const std::string& election_id, bool force,
                        core::UnixTime now);

}  // namespace urna::count

#endif  // URNA_COUNT_SCHEDULED_H_
