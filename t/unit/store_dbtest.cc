// src/store against a real, private MariaDB (t/lib/with_mariadb.py starts
// it and exports URNA_TEST_DB_*). Faults tried here: a database restart
// between requests (reconnect), concurrent double submission of a ballot,
// a wrong passcode, a re-cast racing another, a failing sync after a good one.
#define BOOST_TEST_MODULE store
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <cstdlib>
#include <set>
#include <thread>

#include "core/ballot_plaintext.h"
#include "crypto/ballot_box.h"
#include "crypto/ballot_open.h"
#include "crypto/crypto.h"
#include "crypto/kdf_gate.h"
#include "store/attempt_store.h"
#include "store/ballot_store.h"
#include "store/blob.h"
#include "store/db.h"
#include "store/exception_store.h"
#include "store/migrate.h"
#include "store/results_store.h"
#include "store/sync_store.h"
#include "store/sql_util.h"
#include "store/tally_store.h"

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

std::string sql_dir() { return env("URNA_SRCDIR", ".") + std::string("/sql"); }

// Cheap KDF parameters for tests (the defaults are measured in bench/).
crypto::ScryptParams fast_kdf() { return crypto::ScryptParams{1024, 8, 1}; }

struct Migrated {
  Migrated() {
    store::global_init();
    Db db(params());
    migrate(db, sql_dir(), 1000);
  }
};
BOOST_TEST_GLOBAL_FIXTURE(Migrated);

// The election's ballot key pair of these tests (the private half plays
// urna-tally's key_dir).
const crypto::BallotKeyPair& test_key() {
  static const crypto::BallotKeyPair k = crypto::generate_ballot_key();
  return k;
}
constexpr size_t kPadded = 256;

CastRequest vote(const std::string& election, const std::string& login, const std::string& pass,
                 const std::string& ranking) {
  CastRequest r;
  r.election_id = election;
  r.login = login;
  r.passcode = pass;
  r.parts = {{"main", ranking}};
  r.kdf = fast_kdf();
  r.ballot_key = test_key().public_key;
  r.padded_size = kPadded;
  return r;
}

// The sealed ballots of `election`, opened as urna-tally opens them:
// (main question's ranking, receipt hash), in stored order.
std::vector<std::pair<std::string, std::string>> opened(Db& db, const std::string& election) {
  std::vector<std::pair<std::string, std::string>> out;
  for_each_sealed_ballot(db, election, [&](const std::string& c, const std::string& receipt) {
    BOOST_TEST_REQUIRE(c.size() == kPadded + crypto::kSealedBallotOverhead);
    auto padded = crypto::open_ballot(test_key().private_key, c, election);
    BOOST_TEST_REQUIRE(padded.has_value());
    auto parts = core::decode_ballot(*crypto::unpad_ballot(*padded));
    BOOST_TEST_REQUIRE(parts.has_value());
    BOOST_TEST_REQUIRE(parts->size() == 1u);
    out.emplace_back(parts->at(0).second, receipt);
  });
  return out;
}

// Every row of every ballot table as a DBA would dump it, one string.
std::string dump_ballot_tables(Db& db) {
  std::string all;
  for (const char* q : {"SELECT HEX(id) AS a, election_id AS b, HEX(ciphertext) AS c, "
                        "IFNULL(receipt_hash, '') AS d FROM sealed_ballots",
                        "SELECT election_id AS a, login AS b, HEX(IFNULL(salt, '')) AS c, "
                        "HEX(IFNULL(sealed, '')) AS d FROM voters_voted"}) {
    auto st = detail::prepare(db, q);
    detail::Rows r(st->executeQuery());
    while (r->next())
      for (const char* c : {"a", "b", "c", "d"}) all += std::string(r->getString(c)) + "|";
  }
  return all;
}

}  // namespace

BOOST_AUTO_TEST_CASE(migrations_are_idempotent_and_versioned) {
  Db db(params());
  BOOST_TEST(schema_version(db) == expected_schema_version());
  BOOST_TEST(migrate(db, sql_dir(), 2000).empty());  // second run: nothing
  BOOST_CHECK_THROW(migrate(db, "/nonexistent", 2000), std::runtime_error);
  const auto parts = split_sql("-- c\nCREATE TABLE a (x INT);\nINSERT INTO a\n VALUES (1);\n");
  BOOST_TEST(parts.size() == 2u);
  BOOST_TEST(parts[1] == "INSERT INTO a\n VALUES (1)");
}

BOOST_AUTO_TEST_CASE(bad_credentials_are_a_clear_unavailable_error) {
  DbParams p = params();
  p.user = "nobody_here";
  try {
    Db db(p);
    BOOST_FAIL("connected with a wrong user");
  } catch (const DbError& e) {
    BOOST_TEST(e.unavailable());
    BOOST_TEST(std::string(e.what()).find("nobody_here") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(snapshots_failure_keeps_the_last_good_one) {
  Db db(params());
  const auto id1 = save_snapshot(db, "c1", "{\"elections\":[]}", 100);
  BOOST_TEST(id1 > 0);
  BOOST_TEST(live_snapshot_id(db) == id1);
  // The same commit and body again: no new snapshot.
  BOOST_TEST(save_snapshot(db, "c1", "{\"elections\":[]}", 160) == id1);
  record_sync_failure(db, "c2", "elections/x/election.yaml: name: missing", 200);
  BOOST_TEST(live_snapshot_id(db) == id1);
  auto s = load_live_snapshot(db);
  BOOST_REQUIRE(s);
  BOOST_TEST(s->commit == "c1");
  SyncState st = sync_state(db);
  BOOST_TEST(st.last_error_commit == "c2");
  BOOST_TEST(st.last_error.find("name: missing") != std::string::npos);
  BOOST_TEST(st.live_commit == "c1");
  const auto id2 = save_snapshot(db, "c3", "{\"elections\":[1]}", 300);
  BOOST_TEST(id2 > id1);
  st = sync_state(db);
  BOOST_TEST(st.last_error.empty());
  BOOST_TEST(st.last_ok_commit == "c3");
}

BOOST_AUTO_TEST_CASE(sync_warnings_live_with_the_snapshot) {
  Db db(params());
  const std::vector<SyncWarning> w = {
      {"solo", "elections/solo/election.yaml: colour: warning: unknown field, ignored"},
      {"uni/p", "elections/uni/p/election.yaml: x: warning: unknown field, ignored"},
      {"", "elections/stray/election.yml: warning: ignored"},
      {"solo", "elections/solo/voters.yaml: eligible_voters[1]: warning: empty entry, skipped"}};
  save_snapshot(db, "w1", "{\"elections\":[\"w\"]}", 400, &w);
  auto got = sync_warnings(db, {"solo"});
  BOOST_TEST_REQUIRE(got.size() == 2u);
  BOOST_TEST((got[0] == w[0]));
  BOOST_TEST((got[1] == w[3]));  // in the loader's order
  got = sync_warnings(db, {"uni", "uni/p", ""});
  BOOST_TEST_REQUIRE(got.size() == 2u);
  BOOST_TEST((got[0] == w[1]));
  BOOST_TEST((got[1] == w[2]));
  BOOST_TEST(sync_warnings(db, {}).empty());
  BOOST_TEST(sync_warnings(db, {"nobody"}).empty());
  // A failed sync keeps the live snapshot and its warnings; so does a run
  // that records the live snapshot again without loading the tree.
  record_sync_failure(db, "w2", "elections/solo/election.yaml: name: missing", 410);
  BOOST_TEST(sync_warnings(db, {"solo"}).size() == 2u);
  save_snapshot(db, "w1", "{\"elections\":[\"w\"]}", 420);
  BOOST_TEST(sync_warnings(db, {"solo"}).size() == 2u);
  // A new load replaces them, also by none.
  const std::vector<SyncWarning> none;
  save_snapshot(db, "w3", "{\"elections\":[\"w3\"]}", 430, &none);
  BOOST_TEST(sync_warnings(db, {"solo", "uni/p", ""}).empty());
  // At most kMaxStoredWarnings, then one line that says how many more.
  std::vector<SyncWarning> many;
  for (size_t i = 0; i < kMaxStoredWarnings + 5; ++i)
    many.push_back({"big", "warning " + std::to_string(i)});
  save_snapshot(db, "w4", "{\"elections\":[\"w4\"]}", 440, &many);
  got = sync_warnings(db, {"big"});
  BOOST_TEST(got.size() == kMaxStoredWarnings);
  BOOST_TEST(got.back().text == "warning " + std::to_string(kMaxStoredWarnings - 1));
  got = sync_warnings(db, {""});
  BOOST_TEST_REQUIRE(got.size() == 1u);
  BOOST_TEST(got[0].text == "5 more warning(s) not stored; urna-sync --check lists them all");
}

BOOST_AUTO_TEST_CASE(webhook_requests_are_rate_limited_and_taken_once) {
  Db db(params());
  take_sync_request(db);
  BOOST_TEST(request_sync(db, 1000, 10).accepted);
  const SyncRequest again = request_sync(db, 1004, 10);
  BOOST_TEST(!again.accepted);
  BOOST_TEST(again.retry_after == 6);
  BOOST_TEST(take_sync_request(db));
  BOOST_TEST(!take_sync_request(db));
  BOOST_TEST(request_sync(db, 1010, 10).accepted);
  BOOST_TEST(take_sync_request(db));
}

BOOST_AUTO_TEST_CASE(cast_view_recast_and_wrong_passcode) {
  Db db(params());
  const std::string pass = crypto::normalize_passcode(crypto::generate_passcode());
  BOOST_TEST(!has_voted(db, "e1", "alice"));
  auto r = cast_ballot(db, vote("e1", "alice", pass, "a=1&b=2"));
  BOOST_TEST((r.outcome == CastOutcome::kStored));
  BOOST_TEST(has_voted(db, "e1", "alice"));
  // A second first-vote changes nothing.
  BOOST_TEST((cast_ballot(db, vote("e1", "alice", pass, "b=1")).outcome ==
              CastOutcome::kAlreadyVoted));
  auto v = view_ballot(db, "e1", "alice", pass, fast_kdf());
  BOOST_TEST((v.outcome == CastOutcome::kStored));
  BOOST_REQUIRE(v.parts.size() == 1u);
  BOOST_TEST(v.parts[0].second == "a=1&b=2");
  // Wrong passcode: nothing changes, nothing shown.
  BOOST_TEST((view_ballot(db, "e1", "alice", "WRONG", fast_kdf()).outcome ==
              CastOutcome::kWrongPasscode));
  BOOST_TEST((recast_ballot(db, vote("e1", "alice", "WRONG", "b=1")).outcome ==
              CastOutcome::kWrongPasscode));
  BOOST_TEST(view_ballot(db, "e1", "alice", pass, fast_kdf()).parts[0].second == "a=1&b=2");
  // Re-cast replaces the ballot: still exactly one.
  BOOST_TEST((recast_ballot(db, vote("e1", "alice", pass, "b=1&a=2")).outcome ==
              CastOutcome::kStored));
  BOOST_TEST(view_ballot(db, "e1", "alice", pass, fast_kdf()).parts[0].second == "b=1&a=2");
  BOOST_TEST(ballot_count(db, "e1") == 1);
  // The link is bound to its voter: bob has not voted.
  BOOST_TEST((view_ballot(db, "e1", "bob", pass, fast_kdf()).outcome == CastOutcome::kNotVoted));
}

// Issue 10: one booth page (its submission id) stores one ballot, however
// often it is sent; the receipt is sealed with the ballot for the view.
BOOST_AUTO_TEST_CASE(the_same_submission_is_stored_once_and_the_receipt_kept) {
  Db db(params());
  const std::string pass = crypto::normalize_passcode(crypto::generate_passcode());
  CastRequest first = vote("s1", "alice", pass, "a=1");
  first.submission = "0123456789abcdef0123456789abcdef";
  first.receipt = true;
  const CastResult r = cast_ballot(db, first);
  BOOST_TEST((r.outcome == CastOutcome::kStored));
  BOOST_TEST(!r.receipt.empty());
  // Sent again as a first vote (a double click) and as a re-cast (F5 after
  // the row exists): nothing stored, no passcode checked or counted.
  BOOST_TEST((cast_ballot(db, first).outcome == CastOutcome::kSameSubmission));
  CastRequest again = first;
  again.parts = {{"main", "b=1"}};
  again.passcode = "WRONG";
  BOOST_TEST((recast_ballot(db, again).outcome == CastOutcome::kSameSubmission));
  auto v = view_ballot(db, "s1", "alice", pass, fast_kdf());
  BOOST_TEST_REQUIRE((v.outcome == CastOutcome::kStored));
  BOOST_TEST(v.parts[0].second == "a=1");
  BOOST_TEST(v.receipt == r.receipt);
  BOOST_TEST(ballot_count(db, "s1") == 1);
  // Another page re-casts as before, and becomes the last submission.
  CastRequest other = vote("s1", "alice", pass, "b=1");
  other.submission = "fedcba9876543210fedcba9876543210";
  other.receipt = true;
  const CastResult r2 = recast_ballot(db, other);
  BOOST_TEST((r2.outcome == CastOutcome::kStored));
  BOOST_TEST((recast_ballot(db, other).outcome == CastOutcome::kSameSubmission));
  v = view_ballot(db, "s1", "alice", pass, fast_kdf());
  BOOST_TEST(v.parts[0].second == "b=1");
  BOOST_TEST(v.receipt == r2.receipt);
  BOOST_TEST(ballot_count(db, "s1") == 1);
  // No submission id (a hand-written client): nothing is recognised.
  CastRequest plain = vote("s1", "alice", pass, "a=1");
  BOOST_TEST((recast_ballot(db, plain).outcome == CastOutcome::kStored));
  BOOST_TEST((recast_ballot(db, plain).outcome == CastOutcome::kStored));
}

BOOST_AUTO_TEST_CASE(concurrent_double_submission_stores_one_ballot) {
  std::atomic<int> stored{0}, already{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 8; ++i)
    ts.emplace_back([&, i] {
      store::thread_init();
      Db db(params());
      auto r = cast_ballot(db, vote("e2", "carol", "PASS-" + std::to_string(i), "x=1"));
      (r.outcome == CastOutcome::kStored ? stored : already)++;
      store::thread_end();
    });
  for (auto& t : ts) t.join();
  BOOST_TEST(stored.load() == 1);
  BOOST_TEST(already.load() == 7);
  Db db(params());
  BOOST_TEST(ballot_count(db, "e2") == 1);
  BOOST_TEST(turnout(db, "e2") == 1);
}

BOOST_AUTO_TEST_CASE(concurrent_recasts_leave_one_ballot) {
  {
    Db db(params());
    cast_ballot(db, vote("e3", "dave", "PASS", "x=1"));
  }
  std::vector<std::thread> ts;
  for (int i = 0; i < 6; ++i)
    ts.emplace_back([&, i] {
      store::thread_init();
      Db db(params());
      recast_ballot(db, vote("e3", "dave", "PASS", "x=" + std::to_string(i + 2)));
      store::thread_end();
    });
  for (auto& t : ts) t.join();
  Db db(params());
  BOOST_TEST(ballot_count(db, "e3") == 1);
  BOOST_TEST(view_ballot(db, "e3", "dave", "PASS", fast_kdf()).parts.size() == 1u);
}

// Failed passcodes per voter and election (attempt_store.h): each one is
// counted, below the limit too; beyond it even the right passcode opens
// nothing, for view and re-cast, until the hour since the window's first
// failure is over; other voters and elections are not affected; a success
// is not counted and clears nothing.
BOOST_AUTO_TEST_CASE(wrong_passcodes_are_counted_and_limited) {
  Db db(params());
  const std::int64_t t0 = 1'800'000'000;
  const AttemptLimit at0{3, t0};
  BOOST_TEST((cast_ballot(db, vote("lim", "pat", "right passcode", "x=1")).outcome ==
              CastOutcome::kStored));
  BOOST_TEST((cast_ballot(db, vote("lim", "quinn", "quinn's passcode", "x=1")).outcome ==
              CastOutcome::kStored));
  BOOST_TEST((cast_ballot(db, vote("lim2", "pat", "right passcode", "x=1")).outcome ==
              CastOutcome::kStored));
  // Successes are not counted.
  for (int i = 0; i < 5; ++i)
    BOOST_TEST((view_ballot(db, "lim", "pat", "right passcode", fast_kdf(), {3, t0 + i}).outcome ==
                CastOutcome::kStored));
  BOOST_TEST(failed_attempts(db, "lim", "pat", t0 + 5) == 0);
  // Three failures, each counted at once: view, re-cast, view.
  BOOST_TEST((view_ballot(db, "lim", "pat", "guess 1", fast_kdf(), {3, t0 + 10}).outcome ==
              CastOutcome::kWrongPasscode));
  BOOST_TEST(failed_attempts(db, "lim", "pat", t0 + 10) == 1);
  auto guess = vote("lim", "pat", "guess 2", "x=2");
  guess.attempts = {3, t0 + 11};
  BOOST_TEST((recast_ballot(db, guess).outcome == CastOutcome::kWrongPasscode));
  BOOST_TEST(failed_attempts(db, "lim", "pat", t0 + 11) == 2);
  BOOST_TEST((view_ballot(db, "lim", "pat", "guess 3", fast_kdf(), {3, t0 + 12}).outcome ==
              CastOutcome::kWrongPasscode));
  BOOST_TEST(failed_attempts(db, "lim", "pat", t0 + 12) == 3);
  // The limit: the right passcode opens nothing, changes nothing.
  const ViewResult refused =
      view_ballot(db, "lim", "pat", "right passcode", fast_kdf(), {3, t0 + 20});
  BOOST_TEST((refused.outcome == CastOutcome::kTooManyAttempts));
  BOOST_TEST(refused.parts.empty());
  BOOST_TEST(refused.retry_after == 3600 - 10);  // the window began at t0 + 10
  auto right = vote("lim", "pat", "right passcode", "x=3");
  right.attempts = {3, t0 + 21};
  const CastResult r = recast_ballot(db, right);
  BOOST_TEST((r.outcome == CastOutcome::kTooManyAttempts));
  BOOST_TEST(r.retry_after == 3600 - 11);
  BOOST_TEST(failed_attempts(db, "lim", "pat", t0 + 21) == 3);  // refusals are not failures
  // Another voter, and the same voter in another election: not affected.
  BOOST_TEST((view_ballot(db, "lim", "quinn", "quinn's passcode", fast_kdf(), at0).outcome ==
              CastOutcome::kStored));
  BOOST_TEST((view_ballot(db, "lim2", "pat", "right passcode", fast_kdf(), at0).outcome ==
              CastOutcome::kStored));
  // The last second of the window is still refused; the next one opens.
  BOOST_TEST((view_ballot(db, "lim", "pat", "right passcode", fast_kdf(), {3, t0 + 3609}).outcome ==
              CastOutcome::kTooManyAttempts));
  auto after = vote("lim", "pat", "right passcode", "x=4");
  after.attempts = {3, t0 + 3610};
  BOOST_TEST((recast_ballot(db, after).outcome == CastOutcome::kStored));
  BOOST_TEST(view_ballot(db, "lim", "pat", "right passcode", fast_kdf(), {3, t0 + 3611})
                 .parts.at(0)
                 .second == "x=4");
  BOOST_TEST(failed_attempts(db, "lim", "pat", t0 + 3611) == 0);
  // A failure in the new window stays counted after a success.
  BOOST_TEST((view_ballot(db, "lim", "pat", "guess 4", fast_kdf(), {3, t0 + 3612}).outcome ==
              CastOutcome::kWrongPasscode));
  BOOST_TEST((view_ballot(db, "lim", "pat", "right passcode", fast_kdf(), {3, t0 + 3613}).outcome ==
              CastOutcome::kStored));
  BOOST_TEST(failed_attempts(db, "lim", "pat", t0 + 3613) == 1);
  // Exactly one ballot each; the refused re-casts stored nothing.
  BOOST_TEST(ballot_count(db, "lim") == 2);
  BOOST_TEST(opened(db, "lim").size() == 2u);
  // No passcode reaches the attempts table.
  auto st = detail::prepare(db,
                            "SELECT election_id, login, window_start, failures "
                            "FROM passcode_attempts WHERE election_id LIKE 'lim%'");
  detail::Rows rows(st->executeQuery());
  int n = 0;
  while (rows->next()) {
    ++n;
    for (int c = 1; c <= 4; ++c)
      BOOST_TEST(std::string(rows->getString(c)).find("passcode") == std::string::npos);
  }
  BOOST_TEST(n == 3);
}

// Concurrent wrong attempts (any number of workers or hosts) cannot exceed
// the limit: each is charged in its own transaction before its check.
BOOST_AUTO_TEST_CASE(concurrent_wrong_passcodes_stop_at_the_limit) {
  {
    Db db(params());
    cast_ballot(db, vote("lim3", "rita", "right passcode", "x=1"));
  }
  const std::int64_t t0 = 1'800'000'000;
  std::atomic<int> wrong{0}, refused{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 8; ++i)
    ts.emplace_back([&, i] {
      store::thread_init();
      Db db(params());
      auto req = vote("lim3", "rita", "guess " + std::to_string(i), "x=2");
      req.attempts = {3, t0};
      const auto o =
          (i % 2 ? recast_ballot(db, req).outcome
                 : view_ballot(db, "lim3", "rita", req.passcode, fast_kdf(), {3, t0}).outcome);
      if (o == CastOutcome::kWrongPasscode) wrong++;
      if (o == CastOutcome::kTooManyAttempts) refused++;
      store::thread_end();
    });
  for (auto& t : ts) t.join();
  BOOST_TEST(wrong.load() == 3);
  BOOST_TEST(refused.load() == 5);
  Db db(params());
  BOOST_TEST(failed_attempts(db, "lim3", "rita", t0) == 3);
  BOOST_TEST(opened(db, "lim3").at(0).first == "x=1");
}

// The scrypt gate full (crypto/kdf_gate.h): a chosen passcode's cast, view
// and re-cast throw KdfBusy with nothing stored and no attempt counted; a
// generated passcode (HKDF) is not gated.
BOOST_AUTO_TEST_CASE(a_full_scrypt_gate_stores_nothing_and_counts_nothing) {
  Db db(params());
  const std::int64_t t0 = 1'800'000'000;
  BOOST_TEST((cast_ballot(db, vote("busy", "sam", "sam's passcode", "x=1")).outcome ==
              CastOutcome::kStored));
  crypto::scrypt_gate().set_limit(1);
  {
    auto held = crypto::scrypt_gate().try_enter();  // another voter's derivation
    BOOST_CHECK_THROW(cast_ballot(db, vote("busy", "tom", "tom's passcode", "x=1")),
                      crypto::KdfBusy);
    BOOST_TEST(!has_voted(db, "busy", "tom"));
    BOOST_TEST(ballot_count(db, "busy") == 1);
    BOOST_CHECK_THROW(view_ballot(db, "busy", "sam", "a guess", fast_kdf(), {3, t0}),
                      crypto::KdfBusy);
    auto re = vote("busy", "sam", "sam's passcode", "x=2");
    re.attempts = {3, t0};
    BOOST_CHECK_THROW(recast_ballot(db, re), crypto::KdfBusy);
    BOOST_TEST(failed_attempts(db, "busy", "sam", t0) == 0);
    auto gen = vote("busy", "uma", crypto::normalize_passcode(crypto::generate_passcode()), "x=1");
    gen.generated_passcode = true;
    BOOST_TEST((cast_ballot(db, gen).outcome == CastOutcome::kStored));
    BOOST_TEST(crypto::scrypt_gate().in_use() == 1);
  }
  BOOST_TEST(crypto::scrypt_gate().in_use() == 0);
  BOOST_TEST(
      (view_ballot(db, "busy", "sam", "sam's passcode", fast_kdf(), {3, t0}).parts.at(0).second ==
       "x=1"));
  crypto::scrypt_gate().set_limit(0);
  BOOST_TEST(ballot_count(db, "busy") == 2);
}

// DESIGN.md §4: nothing stored links a voter to a ballot. Cast N ballots in
// a known order, then read every table as a DBA would.
BOOST_AUTO_TEST_CASE(secrecy_no_row_links_a_voter_to_a_ballot) {
  Db db(params());
  const int n = 40;
  std::vector<std::string> order;
  for (int i = 0; i < n; ++i) {
    const std::string login = "voter" + std::to_string(100 + i);
    const std::string ranking = "zorbified" + std::to_string(i) + "=1";
    cast_ballot(db, vote("secret", login, "PASS" + std::to_string(i), ranking));
    order.push_back(ranking);
  }
  std::vector<std::string> ballot_order;
  for (const auto& [ranking, receipt] : opened(db, "secret")) ballot_order.push_back(ranking);
  BOOST_TEST(ballot_order.size() == static_cast<size_t>(n));
  // Rows come back in random-id order, not voting order (1/40! to fail by
  // chance).
  BOOST_TEST(ballot_order != order);
  std::vector<std::string> sorted = ballot_order;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::string> sorted_order = order;
  std::sort(sorted_order.begin(), sorted_order.end());
  BOOST_TEST(sorted == sorted_order);  // nothing lost
  const auto voters = voters_who_voted(db, "secret");
  BOOST_TEST(voters.size() == static_cast<size_t>(n));
  BOOST_TEST(std::is_sorted(voters.begin(), voters.end()));
  // Nothing a DBA can SELECT holds a ballot's content: no answer id, in
  // plain or hex, in any row of the ballot tables.
  const std::string dump = dump_ballot_tables(db);
  BOOST_TEST(dump.find("zorbified") == std::string::npos);
  BOOST_TEST(dump.find(crypto::hex_encode("zorbified")) == std::string::npos);
  std::string upper_hex = crypto::hex_encode("zorbified");
  for (char& c : upper_hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  BOOST_TEST(dump.find(upper_hex) == std::string::npos);
  // The plaintext table of schema 1-3 gets nothing.
  auto st = detail::prepare(db, "SELECT COUNT(*) AS n FROM ballots WHERE election_id = 'secret'");
  detail::Rows r(st->executeQuery());
  BOOST_TEST((r->next() && r->getInt64("n") == 0));
}

// The voter's own sealed record (what "view my ballot" opens) sits next to
// the login: its length must not tell the ballot either. Ballots ranking
// one answer or many, cast and re-cast, give records of one length.
BOOST_AUTO_TEST_CASE(the_voters_sealed_record_has_one_length) {
  Db db(params());
  cast_ballot(db, vote("reclen", "short", "PASS-short-1", "a=1"));
  cast_ballot(db, vote("reclen", "long", "PASS-long-12",
                       "alpha=1&bravo=2&charlie=3&delta=4&echo=5&foxtrot=6&golf=7"));
  auto lengths = [&] {
    std::set<long> out;
    auto st = detail::prepare(
        db, "SELECT LENGTH(sealed) AS n FROM voters_voted WHERE election_id = 'reclen'");
    detail::Rows r(st->executeQuery());
    while (r->next()) out.insert(static_cast<long>(r->getInt64("n")));
    return out;
  };
  BOOST_TEST(lengths().size() == 1u);
  recast_ballot(db, vote("reclen", "short", "PASS-short-1", "a=1&b=2&c=3&d=4"));
  BOOST_TEST(lengths().size() == 1u);
  // And the record still opens to the ballot cast.
  auto v = view_ballot(db, "reclen", "short", "PASS-short-1", fast_kdf());
  BOOST_TEST_REQUIRE((v.outcome == CastOutcome::kStored));
  BOOST_TEST_REQUIRE(v.parts.size() == 1u);
  BOOST_TEST(v.parts[0].second == "a=1&b=2&c=3&d=4");
}

// The deadline is read again right before COMMIT: a cast or re-cast whose
// clock has reached closes_at by then rolls back entirely (the request was
// accepted at closes_at - 1, sealing or a lock wait took the rest).
BOOST_AUTO_TEST_CASE(no_ballot_commits_after_the_end) {
  Db db(params());
  int reads = 0;
  auto late = vote("e11", "jo", "PASS", "x=1");
  late.closes_at = 1000;
  late.clock = [&reads] { return ++reads, core::UnixTime{1000}; };
  BOOST_TEST((cast_ballot(db, late).outcome == CastOutcome::kClosed));
  BOOST_TEST(reads == 1);  // read once, inside the transaction
  BOOST_TEST(!has_voted(db, "e11", "jo"));
  BOOST_TEST(ballot_count(db, "e11") == 0);
  auto in_time = late;
  in_time.clock = [] { return core::UnixTime{999}; };
  BOOST_TEST((cast_ballot(db, in_time).outcome == CastOutcome::kStored));
  auto recast = vote("e11", "jo", "PASS", "y=1");
  recast.closes_at = 1000;
  recast.clock = [] { return core::UnixTime{1000}; };
  BOOST_TEST((recast_ballot(db, recast).outcome == CastOutcome::kClosed));
  // The first ballot stands, untouched.
  BOOST_TEST(view_ballot(db, "e11", "jo", "PASS", fast_kdf()).parts.at(0).second == "x=1");
  BOOST_TEST(ballot_count(db, "e11") == 1);
  BOOST_TEST(opened(db, "e11").at(0).first == "x=1");
}

// A ballot that does not fit the election's padded size is refused before
// anything is stored; so is a ballot without a usable key.
BOOST_AUTO_TEST_CASE(unsealable_ballots_store_nothing) {
  Db db(params());
  auto big = vote("e9", "ida", "PASS", std::string(300, 'x') + "=1");
  BOOST_CHECK_THROW(cast_ballot(db, big), crypto::CryptoError);
  auto nokey = vote("e9", "ida", "PASS", "x=1");
  nokey.ballot_key.clear();
  BOOST_CHECK_THROW(cast_ballot(db, nokey), crypto::CryptoError);
  BOOST_TEST(!has_voted(db, "e9", "ida"));
  BOOST_TEST(ballot_count(db, "e9") == 0);
}

// urna's own generated passcode: HKDF (salt kind 2); a chosen one: scrypt
// (kind 1). Both view and re-cast; the kind survives a re-cast.
BOOST_AUTO_TEST_CASE(generated_passcodes_use_hkdf_chosen_ones_scrypt) {
  Db db(params());
  const std::string gen = crypto::normalize_passcode(crypto::generate_passcode());
  auto a = vote("e10", "gen", gen, "x=1");
  a.generated_passcode = true;
  BOOST_TEST((cast_ballot(db, a).outcome == CastOutcome::kStored));
  BOOST_TEST((cast_ballot(db, vote("e10", "own", "my own passcode", "x=1")).outcome ==
              CastOutcome::kStored));
  auto salt_kind = [&](const std::string& login) {
    auto st = detail::prepare(db, "SELECT salt FROM voters_voted WHERE election_id = 'e10' AND "
                                  "login = ?");
    st->setString(1, login);
    detail::Rows r(st->executeQuery());
    BOOST_TEST_REQUIRE(r->next());
    const std::string salt = detail::get_bytes(*r, "salt");
    BOOST_TEST_REQUIRE(salt.size() == 17u);
    return static_cast<int>(salt[0]);
  };
  BOOST_TEST(salt_kind("gen") == 2);
  BOOST_TEST(salt_kind("own") == 1);
  BOOST_TEST(view_ballot(db, "e10", "gen", gen, fast_kdf()).parts.at(0).second == "x=1");
  BOOST_TEST(view_ballot(db, "e10", "own", "my own passcode", fast_kdf()).parts.at(0).second ==
             "x=1");
  BOOST_TEST((recast_ballot(db, vote("e10", "gen", gen, "y=1")).outcome == CastOutcome::kStored));
  BOOST_TEST(salt_kind("gen") == 2);
  BOOST_TEST(view_ballot(db, "e10", "gen", gen, fast_kdf()).parts.at(0).second == "y=1");
  BOOST_TEST((view_ballot(db, "e10", "gen", "my own passcode", fast_kdf()).outcome ==
              CastOutcome::kWrongPasscode));
  BOOST_TEST(ballot_count(db, "e10") == 2);
}

// A ballot cast before schema version 4 (plaintext rows, a 16-byte salt and
// a link holding only the ballot id) is still viewed, re-cast (then sealed)
// and counted once.
BOOST_AUTO_TEST_CASE(ballots_from_before_schema_4_still_work) {
  Db db(params());
  const std::string salt = crypto::random_bytes(16), id = crypto::random_bytes(16);
  const std::string key = crypto::scrypt("OLDPASS", salt, fast_kdf(), 32);
  const std::string link = crypto::seal(key, id, "urna-ballot-link\nold\nolga");
  auto ins = detail::prepare(db, "INSERT INTO voters_voted (election_id, login, salt, sealed) "
                                 "VALUES ('old', 'olga', ?, ?)");
  ins->setString(1, salt);
  ins->setString(2, link);
  ins->executeUpdate();
  auto row = detail::prepare(db, "INSERT INTO ballots (id, election_id, question_id, ranking) "
                                 "VALUES (?, 'old', 'main', 'a=1&b=2')");
  row->setString(1, id);
  row->executeUpdate();
  BOOST_TEST(ballot_count(db, "old") == 1);
  BOOST_TEST(view_ballot(db, "old", "olga", "OLDPASS", fast_kdf()).parts.at(0).second == "a=1&b=2");
  BOOST_TEST((recast_ballot(db, vote("old", "olga", "OLDPASS", "b=1")).outcome ==
              CastOutcome::kStored));
  BOOST_TEST(ballot_count(db, "old") == 1);  // the plaintext rows are gone
  BOOST_TEST(opened(db, "old").at(0).first == "b=1");
  BOOST_TEST(view_ballot(db, "old", "olga", "OLDPASS", fast_kdf()).parts.at(0).second == "b=1");
}

BOOST_AUTO_TEST_CASE(delete_after_erases_links_keeps_marks) {
  Db db(params());
  cast_ballot(db, vote("e4", "erin", "PASS", "x=1"));
  StoredResults res;
  res.election_id = "e4";
  res.json = "{}";
  res.ballot_count = 1;
  res.snapshot_commit = "c";
  res.tallied_at = 5000;
  save_results(db, res, true);
  BOOST_TEST(has_voted(db, "e4", "erin"));
  BOOST_TEST((view_ballot(db, "e4", "erin", "PASS", fast_kdf()).outcome ==
              CastOutcome::kLinkErased));
  BOOST_TEST((recast_ballot(db, vote("e4", "erin", "PASS", "x=2")).outcome ==
              CastOutcome::kLinkErased));
  BOOST_TEST(ballot_count(db, "e4") == 1);
  auto loaded = load_results(db, "e4");
  BOOST_REQUIRE(loaded);
  BOOST_TEST(loaded->links_erased);
  BOOST_TEST(loaded->tallied_at == 5000);
}

// delete_after with the ballots: after the results are stored, the
// election's ciphertexts (and plaintext rows from before schema 4) are gone
// with its links, in the same transaction; other elections keep theirs.
BOOST_AUTO_TEST_CASE(delete_after_erases_ballots_with_the_results) {
  Db db(params());
  cast_ballot(db, vote("e-erase", "gina", "PASS", "x=1"));
  cast_ballot(db, vote("e-erase", "hugo", "PASS", "y=1"));
  cast_ballot(db, vote("e12", "gina", "PASS", "x=1"));
  auto row = detail::prepare(db,
                             "INSERT INTO ballots (id, election_id, question_id, ranking) "
                             "VALUES (?, 'e-erase', 'main', 'a=1')");
  row->setString(1, crypto::random_bytes(16));
  row->executeUpdate();
  BOOST_TEST(ballot_count(db, "e-erase") == 3);
  StoredResults res;
  res.election_id = "e-erase";
  res.json = "{}";
  res.ballot_count = 3;
  res.snapshot_commit = "c";
  res.tallied_at = 6000;
  save_results(db, res, true, true);
  BOOST_TEST(ballot_count(db, "e-erase") == 0);
  BOOST_TEST(opened(db, "e-erase").empty());
  BOOST_TEST(has_voted(db, "e-erase", "gina"));  // turnout stays
  BOOST_TEST(
      (view_ballot(db, "e-erase", "hugo", "PASS", fast_kdf()).outcome == CastOutcome::kLinkErased));
  BOOST_TEST(ballot_count(db, "e12") == 1);
  BOOST_TEST(opened(db, "e12").size() == 1u);
  auto loaded = load_results(db, "e-erase");
  BOOST_REQUIRE(loaded);
  BOOST_TEST(loaded->ballot_count == 3);
  BOOST_TEST(loaded->links_erased);
}

BOOST_AUTO_TEST_CASE(receipts) {
  Db db(params());
  auto req = vote("e5", "frank", "PASS", "x=1");
  req.receipt = true;
  auto r = cast_ballot(db, req);
  BOOST_TEST(!r.receipt.empty());
  const auto rows = opened(db, "e5");
  BOOST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(rows[0].second == receipt_hash(r.receipt));
}

BOOST_AUTO_TEST_CASE(exception_requests_per_election) {
  Db db(params());
  ExceptionRequest e;
  e.election_id = "ex1";
  e.login = "gina";
  e.name = "Gina";
  e.contact = "gina@example.org";
  e.reason = "I contributed docs";
  e.created_at = 10;
  BOOST_TEST((add_exception_request(db, e, 5) == ExceptionAdded::kAdded));
  // once per user and election
  BOOST_TEST((add_exception_request(db, e, 5) == ExceptionAdded::kAlreadyAsked));
  e.election_id = "ex2";
  BOOST_TEST((add_exception_request(db, e, 5) == ExceptionAdded::kAdded));
  const auto one = exception_requests(db, "ex1");
  BOOST_REQUIRE(one.size() == 1u);
  BOOST_TEST(one[0].reason == "I contributed docs");
  // An officer of ex2 cannot mark ex1's request through ex2.
  BOOST_TEST(!set_exception_reviewed(db, "ex2", one[0].id, true));
  BOOST_TEST(!exception_requests(db, "ex1")[0].reviewed);
  BOOST_TEST(set_exception_reviewed(db, "ex1", one[0].id, true));
  BOOST_TEST(exception_requests(db, "ex1")[0].reviewed);
  BOOST_TEST(exception_request_of(db, "ex2", "gina").has_value());
  BOOST_TEST(!exception_request_of(db, "ex2", "hank").has_value());
}

// Issue 9: at most max_per_hour requests of one user in any hour, across
// elections; another user is not affected; an hour later it is allowed
// again; concurrent requests of one user never pass the limit together.
BOOST_AUTO_TEST_CASE(exception_requests_rate_limited_per_user) {
  Db db(params());
  ExceptionRequest e;
  e.login = "rita";
  e.name = "Rita";
  e.contact = "rita@example.org";
  e.reason = "r";
  e.created_at = 100000;
  for (int i = 0; i < 3; ++i) {
    e.election_id = "rate" + std::to_string(i);
    e.created_at = 100000 + i * 600;
    BOOST_TEST((add_exception_request(db, e, 3) == ExceptionAdded::kAdded));
  }
  e.election_id = "rate3";
  e.created_at = 100000 + 3599;  // the first is 3599 s old: still counted
  BOOST_TEST((add_exception_request(db, e, 3) == ExceptionAdded::kTooMany));
  BOOST_TEST(!exception_request_of(db, "rate3", "rita").has_value());
  ExceptionRequest other = e;
  other.login = "sven";
  BOOST_TEST((add_exception_request(db, other, 3) == ExceptionAdded::kAdded));
  e.created_at = 100000 + 3600;  // the first is an hour old: no longer counted
  BOOST_TEST((add_exception_request(db, e, 3) == ExceptionAdded::kAdded));
  // The same election again is "already asked" rather than "too many".
  BOOST_TEST((add_exception_request(db, e, 3) == ExceptionAdded::kAlreadyAsked));

  // 8 threads, one connection each, 8 elections, a limit of 2.
  std::vector<std::thread> threads;
  std::atomic<int> added{0}, too_many{0}, failed{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      Db own(params());
      ExceptionRequest r = e;
      r.login = "tess";
      r.election_id = "burst" + std::to_string(i);
      r.created_at = 200000;
      try {
        auto got = add_exception_request(own, r, 2);
        if (got == ExceptionAdded::kAdded) ++added;
        if (got == ExceptionAdded::kTooMany) ++too_many;
      } catch (const std::exception&) {
        ++failed;
      }
    });
  for (auto& t : threads) t.join();
  BOOST_TEST(failed.load() == 0);
  BOOST_TEST(added.load() == 2);
  BOOST_TEST(too_many.load() == 6);
}

BOOST_AUTO_TEST_CASE(utf8mb4_text_round_trips) {
  Db db(params());
  ExceptionRequest e;
  e.election_id = "ex3";
  e.login = "ümit";
  e.name = "Ümit 🗳️ Ñoño";
  e.contact = "x";
  e.reason = "<script>alert(1)</script>";
  BOOST_TEST((add_exception_request(db, e, 5) == ExceptionAdded::kAdded));
  BOOST_TEST(exception_request_of(db, "ex3", "ümit")->name == "Ümit 🗳️ Ñoño");
}

// The server restarts between two uses of one connection: the next read
// reconnects by itself; nothing that was committed is lost.
BOOST_AUTO_TEST_CASE(reconnects_after_the_server_restarts) {
  const std::string ctl = env("URNA_TEST_DB_CTL");
  if (ctl.empty()) {
    BOOST_TEST_MESSAGE("URNA_TEST_DB_CTL not set; skipped");
    return;
  }
  Db db(params());
  cast_ballot(db, vote("e6", "ivy", "PASS", "x=1"));
  BOOST_REQUIRE(std::system((ctl + " restart").c_str()) == 0);
  BOOST_TEST(has_voted(db, "e6", "ivy"));  // same Db object, new connection
  BOOST_TEST(ballot_count(db, "e6") == 1);
  BOOST_TEST((cast_ballot(db, vote("e6", "jack", "PASS", "x=2")).outcome == CastOutcome::kStored));
}

// Large values go in compressed: a snapshot bigger than MariaDB's default
// max_allowed_packet (16 MiB) is stored and read back whole.
BOOST_AUTO_TEST_CASE(large_snapshots_are_compressed) {
  std::string json = "{\"voters\":[";
  for (int i = 0; json.size() < 24u * 1024 * 1024; ++i)
    json += (i ? ",\"" : "\"") + std::string("voter-login-") + std::to_string(i) + "\"";
  json += "]}";
  Db db(params());
  const auto id = save_snapshot(db, "big", json, 7000);
  auto back = load_live_snapshot(db);
  BOOST_REQUIRE(back);
  BOOST_TEST(back->id == id);
  BOOST_TEST((back->json == json));
  BOOST_TEST(save_snapshot(db, "big", json, 7001) == id);  // unchanged: no new row
}

BOOST_AUTO_TEST_CASE(blob_pack_round_trips_and_reads_old_rows) {
  using detail::pack;
  using detail::unpack;
  for (const std::string& v : {std::string(), std::string("{}"), std::string(100000, 'x'),
                              std::string("\0\xff\x01binary", 9)})
    for (int level : {1, 6, 9}) BOOST_TEST((unpack(pack(v, level)) == v));
  // Rows packed at one level read back whatever level the next build packs at.
  const std::string json = "{\"elections\":[" + std::string(50000, ' ') + "]}";
  BOOST_TEST((pack(json, 1) != pack(json, 9)));
  BOOST_TEST((unpack(pack(json, 9)) == unpack(pack(json, detail::kSnapshotLevel))));
  BOOST_TEST(unpack("{\"plain\":1}") == "{\"plain\":1}");  // written by schema 1
  BOOST_TEST(pack("same") == pack("same"));
  BOOST_CHECK_THROW(unpack("urnaZ1\nnot zlib"), DbError);
}
