// The booth's clock, to the second, through dispatch() with an injected
// `now`, a pinned snapshot and a real private MariaDB (t/lib/with_mariadb.py
// exports URNA_TEST_DB_*): voting opens at the start second, the last second
// before the end is open, the end second itself is closed, for the booth
// and for casting; viewing stays possible after the end.
#define BOOST_TEST_MODULE vote_db
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <map>

#include "core/time_util.h"
#include "crypto/crypto.h"
#include "crypto/kdf_gate.h"
#include "store/ballot_store.h"
#include "store/db.h"
#include "store/migrate.h"
#include "web/pages.h"
#include "web/request.h"
#include "web/server.h"
#include "web/session.h"

#include "crypto/ballot_box.h"
#include "web/ballot_key.h"

using namespace urna;
using namespace urna::web;

namespace {

std::string env(const char* k, const char* dflt = "") {
  const char* v = std::getenv(k);
  return v ? v : dflt;
}

struct MapEnv : Env {
  std::map<std::string, std::string> vars;
  const char* get(const char* name) const override {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  }
};

const core::UnixTime kStart = *core::parse_utc("2026-03-01 00:00:00");
const core::UnixTime kEnd = *core::parse_utc("2026-03-13 12:00:00");
const char kEid[] = "board/2026";

core::Snapshot snapshot() {
  core::Election e;
  e.id = kEid;
  e.folder = "2026";
  e.name = "Board 2026";
  e.start = kStart;
  e.end = kEnd;
  e.exception_due = kStart;
  e.candidates = {{"ann", "Ann", {}, ""}, {"ben", "Ben", {}, ""}};
  core::Question q;
  q.id = "main";
  q.from_candidates = true;
  q.answers = {{"ann", "Ann"}, {"ben", "Ben"}};
  e.questions = {q};
  e.voters = {{"early", {}},   {"first", {}}, {"last", {}},      {"late", {}},
              {"guesser", {}}, {"busy", {}},  {"suggested", {}}, {"viewer", {}}};
  core::Snapshot s;
  s.commit = "0123456789abcdef0123456789abcdef01234567";
  s.elections = {e};
  return s;
}

struct Fixture {
  core::Config cfg;
  Renderer renderer{env("URNA_SRCDIR", ".") + "/templates"};
  SnapshotCache cache;
  WorkerState worker;

  Fixture() {
    cfg.session_key = "0123456789abcdef0123456789abcdef";
    cfg.auth = "demo";
    cfg.db_host = env("URNA_TEST_DB_HOST");
    cfg.db_user = env("URNA_TEST_DB_USER", "root");
    cfg.db_password = env("URNA_TEST_DB_PASSWORD");
    cfg.db_name = env("URNA_TEST_DB_NAME", "urna_test");
    cfg.scrypt_n = 1024;  // cheap for tests; the default is measured in bench/
    cfg.ballot_key = crypto::format_ballot_key(crypto::generate_ballot_key().public_key);
    store::global_init();
    store::Db db(cfg);
    store::migrate(db, env("URNA_SRCDIR", ".") + "/sql", kStart);
    cache.pin(snapshot());
  }

  Response request(const std::string& method, const std::string& path, const std::string& login,
                   core::UnixTime now, const std::string& form = "") {
    Session s = new_session(login, cfg, now);
    MapEnv e;
    e.vars["REQUEST_METHOD"] = method;
    e.vars["REQUEST_URI"] = "/urna/elections/" + std::string(kEid) + path;
    std::string c = session_cookie(s, cfg, false);
    e.vars["HTTP_COOKIE"] = c.substr(0, c.find(';'));
    std::string body;
    if (method == "POST") {
      body = "csrf=" + url_encode(csrf_token(s, cfg)) + "&" + form;
      e.vars["CONTENT_TYPE"] = "application/x-www-form-urlencoded";
      e.vars["CONTENT_LENGTH"] = std::to_string(body.size());
    }
    return dispatch(cfg, renderer, routes(), cache, worker, e, body, now);
  }

  Response cast(const std::string& login, core::UnixTime now) {
    return request("POST", "/vote", login, now,
                   url_encode("rank/main/ben") + "=1&" + url_encode("rank/main/ann") +
                       "=2&passcode=correct-horse-battery&passcode_saved=yes");
  }

  bool voted(const std::string& login) {
    store::Db db(cfg);
    return store::has_voted(db, kEid, login);
  }
};

bool has(const std::string& body, const std::string& what) {
  return body.find(what) != std::string::npos;
}

std::string header(const Response& r, const std::string& name) {
  for (const auto& h : r.headers)
    if (h.first == name) return h.second;
  return "";
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(open_from_the_start_second_closed_at_the_end_second, Fixture) {
  Response r = request("GET", "/vote", "early", kStart - 1);
  BOOST_TEST(r.status == 403);
  BOOST_TEST(has(r.body, "opens on March 1, 2026 at 12:00 AM UTC"));
  r = cast("early", kStart - 1);
  BOOST_TEST(r.status == 403);
  BOOST_TEST(!voted("early"));

  r = request("GET", "/vote", "first", kStart);
  BOOST_TEST(r.status == 200);
  BOOST_TEST(has(r.body, "name=\"rank/main/ann\""));
  r = cast("first", kStart);
  BOOST_TEST(r.status == 303);  // Post/Redirect/Get (issue 10)
  BOOST_TEST(header(r, "Location") == "/urna/elections/" + std::string(kEid) + "/voted");
  BOOST_TEST(voted("first"));

  r = request("GET", "/vote", "last", kEnd - 1);
  BOOST_TEST(r.status == 200);
  r = cast("last", kEnd - 1);
  BOOST_TEST(r.status == 303);
  BOOST_TEST(voted("last"));

  r = request("GET", "/vote", "late", kEnd);
  BOOST_TEST(r.status == 403);
  BOOST_TEST(has(r.body, "closed on March 13, 2026 at 12:00 PM UTC"));
  r = cast("late", kEnd);
  BOOST_TEST(r.status == 403);
  BOOST_TEST(!voted("late"));
  // A re-cast at the end second is refused too; the ballot stays.
  r = cast("last", kEnd);
  BOOST_TEST(r.status == 403);

  // Viewing needs no open election: the ballot as cast, after the end.
  r = request("POST", "/ballot", "last", kEnd + 3600, "passcode=correct-horse-battery");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(has(r.body, "data-aid=\"ben\" data-rank=\"1\""));
  BOOST_TEST(has(r.body, "data-aid=\"ann\" data-rank=\"2\""));
  BOOST_TEST(!has(r.body, "Change my ballot"));
}

BOOST_FIXTURE_TEST_CASE(a_refused_ballot_is_shown_again_with_400, Fixture) {
  Response r = request("POST", "/vote", "early", kStart + 10,
                       url_encode("rank/main/ann") + "=7&passcode=correct-horse-battery");
  BOOST_TEST(r.status == 400);
  BOOST_TEST(has(r.body, "Your ballot was not stored"));
  BOOST_TEST(has(r.body, "from 1 to 2"));
  BOOST_TEST(has(r.body, "value=\"correct-horse-battery\""));  // the voter's input kept
  BOOST_TEST(!voted("early"));
}

// No ballot key (none in the election, none in urna.conf): the booth does
// not open and nothing can be cast (503, saying why); the election page
// says so. With the instance key the page shows its fingerprint.
BOOST_FIXTURE_TEST_CASE(no_ballot_key_no_booth, Fixture) {
  const std::string key = cfg.ballot_key;
  Response r = request("GET", "", "first", kStart + 5);
  BOOST_TEST(r.status == 200);
  BOOST_TEST(has(r.body, "<code class=\"fingerprint\">" +
                             crypto::ballot_key_fingerprint(*crypto::parse_ballot_key(key)) +
                             "</code>"));
  cfg.ballot_key.clear();
  r = request("GET", "/vote", "first", kStart + 5);
  BOOST_TEST(r.status == 503);
  BOOST_TEST(has(r.body, "no ballot key to seal ballots with"));
  r = cast("late", kStart + 5);
  BOOST_TEST(r.status == 503);
  BOOST_TEST(!voted("late"));
  r = request("GET", "", "first", kStart + 5);
  BOOST_TEST(has(r.body, "no ballot key is published"));
  cfg.ballot_key = key;
}

// The suggested passcode comes signed; submitted unchanged it is urna's own
// (HKDF), changed by one character it is the voter's (scrypt) and must meet
// the length rule. The signature is bound to the voter and the election.
BOOST_FIXTURE_TEST_CASE(the_suggested_passcode_is_signed, Fixture) {
  const std::string p = crypto::normalize_passcode(crypto::generate_passcode());
  const std::string sig = generated_passcode_signature(cfg, "first", kEid, p);
  BOOST_TEST(is_generated_passcode(cfg, "first", kEid, p, sig));
  BOOST_TEST(!is_generated_passcode(cfg, "other", kEid, p, sig));
  BOOST_TEST(!is_generated_passcode(cfg, "first", "board/2027", p, sig));
  BOOST_TEST(!is_generated_passcode(cfg, "first", kEid, p + "X", sig));
  BOOST_TEST(!is_generated_passcode(cfg, "first", kEid, p, ""));
  Response r = request("GET", "/vote", "early", kStart + 5);  // has not voted
  BOOST_TEST(r.status == 200);
  BOOST_TEST(has(r.body, "name=\"passcode_sig\" value=\""));
}

// Failed passcodes (passcode_attempts_per_hour, default 10): ten wrong
// views are each 403; the eleventh attempt, even with the right passcode,
// is 429 with Retry-After until an hour after the first failure, for view
// and re-cast alike, and opens or changes nothing; then it opens again.
BOOST_FIXTURE_TEST_CASE(too_many_wrong_passcodes_are_429_with_retry_after, Fixture) {
  BOOST_TEST(cfg.passcode_attempts_per_hour == 10);
  const core::UnixTime t = kStart + 100;
  BOOST_TEST(cast("guesser", t).status == 303);
  for (int i = 0; i < 10; ++i) {
    Response r = request("POST", "/ballot", "guesser", t + 10 + i,
                         "passcode=wrong-guess-" + std::to_string(i));
    BOOST_TEST(r.status == 403);
    BOOST_TEST(header(r, "Retry-After").empty());
  }
  Response r = request("POST", "/ballot", "guesser", t + 30, "passcode=correct-horse-battery");
  BOOST_TEST(r.status == 429);
  BOOST_TEST(header(r, "Retry-After") == std::to_string(3600 - 20));
  BOOST_TEST(has(r.body, "Too many wrong passcodes"));
  BOOST_TEST(!has(r.body, "data-aid=\"ben\" data-rank=\"1\""));  // nothing opened
  r = request("POST", "/vote", "guesser", t + 31,
              url_encode("rank/main/ann") + "=1&passcode=correct-horse-battery");
  BOOST_TEST(r.status == 429);
  BOOST_TEST(header(r, "Retry-After") == std::to_string(3600 - 21));
  BOOST_TEST(has(r.body, "Too many wrong passcodes"));
  // The hour since the first failure is over: the ballot opens, unchanged.
  r = request("POST", "/ballot", "guesser", t + 10 + 3600, "passcode=correct-horse-battery");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(has(r.body, "data-aid=\"ben\" data-rank=\"1\""));
}

// scrypt_max_concurrent: while the gate is full, a chosen passcode's cast
// is a prompt 503 with Retry-After and the booth again with the voter's
// input, nothing stored; pages and a generated passcode (HKDF) go on.
BOOST_FIXTURE_TEST_CASE(a_full_scrypt_gate_is_503_with_retry_after, Fixture) {
  const core::UnixTime t = kStart + 200;
  BOOST_TEST(cast("viewer", t).status == 303);
  crypto::scrypt_gate().set_limit(1);
  {
    auto held = crypto::scrypt_gate().try_enter();  // another voter's derivation
    Response r = cast("busy", t);
    BOOST_TEST(r.status == 503);
    BOOST_TEST(header(r, "Retry-After") == "2");
    BOOST_TEST(has(r.body, "submit again in a few seconds"));
    BOOST_TEST(has(r.body, "value=\"correct-horse-battery\""));  // the input kept
    BOOST_TEST(!voted("busy"));
    BOOST_TEST(request("GET", "/vote", "busy", t).status == 200);
    BOOST_TEST(request("GET", "", "busy", t).status == 200);
    r = request("POST", "/ballot", "viewer", t, "passcode=correct-horse-battery");
    BOOST_TEST(r.status == 503);
    BOOST_TEST(header(r, "Retry-After") == "2");
    const std::string p = crypto::normalize_passcode(crypto::generate_passcode());
    r = request("POST", "/vote", "suggested", t,
                url_encode("rank/main/ann") + "=1&passcode=" + url_encode(p) + "&passcode_sig=" +
                    url_encode(generated_passcode_signature(cfg, "suggested", kEid, p)) +
                    "&passcode_saved=yes");
    BOOST_TEST(r.status == 303);
    BOOST_TEST(voted("suggested"));
  }
  BOOST_TEST(cast("busy", t + 1).status == 303);
  BOOST_TEST(voted("busy"));
  crypto::scrypt_gate().set_limit(0);
}
