#include "store/tally_store.h"

#include "crypto/crypto.h"
#include "store/blob.h"
#include "store/sql_util.h"

namespace urna::store {

void for_each_ballot(Db& db, const std::string& election_id,
                     const std::function<void(const std::string&, const std::string&,
                                              const std::string&, const std::string&)>& fn) {
  try {
    auto st = detail::prepare(db,
                              "SELECT id, question_id, ranking, receipt_hash FROM ballots "
                              "WHERE election_id = ? ORDER BY id, question_id");
    st->setString(1, election_id);
    detail::Rows r(st->executeQuery());
    while (r->next())
      fn(crypto::hex_encode(detail::get_bytes(*r, "id")), std::string(r->getString("question_id")),
         std::string(r->getString("ranking")),
         r->isNull("receipt_hash") ? std::string() : std::string(r->getString("receipt_hash")));
  } catch (const sql::SQLException& e) {
    throw detail::to_db_error(e, "reading ballots");
  }
}

void for_each_sealed_ballot(Db& db, const std::string& election_id,
                            const std::function<void(const std::string&, const std::string&)>& fn) {
  try {
    auto st = detail::prepare(db,
                              "SELECT ciphertext, receipt_hash FROM sealed_ballots "
                              "WHERE election_id = ? ORDER BY id");
    st->setString(1, election_id);
    detail::Rows r(st->executeQuery());
    while (r->next())
      fn(detail::get_bytes(*r, "ciphertext"),
         r->isNull("receipt_hash") ? std::string() : std::string(r->getString("receipt_hash")));
  } catch (const sql::SQLException& e) {
    throw detail::to_db_error(e, "reading sealed ballots");
  }
}

std::int64_t ballot_count(Db& db, const std::string& election_id) {
  return detail::read(db, "counting ballots", [&](Db& d) -> std::int64_t {
    std::int64_t n = 0;
    for (const char* q : {"SELECT COUNT(*) AS n FROM sealed_ballots WHERE election_id = ?",
                          "SELECT COUNT(DISTINCT id) AS n FROM ballots WHERE election_id = ?"}) {
      auto st = detail::prepare(d, q);
      st->setString(1, election_id);
      detail::Rows r(st->executeQuery());
      if (r->next()) n += r->getInt64("n");
    }
    return n;
  });
}

void save_results(Db& db, const StoredResults& s, bool erase_links, bool erase_ballots) {
  detail::transaction(db, "storing results", [&](Db& d) {
    auto st = detail::prepare(
        d,
        "REPLACE INTO results (election_id, body, ballots_csv, ballots_blt, ballot_count, "
        "snapshot_commit, tallied_at, links_erased) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    st->setString(1, s.election_id);
    st->setString(2, detail::pack(s.json));
    st->setString(3, detail::pack(s.ballots_csv));
    st->setString(4, detail::pack(s.ballots_blt));
    st->setInt64(5, s.ballot_count);
    st->setString(6, s.snapshot_commit);
    st->setInt64(7, s.tallied_at);
    st->setInt(8, erase_links ? 1 : 0);
    st->executeUpdate();
    if (erase_links) {
      auto up = detail::prepare(d,
                                "UPDATE voters_voted SET salt = NULL, sealed = NULL "
                                "WHERE election_id = ?");
      up->setString(1, s.election_id);
      up->executeUpdate();
    }
    if (erase_ballots) {
      for (const char* q : {"DELETE FROM sealed_ballots WHERE election_id = ?",
                            "DELETE FROM ballots WHERE election_id = ?"}) {
        auto del = detail::prepare(d, q);
        del->setString(1, s.election_id);
        del->executeUpdate();
      }
    }
  });
}

std::int64_t erase_ballots(Db& db, const std::string& election_id) {
  return detail::transaction(db, "erasing ballots", [&](Db& d) -> std::int64_t {
    std::int64_t n = 0;
    for (const char* q : {"DELETE FROM sealed_ballots WHERE election_id = ?",
                          "DELETE FROM ballots WHERE election_id = ?"}) {
      auto del = detail::prepare(d, q);
      del->setString(1, election_id);
      n += del->executeUpdate();
    }
    return n;
  });
}

}  // namespace urna::store
