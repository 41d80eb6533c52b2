// For urna-tally only (libstore_tally.a; urna.fcgi does not link it): reads
// an election's ballots for counting and stores its results. Ballots come
// back in primary-key order, i.e. random order, with no voter attached.
#ifndef URNA_STORE_TALLY_STORE_H_
#define URNA_STORE_TALLY_STORE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "store/db.h"
#include "store/results_store.h"

namespace urna::store {

// Calls fn(ciphertext, receipt_hash) for every sealed ballot of the
// election (schema 4 on; crypto/ballot_box.h), in primary-key (random)
// order, streaming. The ballot id is not passed: the count never needs it.
void for_each_sealed_ballot(
    Db& db, const std::string& election_id,
    const std::function<void(const std::string& ciphertext, const std::string& receipt_hash)>&
        fn);

// Calls fn(ballot_id_hex, question_id, ranking, receipt_hash) for every
// plaintext ballot row of the election (cast before schema version 4),
// streaming (constant memory in the driver).
void for_each_ballot(Db& db, const std::string& election_id,
                     const std::function<void(const std::string& ballot_id,
                                              const std::string& question_id,
                                              const std::string& ranking,
                                              const std::string& receipt_hash)>& fn);

// Number of ballots of the election: sealed ones plus distinct ids of the
// plaintext rows from before schema version 4.
std::int64_t ballot_count(Db& db, const std::string& election_id);

// Stores (replaces) the election's results; when erase_links is set, also
// erases the election's sealed links (delete_after) in the same
// transaction, and when erase_ballots is set its ballots too (sealed rows
// and plaintext rows from before schema 4): after that only the results
// and their shuffled export hold what the ballots said (issue 8). The
// count of a parent reads its children's ballots, so urna-tally keeps
// those. Throws DbError.
void save_results(Db& db, const StoredResults& r, bool erase_links, bool erase_ballots = false);

// Erases the election's ballots (sealed rows and plaintext rows from before
// schema version 4) in one transaction; returns how many ballots went. For
// a child with delete_after, once its parent's and its own results are
// stored. Throws DbError.
std::int64_t erase_ballots(Db& db, const std::string& election_id);

}  // namespace urna::store

#endif  // URNA_STORE_TALLY_STORE_H_
