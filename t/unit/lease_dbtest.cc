// store/lease_store against a real, private MariaDB (t/lib/with_mariadb.py):
// the lease that lets one urna-sync and one urna-tally run at a time across
// hosts. Faults tried: two takers at once, a holder that stops renewing
// (killed) and is taken over after the expiry, a holder that finds its
// lease taken over, a second --migrate while one holds the migration lease.
#define BOOST_TEST_MODULE lease
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "store/db.h"
#include "store/lease_store.h"
#include "store/migrate.h"
#include "store/sql_util.h"

using namespace urna;
using namespace urna::store;

namespace {

std::string env(const char* k, const char* dflt = "") {
  const char* v = std::getenv(k);
  return v ? v : dflt;
}

DbParams params() {
  return DbParams{env("URNA_TEST_DB_HOST"), env("URNA_TEST_DB_USER", "root"),
                  env("URNA_TEST_DB_PASSWORD"), env("URNA_TEST_DB_NAME", "urna_test")};
}

struct Migrated {
  Migrated() {
    store::global_init();
    Db db(params());
    migrate(db, env("URNA_SRCDIR", ".") + std::string("/sql"), 1000);
  }
};
BOOST_TEST_GLOBAL_FIXTURE(Migrated);

// A lease name of its own for every test case.
std::string fresh(const char* what) { return std::string("t-") + what; }

void set_owner(Db& db, const std::string& name, const std::string& owner) {
  detail::transaction(db, "test", [&](Db& d) {
    auto st = detail::prepare(d, "UPDATE leases SET owner = ? WHERE name = ?");
    st->setString(1, owner);
    st->setString(2, name);
    st->executeUpdate();
  });
}

std::atomic<int> lost_calls{0};
std::string lost_why;
void on_lost(const std::string& why) {
  lost_why = why;
  ++lost_calls;
}

}  // namespace

BOOST_AUTO_TEST_CASE(owner_names_say_host_pid_and_a_token) {
  const std::string a = lease_owner_name(), b = lease_owner_name();
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  BOOST_TEST(a.find(host) == 0u);
  BOOST_TEST(a.find(" pid " + std::to_string(getpid()) + " token ") != std::string::npos);
  BOOST_TEST(a != b);  // the token differs
}

BOOST_AUTO_TEST_CASE(the_migration_seeds_the_three_leases_free) {
  Db db(params());
  for (const char* n : {"urna-sync", "urna-tally", "urna-migrate"})
    BOOST_TEST(!lease_holder(db, n).has_value(), n);
}

BOOST_AUTO_TEST_CASE(take_refuse_retake_renew_release) {
  Db db(params());
  const std::string n = fresh("basic");
  const LeaseTaken a = take_lease(db, n, "host-a pid 1 token aa", 60);
  BOOST_TEST(a.taken);
  BOOST_TEST(a.previous.empty());
  const LeaseTaken b = take_lease(db, n, "host-b pid 2 token bb", 60);
  BOOST_TEST(!b.taken);
  BOOST_TEST(b.holder.owner == "host-a pid 1 token aa");
  BOOST_TEST(b.holder.expires_in > 55);
  BOOST_TEST(b.holder.expires_in <= 60);
  // The holder may take it again (a retry after a lost answer).
  BOOST_TEST(take_lease(db, n, "host-a pid 1 token aa", 60).taken);
  BOOST_TEST(renew_lease(db, n, "host-a pid 1 token aa", 90));
  BOOST_TEST(lease_holder(db, n)->expires_in > 85);
  BOOST_TEST(!renew_lease(db, n, "host-b pid 2 token bb", 60));  // not b's
  BOOST_TEST(lease_holder(db, n)->owner == "host-a pid 1 token aa");
  release_lease(db, n, "host-b pid 2 token bb");  // not b's: no effect
  BOOST_TEST(lease_holder(db, n).has_value());
  release_lease(db, n, "host-a pid 1 token aa");
  BOOST_TEST(!lease_holder(db, n).has_value());
  const LeaseTaken c = take_lease(db, n, "host-b pid 2 token bb", 60);
  BOOST_TEST(c.taken);
  BOOST_TEST(c.previous.empty());  // released, not taken over
}

BOOST_AUTO_TEST_CASE(an_expired_lease_is_taken_over_and_not_renewed) {
  Db db(params());
  const std::string n = fresh("expiry");
  BOOST_TEST(take_lease(db, n, "dead pid 1 token 01", 1).taken);
  BOOST_TEST(!take_lease(db, n, "next pid 2 token 02", 60).taken);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  BOOST_TEST(!lease_holder(db, n).has_value());
  // The dead holder's late renewal must not win back an expired lease.
  BOOST_TEST(!renew_lease(db, n, "dead pid 1 token 01", 60));
  const LeaseTaken t = take_lease(db, n, "next pid 2 token 02", 60);
  BOOST_TEST(t.taken);
  BOOST_TEST(t.previous == "dead pid 1 token 01");
  BOOST_TEST(!renew_lease(db, n, "dead pid 1 token 01", 60));
  BOOST_TEST(lease_holder(db, n)->owner == "next pid 2 token 02");
}

BOOST_AUTO_TEST_CASE(of_twelve_takers_at_once_exactly_one_wins) {
  const std::string n = fresh("race");
  for (int round = 0; round < 5; ++round) {
    std::atomic<int> won{0}, refused{0}, failed{0};
    std::vector<std::thread> ts;
    std::atomic<bool> go{false};
    for (int i = 0; i < 12; ++i)
      ts.emplace_back([&, i] {
        thread_init();
        try {
          Db db(params());
          while (!go) std::this_thread::yield();
          const auto t = take_lease(
              db, n, "r" + std::to_string(round) + " pid " + std::to_string(i) + " token x", 60);
          (t.taken ? won : refused)++;
        } catch (const std::exception&) {
          ++failed;
        }
        thread_end();
      });
    go = true;
    for (auto& t : ts) t.join();
    BOOST_TEST(won.load() == 1);
    BOOST_TEST(refused.load() == 11);
    BOOST_TEST(failed.load() == 0);
    Db db(params());
    const auto h = lease_holder(db, n);
    BOOST_TEST_REQUIRE(h.has_value());
    release_lease(db, n, h->owner);
  }
}

BOOST_AUTO_TEST_CASE(the_keeper_renews_while_running_and_releases_at_the_end) {
  Db db(params());
  const std::string n = fresh("keeper");
  const std::string me = lease_owner_name();
  BOOST_TEST(take_lease(db, n, me, 3).taken);
  {
    LeaseKeeper k(params(), n, me, 3);
    k.set_on_lost(&on_lost);
    // Longer than the ttl: without renewals it would have expired.
    std::this_thread::sleep_for(std::chrono::milliseconds(4500));
    BOOST_TEST(k.renewals() >= 3);
    const LeaseTaken other = take_lease(db, n, "other pid 9 token 99", 3);
    BOOST_TEST(!other.taken);
    BOOST_TEST(other.holder.owner == me);
  }
  BOOST_TEST(lost_calls.load() == 0);
  BOOST_TEST(!lease_holder(db, n).has_value());
}

BOOST_AUTO_TEST_CASE(a_keeper_whose_lease_was_taken_over_says_so) {
  Db db(params());
  const std::string n = fresh("lost");
  const std::string me = lease_owner_name();
  BOOST_TEST(take_lease(db, n, me, 3).taken);
  lost_calls = 0;
  {
    LeaseKeeper k(params(), n, me, 3);
    k.set_on_lost(&on_lost);
    set_owner(db, n, "thief pid 7 token 77");  // as a takeover after an expiry
    for (int i = 0; i < 40 && lost_calls.load() == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_TEST(lost_calls.load() == 1);
  BOOST_TEST(lost_why.find("taken over") != std::string::npos, lost_why);
  // Its release does not free the new holder's lease.
  BOOST_TEST(lease_holder(db, n)->owner == "thief pid 7 token 77");
}

BOOST_AUTO_TEST_CASE(a_second_migrate_is_refused_while_one_holds_the_lease) {
  Db db(params());
  BOOST_TEST(take_lease(db, "urna-migrate", "migrator pid 5 token 55", 60).taken);
  try {
    migrate(db, env("URNA_SRCDIR", ".") + std::string("/sql"), 2000);
    BOOST_FAIL("migrated while another held the lease");
  } catch (const DbError& e) {
    BOOST_TEST(std::string(e.what()).find("migrator pid 5 token 55") != std::string::npos,
               e.what());
  }
  release_lease(db, "urna-migrate", "migrator pid 5 token 55");
  BOOST_TEST(migrate(db, env("URNA_SRCDIR", ".") + std::string("/sql"), 2000).empty());
  BOOST_TEST(!lease_holder(db, "urna-migrate").has_value());
}

BOOST_AUTO_TEST_CASE(db_host_lists_use_the_first_server_that_answers) {
  DbParams p = params();
  const std::string real = p.host;
  p.host = "unix:///nonexistent/urna-test.sock, " + real;
  Db db(p);
  BOOST_TEST(db.server() == real);
  BOOST_TEST(!db.galera());
  p.host = "unix:///nonexistent/a.sock,unix:///nonexistent/b.sock";
  try {
    Db none(p);
    BOOST_FAIL("connected to nothing");
  } catch (const DbError& e) {
    BOOST_TEST(e.unavailable());
    const std::string w = e.what();
    BOOST_TEST((w.find("a.sock") != std::string::npos && w.find("b.sock") != std::string::npos), w);
  }
}
