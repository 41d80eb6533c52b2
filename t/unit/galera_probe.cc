// store/sql_util.h's transaction() against a real Galera cluster: run by
// t/e2e/cluster_test.py (not by itself: it needs two nodes), with
// URNA_GALERA_A and URNA_GALERA_B the db_host of two nodes of one cluster
// and URNA_TEST_DB_USER / _PASSWORD / _NAME. A write on node B that
// conflicts with an open transaction on node A makes A's COMMIT fail
// certification (1213); transaction() must run A's work again, once, and
// give up with the 1213 after kTransactionAttempts when it always fails.
#define BOOST_TEST_MODULE galera
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <string>

#include "store/db.h"
#include "store/sql_util.h"

using namespace urna::store;

namespace {

std::string env(const char* k, const char* dflt = "") {
  const char* v = std::getenv(k);
  return v ? v : dflt;
}

DbParams node(const char* which) {
  return DbParams{env(which), env("URNA_TEST_DB_USER", "root"), env("URNA_TEST_DB_PASSWORD"),
                  env("URNA_TEST_DB_NAME", "urna_test")};
}

void set_owner(Db& db, const std::string& owner) {
  auto st = detail::prepare(db, "UPDATE leases SET owner = ? WHERE name = 't-galera'");
  st->setString(1, owner);
  st->executeUpdate();
}

std::string owner(Db& db) {
  return detail::read(db, "test", [](Db& d) {
    auto st = detail::prepare(d, "SELECT owner FROM leases WHERE name = 't-galera'");
    detail::Rows r(st->executeQuery());
    return r->next() ? std::string(r->getString("owner")) : std::string("(none)");
  });
}

struct Setup {
  Setup() {
    global_init();
    Db a(node("URNA_GALERA_A"));
    detail::transaction(a, "test", [](Db& d) {
      auto st = detail::prepare(d,
                                "INSERT IGNORE INTO leases (name, owner, taken_at, expires_at) "
                                "VALUES ('t-galera', '', 0, 0)");
      st->executeUpdate();
    });
  }
};
BOOST_TEST_GLOBAL_FIXTURE(Setup);

}  // namespace

BOOST_AUTO_TEST_CASE(both_are_galera_nodes_reading_with_wsrep_sync_wait) {
  for (const char* n : {"URNA_GALERA_A", "URNA_GALERA_B"}) {
    Db db(node(n));
    BOOST_TEST(db.galera(), n);
    auto st = detail::prepare(db, "SELECT @@session.wsrep_sync_wait AS w");
    detail::Rows r(st->executeQuery());
    BOOST_TEST_REQUIRE(r->next());
    BOOST_TEST(r->getInt("w") == 1, n);
  }
}

BOOST_AUTO_TEST_CASE(a_commit_refused_by_certification_runs_again_once) {
  Db a(node("URNA_GALERA_A")), b(node("URNA_GALERA_B"));
  const long before = commit_retries();
  int runs = 0;
  detail::transaction(a, "test", [&](Db& d) {
    ++runs;
    set_owner(d, "a" + std::to_string(runs));
    // Meanwhile node B commits a conflicting write (the first time only).
    if (runs == 1) detail::transaction(b, "test", [](Db& e) { set_owner(e, "b"); });
  });
  BOOST_TEST(runs == 2);
  BOOST_TEST(commit_retries() - before == 1);
  BOOST_TEST(owner(a) == "a2");
  BOOST_TEST(owner(b) == "a2");  // B reads A's commit (wsrep_sync_wait)
}

BOOST_AUTO_TEST_CASE(a_commit_refused_every_time_gives_up_with_the_1213) {
  Db a(node("URNA_GALERA_A")), b(node("URNA_GALERA_B"));
  int runs = 0;
  try {
    detail::transaction(a, "test", [&](Db& d) {
      ++runs;
      set_owner(d, "a" + std::to_string(runs));
      detail::transaction(b, "test", [&](Db& e) { set_owner(e, "b" + std::to_string(runs)); });
    });
    BOOST_FAIL("committed although every attempt conflicted");
  } catch (const DbError& e) {
    BOOST_TEST(e.code() == 1213);
    BOOST_TEST(!e.unavailable());
  }
  BOOST_TEST(runs == detail::kTransactionAttempts);
  BOOST_TEST(owner(a) == "b" + std::to_string(runs));  // nothing of A's applied
}
