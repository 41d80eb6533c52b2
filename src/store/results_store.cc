#include "store/results_store.h"

#include "store/blob.h"
#include "store/sql_util.h"

namespace urna::store {

std::optional<StoredResults> load_results(Db& db, const std::string& election_id) {
  return detail::read(db, "reading results", [&](Db& d) -> std::optional<StoredResults> {
    auto st = detail::prepare(d,
                              "SELECT election_id, body, ballots_csv, ballots_blt, ballot_count, "
                              "snapshot_commit, tallied_at, links_erased FROM results "
                              "WHERE election_id = ?");
    st->setString(1, election_id);
    detail::Rows r(st->executeQuery());
    if (!r->next()) return std::nullopt;
    StoredResults s;
    s.election_id = r->getString("election_id");
    s.json = detail::unpack(detail::get_bytes(*r, "body"));
    s.ballots_csv = detail::unpack(detail::get_bytes(*r, "ballots_csv"));
    s.ballots_blt = detail::unpack(detail::get_bytes(*r, "ballots_blt"));
    s.ballot_count = r->getInt64("ballot_count");
    s.snapshot_commit = r->getString("snapshot_commit");
    s.tallied_at = r->getInt64("tallied_at");
    s.links_erased = r->getInt("links_erased") != 0;
    return s;
  });
}

}  // namespace urna::store
