// Stored results, written by urna-tally (tally_store.h) and read by the web
// results pages: per election, the JSON of its questions' results, the
// anonymized shuffled ballot export (CSV in Elekto's format, BLT) and what
// they were computed from. The web reads only these, never the ballots.
#ifndef URNA_STORE_RESULTS_STORE_H_
#define URNA_STORE_RESULTS_STORE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "core/model.h"
#include "store/db.h"

namespace urna::store {

struct StoredResults {
  std::string election_id;
  std::string json;         // tally results (src/tally/result.h JSON)
  std::string ballots_csv;  // Elekto ballot CSV (all questions, see docs)
  std::string ballots_blt;
  std::int64_t ballot_count = 0;
  std::string snapshot_commit;
  core::UnixTime tallied_at = 0;
  bool links_erased = false;
};

std::optional<StoredResults> load_results(Db& db, const std::string& election_id);

}  // namespace urna::store

#endif  // URNA_STORE_RESULTS_STORE_H_
