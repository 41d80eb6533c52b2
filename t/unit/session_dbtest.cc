// Sessions that end and sign-ins that work once (issue 9), through
// dispatch() with an injected clock, a pinned snapshot and a real private
// MariaDB (t/lib/with_mariadb.py exports URNA_TEST_DB_*): the store's
// session_ends / login_states_used, a sign-out refusing the old cookie on
// the worker that served it at once and on another worker once its 2 s
// reading is old, nothing stored by a vote POST with the old cookie,
// signing in again in the sign-out's second, the officers' page, and a
// replayed demo form token.
#define BOOST_TEST_MODULE session_db
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <map>

#include "core/time_util.h"
#include "crypto/ballot_box.h"
#include "crypto/crypto.h"
#include "store/ballot_store.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/session_store.h"
#include "web/ballot_key.h"
#include "web/oauth.h"
#include "web/pages.h"
#include "web/request.h"
#include "web/server.h"
#include "web/session.h"
#include "web/session_check.h"

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
const core::UnixTime kT = kStart + 86400;  // the election is open
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
  e.voters = {{"vera", {}}, {"walt", {}}, {"xena", {}}, {"yann", {}}};
  e.officers = {"olga"};
  core::Snapshot s;
  s.commit = "0123456789abcdef0123456789abcdef01234567";
  s.elections = {e};
  return s;
}

// The name=value of the Set-Cookie for `name` in `r`, "" if none.
std::string set_cookie(const Response& r, const std::string& name) {
  for (const auto& c : r.cookies)
    if (c.rfind(name + "=", 0) == 0) return c.substr(0, c.find(';'));
  return "";
}

std::string location(const Response& r) {
  for (const auto& h : r.headers)
    if (h.first == "Location") return h.second;
  return "";
}

bool has(const std::string& body, const std::string& what) {
  return body.find(what) != std::string::npos;
}

struct Fixture {
  core::Config cfg;
  Renderer renderer{env("URNA_SRCDIR", ".") + "/templates"};
  SnapshotCache cache;
  WorkerState w1, w2;  // two workers of one process (or two hosts)

  Fixture() {
    cfg.session_key = "0123456789abcdef0123456789abcdef";
    cfg.auth = "demo";
    cfg.db_host = env("URNA_TEST_DB_HOST");
    cfg.db_user = env("URNA_TEST_DB_USER", "root");
    cfg.db_password = env("URNA_TEST_DB_PASSWORD");
    cfg.db_name = env("URNA_TEST_DB_NAME", "urna_test");
    cfg.scrypt_n = 1024;
    cfg.ballot_key = crypto::format_ballot_key(crypto::generate_ballot_key().public_key);
    store::global_init();
    store::Db db(cfg);
    store::migrate(db, env("URNA_SRCDIR", ".") + "/sql", kStart);
    cache.pin(snapshot());
  }

  // A request with `cookie` ("name=value; ...") and, for POST, `form`.
  Response request(WorkerState& w, const std::string& method, const std::string& uri,
                   const std::string& cookie, core::UnixTime now, const std::string& form = "") {
    MapEnv e;
    e.vars["REQUEST_METHOD"] = method;
    e.vars["REQUEST_URI"] = "/urna" + uri;
    if (!cookie.empty()) e.vars["HTTP_COOKIE"] = cookie;
    if (method == "POST") {
      e.vars["CONTENT_TYPE"] = "application/x-www-form-urlencoded";
      e.vars["CONTENT_LENGTH"] = std::to_string(form.size());
    }
    return dispatch(cfg, renderer, routes(), cache, w, e, form, now);
  }

  // A session cookie ("urna_session=...") and its CSRF token, as sign-in
  // would issue them at `issued`.
  std::pair<std::string, std::string> session(const std::string& login, core::UnixTime issued) {
    Session s = new_session(login, cfg, issued);
    std::string c = session_cookie(s, cfg, false);
    return {c.substr(0, c.find(';')), csrf_token(s, cfg)};
  }

  Response cast(WorkerState& w, const std::pair<std::string, std::string>& s, core::UnixTime now) {
    return request(w, "POST", std::string("/elections/") + kEid + "/vote", s.first, now,
                   "csrf=" + url_encode(s.second) + "&" + url_encode("rank/main/ben") + "=1&" +
                       url_encode("rank/main/ann") + "=2&passcode=correct-horse-battery&passcode_saved=yes");
  }

  Response booth(WorkerState& w, const std::string& cookie, core::UnixTime now) {
    return request(w, "GET", std::string("/elections/") + kEid + "/vote", cookie, now);
  }

  bool voted(const std::string& login) {
    store::Db db(cfg);
    return store::has_voted(db, kEid, login);
  }

  core::UnixTime valid_after(const std::string& login) {
    store::Db db(cfg);
    return store::sessions_valid_after(db, login);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(store_valid_after_only_rises_and_states_spend_once, Fixture) {
  store::Db db(cfg);
  BOOST_TEST(store::sessions_valid_after(db, "nobody") == 0);
  BOOST_TEST(store::end_sessions(db, "sam", kT) == kT);
  BOOST_TEST(store::end_sessions(db, "sam", kT - 50) == kT);  // never lowered
  BOOST_TEST(store::sessions_valid_after(db, "sam") == kT);
  BOOST_TEST(store::end_sessions(db, "sam", kT + 5) == kT + 5);
  BOOST_TEST(store::sessions_valid_after(db, "sam") == kT + 5);

  const std::string a(32, 'a'), b(32, 'b');
  BOOST_TEST(store::spend_login_state(db, a, kT + 600, kT));
  BOOST_TEST(!store::spend_login_state(db, a, kT + 600, kT + 1));  // a replay
  BOOST_TEST(store::spend_login_state(db, b, kT + 600, kT + 1));
  // Once a's cookie has expired its record goes (a's cookie can no longer
  // be presented: its signed expiry has passed).
  BOOST_TEST(store::spend_login_state(db, std::string(32, 'c'), kT + 2000, kT + 601));
  BOOST_TEST(store::spend_login_state(db, a, kT + 1200, kT + 601));
}

BOOST_FIXTURE_TEST_CASE(logout_refuses_the_old_cookie_and_stores_nothing, Fixture) {
  const core::UnixTime t0 = kT + 1000;
  auto vera = session("vera", t0);
  auto vera2 = session("vera", t0 + 3);  // vera in another browser
  BOOST_TEST(booth(w1, vera.first, t0 + 9).status == 200);
  BOOST_TEST(booth(w2, vera2.first, t0 + 9).status == 200);  // w2 reads at t0 + 9

  Response r =
      request(w1, "POST", "/logout", vera.first, t0 + 10, "csrf=" + url_encode(vera.second));
  BOOST_TEST(r.status == 303);
  BOOST_TEST(set_cookie(r, kSessionCookie) == std::string(kSessionCookie) + "=");
  BOOST_TEST(valid_after("vera") == t0 + 10);

  // The worker that served the sign-out refuses at once.
  r = booth(w1, vera.first, t0 + 10);
  BOOST_TEST(r.status == 303);
  BOOST_TEST(location(r).rfind("/urna/login?next=", 0) == 0);
  BOOST_TEST(set_cookie(r, kSessionCookie) == std::string(kSessionCookie) + "=");  // cleared
  r = cast(w1, vera, t0 + 10);
  BOOST_TEST(r.status == 403);
  BOOST_TEST(has(r.body, "This session has ended"));
  BOOST_TEST(!voted("vera"));

  // Another worker may use its reading from t0 + 9 for less than 2 s of
  // request time: the documented window...
  BOOST_TEST(booth(w2, vera2.first, t0 + 10).status == 200);
  // ... and not a second longer.
  r = booth(w2, vera2.first, t0 + 11);
  BOOST_TEST(r.status == 303);
  r = cast(w2, vera2, t0 + 11);
  BOOST_TEST(r.status == 403);
  r = cast(w2, vera, t0 + 11);
  BOOST_TEST(r.status == 403);
  BOOST_TEST(!voted("vera"));
  // Public pages do not show the ended session as signed in.
  r = request(w2, "GET", "/", vera.first, t0 + 11);
  BOOST_TEST(r.status == 200);
  BOOST_TEST(!has(r.body, "Signed in as"));

  // A session issued in the sign-out's very second (before it) ended too;
  // one issued a second later (a new sign-in) is good.
  BOOST_TEST(booth(w1, session("vera", t0 + 10).first, t0 + 12).status == 303);
  auto again = session("vera", t0 + 11);
  BOOST_TEST(booth(w1, again.first, t0 + 12).status == 200);
  BOOST_TEST(cast(w2, again, t0 + 12).status == 303);
  BOOST_TEST(voted("vera"));
}

// v1 cookies (from before issue 9) have no issue time: expires - ttl.
BOOST_FIXTURE_TEST_CASE(a_v1_cookie_ends_with_its_login, Fixture) {
  const core::UnixTime t0 = kT + 5000;
  const std::string payload =
      "v1|walt|" + std::to_string(t0 + cfg.session_ttl) + "|" + std::string(32, 'f');
  const std::string v1 =
      std::string(kSessionCookie) + "=" + crypto::base64url_encode(payload) + "." +
      crypto::base64url_encode(crypto::hmac_sha256(cfg.session_key, "session|" + payload));
  BOOST_TEST(booth(w1, v1, t0 + 1).status == 200);
  auto walt = session("walt", t0 + 2);
  BOOST_TEST(request(w1, "POST", "/logout", walt.first, t0 + 3, "csrf=" + url_encode(walt.second))
                 .status == 303);
  BOOST_TEST(booth(w1, v1, t0 + 4).status == 303);
}

// Signing in right after signing out, in the same second and on a worker
// that has not seen the sign-out, works: the new session is issued one
// second after valid_after.
BOOST_FIXTURE_TEST_CASE(signing_in_again_in_the_sign_outs_second, Fixture) {
  const core::UnixTime t0 = kT + 9000;
  auto xena = session("xena", t0);
  BOOST_TEST(request(w1, "POST", "/logout", xena.first, t0 + 5, "csrf=" + url_encode(xena.second))
                 .status == 303);
  Response form = request(w2, "GET", "/login", "", t0 + 5);
  BOOST_TEST(form.status == 200);
  const std::string login_cookie = set_cookie(form, kLoginCookie);
  auto tok = form.body.find("name=\"csrf\" value=\"");
  BOOST_REQUIRE(tok != std::string::npos);
  tok += 19;
  const std::string token = form.body.substr(tok, form.body.find('"', tok) - tok);
  Response r = request(w2, "POST", "/login", login_cookie, t0 + 5, "login=xena&csrf=" + token);
  BOOST_TEST(r.status == 303);
  const std::string fresh = set_cookie(r, kSessionCookie);
  BOOST_TEST(fresh.size() > 20);
  BOOST_TEST(booth(w1, fresh, t0 + 5).status == 200);
  BOOST_TEST(booth(w2, fresh, t0 + 5).status == 200);

  // The same form token again, for another voter: refused, nobody signed in.
  r = request(w1, "POST", "/login", login_cookie, t0 + 6, "login=yann&csrf=" + token);
  BOOST_TEST(r.status == 403);
  BOOST_TEST(has(r.body, "used already"));
  BOOST_TEST(set_cookie(r, kSessionCookie).empty());
}

BOOST_FIXTURE_TEST_CASE(the_officers_page_refuses_an_ended_session, Fixture) {
  const core::UnixTime t0 = kT + 20000;
  auto olga = session("olga", t0), olga2 = session("olga", t0 + 1);
  const std::string admin = std::string("/elections/") + kEid + "/admin";
  BOOST_TEST(request(w1, "GET", admin, olga2.first, t0 + 2).status == 200);
  BOOST_TEST(request(w1, "POST", "/logout", olga.first, t0 + 3, "csrf=" + url_encode(olga.second))
                 .status == 303);
  Response r = request(w1, "GET", admin, olga2.first, t0 + 3);
  BOOST_TEST(r.status == 303);
  BOOST_TEST(location(r).rfind("/urna/login?next=", 0) == 0);
  r = request(w2, "POST", admin, olga2.first, t0 + 3,
              "csrf=" + url_encode(olga2.second) + "&action=review&request=1&reviewed=1");
  BOOST_TEST(r.status == 403);
  BOOST_TEST(has(r.body, "This session has ended"));
}
