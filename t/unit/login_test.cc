// Unit tests for signing in and out (web/oauth, login_page.cc) and the
// access rules of the exception and officers' pages: pure functions
// table-driven, the OAuth exchange against a fake provider, and the pages
// through dispatch() with a pinned snapshot (no database, no FastCGI; what
// needs the database is in t/e2e/login_test.py and admin_test.py).
#define BOOST_TEST_MODULE login
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <map>

#include "core/time_util.h"
#include "memory_session_records.h"
#include "store/db.h"  // WorkerState owns a Db
#include "web/oauth.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

using namespace urna;
using namespace urna::web;

namespace {

struct MapEnv : Env {
  std::map<std::string, std::string> vars;
  const char* get(const char* name) const override {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  }
};

std::string srcdir() {
  const char* s = std::getenv("URNA_SRCDIR");
  return s ? s : ".";
}

const core::UnixTime kNow = *core::parse_utc("2026-03-10 08:00:00");

bool has(const std::string& body, const std::string& what) {
  return body.find(what) != std::string::npos;
}

core::Snapshot test_snapshot() {
  core::Snapshot s;
  s.commit = "0123456789abcdef0123456789abcdef01234567";
  core::Election a;
  a.id = "steering/2026";
  a.folder = "2026";
  a.name = "Steering 2026";
  a.start = kNow - 86400;
  a.end = kNow + 86400;
  a.exception_due = kNow + 3600;
  a.exception_description = "Ask.";
  a.officers = {"olivia"};
  a.voters = {{"alice", {}}, {"Bob", {}}};
  core::Election b = a;
  b.id = "coc/2026";
  b.folder = "2026";
  b.name = "CoC 2026";
  b.officers = {"oscar"};
  b.voters = {{"carol", {}}};
  s.elections = {b, a};  // sorted by id
  return s;
}

// A provider that answers from a script and records what it was asked.
struct FakeHttp : HttpClient {
  HttpReply token, user;
  std::string posted, got_url;
  std::vector<std::string> user_headers;
  HttpReply post_form(const std::string&, const std::string& body,
                      const std::vector<std::string>&) override {
    posted = body;
    return token;
  }
  HttpReply get(const std::string& url, const std::vector<std::string>& headers) override {
    got_url = url;
    user_headers = headers;
    return user;
  }
};

HttpReply reply(long status, const std::string& body) {
  HttpReply r;
  r.ok = true;
  r.status = status;
  r.body = body;
  return r;
}

HttpReply down() {
  HttpReply r;
  r.error = "Couldn't connect to server";
  return r;
}

struct Fixture {
  core::Config cfg;
  Renderer renderer{srcdir() + "/templates"};
  SnapshotCache cache;
  WorkerState worker;
  MemorySessionRecords records;  // sign-outs and spent sign-ins, no database

  Fixture() {
    worker.session_records = &records;
    cfg.session_key = "0123456789abcdef0123456789abcdef";
    cfg.templates_dir = srcdir() + "/templates";
    cfg.auth = "github";
    cfg.base_url = "https://vote.example.org";
    cfg.oauth_client_id = "client-id";
    cfg.oauth_client_secret = "client-secret";
    // Nothing listens there: the token endpoint is "down".
    cfg.oauth_token_url = "http://127.0.0.1:1/login/oauth/access_token";
    cfg.oauth_user_url = "http://127.0.0.1:1/user";
    cfg.db_host = "unix:///nonexistent/urna-login-test.sock";
    cache.pin(test_snapshot());
  }

  // `cookies` is a Cookie header value.
  Response request(const std::string& uri, const std::string& method = "GET",
                   const std::string& cookies = "", const std::string& body = "",
                   const std::map<std::string, std::string>& extra = {},
                   core::UnixTime now = kNow) {
    MapEnv env;
    env.vars["REQUEST_METHOD"] = method;
    env.vars["REQUEST_URI"] = uri;
    if (!cookies.empty()) env.vars["HTTP_COOKIE"] = cookies;
    if (!body.empty()) {
      env.vars["CONTENT_TYPE"] = "application/x-www-form-urlencoded";
      env.vars["CONTENT_LENGTH"] = std::to_string(body.size());
    }
    for (const auto& kv : extra) env.vars[kv.first] = kv.second;
    return dispatch(cfg, renderer, routes(), cache, worker, env, body, now);
  }

  // A form token for the session in cookie pair `s`.
  std::string csrf_for(const std::string& s) {
    Request q;
    q.cookies[kSessionCookie] = s.substr(std::string(kSessionCookie).size() + 1);
    return csrf_token(read_session(q, cfg, kNow), cfg);
  }

  std::string session_for(const std::string& login, core::UnixTime now = kNow) {
    return cookie_pair(session_cookie(new_session(login, cfg, now), cfg, false));
  }

  static std::string cookie_pair(const std::string& set_cookie) {
    return set_cookie.substr(0, set_cookie.find(';'));
  }
};

std::string header(const Response& r, const std::string& name) {
  for (const auto& h : r.headers)
    if (h.first == name) return h.second;
  return "";
}

// The Set-Cookie value for cookie `name` ("" if none).
std::string set_cookie(const Response& r, const std::string& name) {
  for (const auto& c : r.cookies)
    if (c.compare(0, name.size() + 1, name + "=") == 0) return c;
  return "";
}

std::string query_value(const std::string& url, const std::string& key) {
  size_t p = url.find(key + "=");
  if (p == std::string::npos) return "";
  p += key.size() + 1;
  return url.substr(p, url.find('&', p) - p);
}

}  // namespace

BOOST_AUTO_TEST_CASE(safe_next_keeps_paths_inside_urna) {
  const std::string home = "/urna/";
  struct Row {
    const char* next;
    const char* want;  // nullptr: the home page
  } rows[] = {
      {"/urna/elections/steering/2026", "/urna/elections/steering/2026"},
      {"/urna/elections/x?tab=1#top", "/urna/elections/x?tab=1#top"},
      {"/urna/", "/urna/"},
      {"/urna/elections/a b/é", "/urna/elections/a%20b/%C3%A9"},
      {"", nullptr},
      {"/", nullptr},
      {"/urna", nullptr},
      {"/urnax/elections", nullptr},
      {"//evil.example/urna/", nullptr},
      {"///evil.example", nullptr},
      {"http://evil.example/urna/", nullptr},
      {"https:/urna/", nullptr},
      {"javascript:alert(1)", nullptr},
      {"/urna/\\evil.example", nullptr},
      {"\\\\evil.example", nullptr},
      {"/\\evil.example", nullptr},
      {"/urna/\t/evil", nullptr},
      {"/\t/evil.example", nullptr},
      {"/urna/x\r\nSet-Cookie: a=b", nullptr},
      {"/urna/../evil", nullptr},
      {"/urna/%2e%2e/evil", nullptr},
      {"/urna/%2E./evil", nullptr},
      {"/urna/./x", nullptr},
      {"/urna/login", nullptr},
      {"/urna/logout", nullptr},
      {"/urna/oauth/callback?code=x", nullptr},
      {"evil.example", nullptr},
  };
  for (const auto& r : rows) {
    BOOST_TEST_CONTEXT(r.next) {
      BOOST_TEST(safe_next(r.next, "/urna") == (r.want ? r.want : home));
    }
  }
  // Without a prefix urna owns the whole site, but still no other host.
  BOOST_TEST(safe_next("/elections/x", "") == "/elections/x");
  BOOST_TEST(safe_next("//evil.example", "") == "/");
  BOOST_TEST(safe_next("/login", "") == "/");
}

BOOST_AUTO_TEST_CASE(valid_logins) {
  for (const char* ok : {"alice", "Bob-2", "a.b_c", "ann@example.org", "x"})
    BOOST_TEST(valid_login(ok), ok);
  for (const char* bad : {"", "a|b", "a b", "a\nb", "<script>", "a;b", "é", "a/b"})
    BOOST_TEST(!valid_login(bad), bad);
  BOOST_TEST(!valid_login(std::string(101, 'a')));
  BOOST_TEST(valid_login(std::string(100, 'a')));
}

BOOST_AUTO_TEST_CASE(login_cookie_round_trip_and_tampering) {
  core::Config cfg;
  cfg.session_key = "0123456789abcdef0123456789abcdef";
  LoginAttempt a = new_login_attempt("/urna/elections/x|y", kNow);
  BOOST_TEST(a.state.size() == 32u);
  BOOST_TEST(a.expires == kNow + kLoginCookieTtl);
  const std::string c = login_cookie(a, cfg, true);
  BOOST_TEST(has(c, "HttpOnly"));
  BOOST_TEST(has(c, "SameSite=Lax"));
  BOOST_TEST(has(c, "Secure"));
  const std::string value = c.substr(std::string(kLoginCookie).size() + 1,
                                     c.find(';') - std::string(kLoginCookie).size() - 1);
  auto back = read_login_cookie(value, cfg, kNow);
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST(back->state == a.state);
  BOOST_TEST(back->next == "/urna/elections/x|y");
  BOOST_TEST(!read_login_cookie(value, cfg, a.expires).has_value());  // expired
  std::string tampered = value;
  tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
  BOOST_TEST(!read_login_cookie(tampered, cfg, kNow).has_value());
  core::Config other = cfg;
  other.session_key = "another-key-another-key-another-key";
  BOOST_TEST(!read_login_cookie(value, other, kNow).has_value());
  for (const char* junk : {"", ".", "abc", "a.b.c", "AAAA.AAAA"})
    BOOST_TEST(!read_login_cookie(junk, cfg, kNow).has_value(), junk);
  // A session cookie is no login cookie (different HMAC domains).
  std::string s = session_cookie(new_session("alice", cfg, kNow), cfg, false);
  s = s.substr(std::string(kSessionCookie).size() + 1, s.find(';') - std::string(kSessionCookie).size() - 1);
  BOOST_TEST(!read_login_cookie(s, cfg, kNow).has_value());
  // Clearing.
  BOOST_TEST(has(login_cookie(LoginAttempt{}, cfg, false), "Max-Age=0"));
}

BOOST_AUTO_TEST_CASE(authorize_url) {
  core::Config cfg;
  cfg.base_url = "https://vote.example.org/";
  cfg.prefix = "/urna";
  cfg.oauth_client_id = "abc 123";
  BOOST_TEST(oauth_redirect_uri(cfg) == "https://vote.example.org/urna/oauth/callback");
  const std::string u = oauth_authorize_url(cfg, "0123");
  BOOST_TEST(u.compare(0, 41, "https://github.com/login/oauth/authorize?") == 0);
  BOOST_TEST(has(u, "client_id=abc%20123"));
  BOOST_TEST(has(u, "redirect_uri=https%3A%2F%2Fvote.example.org%2Furna%2Foauth%2Fcallback"));
  BOOST_TEST(has(u, "scope=read%3Auser"));
  BOOST_TEST(has(u, "state=0123"));
  cfg.oauth_authorize_url = "https://git.example.org/oauth/authorize?x=1";
  BOOST_TEST(has(oauth_authorize_url(cfg, "s"), "authorize?x=1&client_id="));
}

BOOST_AUTO_TEST_CASE(oauth_exchange_against_a_fake_provider) {
  core::Config cfg;
  cfg.base_url = "https://vote.example.org";
  cfg.oauth_client_id = "id";
  cfg.oauth_client_secret = "s3cret";
  const std::string good_token = R"({"access_token":"gho_TOKEN","token_type":"bearer","scope":"read:user"})";

  {  // Success: the login lower-cased, the token sent as Bearer, then forgotten.
    FakeHttp h;
    h.token = reply(200, good_token);
    h.user = reply(200, R"({"login":"Alice-X","id":1})");
    OAuthResult r = oauth_login(cfg, "the-code", h);
    BOOST_TEST(r.ok());
    BOOST_TEST(r.login == "alice-x");
    BOOST_TEST(has(h.posted, "code=the-code"));
    BOOST_TEST(has(h.posted, "client_secret=s3cret"));
    BOOST_TEST(has(h.posted, "redirect_uri=https%3A%2F%2Fvote.example.org%2Furna%2Foauth%2Fcallback"));
    BOOST_TEST(h.got_url == cfg.oauth_user_url);
    bool bearer = false;
    for (const auto& x : h.user_headers) bearer = bearer || x == "Authorization: Bearer gho_TOKEN";
    BOOST_TEST(bearer);
  }
  {  // GitLab names it `username`.
    FakeHttp h;
    h.token = reply(200, good_token);
    h.user = reply(200, R"({"username":"gitlab_user","id":1})");
    BOOST_TEST(oauth_login(cfg, "c", h).login == "gitlab_user");
  }

  struct Row {
    const char* what;
    HttpReply token, user;
    int status;
  } rows[] = {
      {"bad code (GitHub: 200 with an error)",
       reply(200, R"({"error":"bad_verification_code","error_description":"x"})"), {}, 400},
      {"bad code (GitLab: 400 invalid_grant)", reply(400, R"({"error":"invalid_grant"})"), {}, 400},
      {"wrong client secret", reply(200, R"({"error":"incorrect_client_credentials"})"), {}, 502},
      {"token endpoint down", down(), {}, 502},
      {"token endpoint answers HTML", reply(200, "<html>oops</html>"), {}, 502},
      {"token endpoint answers garbage", reply(200, "\x01\x02{{{"), {}, 502},
      {"token endpoint answers a JSON array", reply(200, "[1,2]"), {}, 502},
      {"token endpoint 500", reply(500, "{}"), {}, 502},
      {"no access token", reply(200, R"({"token_type":"bearer"})"), {}, 502},
      {"access token not a string", reply(200, R"({"access_token":5})"), {}, 502},
      {"user endpoint down", reply(200, good_token), down(), 502},
      {"user endpoint 401", reply(200, good_token), reply(401, R"({"message":"Bad credentials"})"), 502},
      {"user endpoint garbage", reply(200, good_token), reply(200, "not json"), 502},
      {"user without login", reply(200, good_token), reply(200, R"({"id":1})"), 502},
      {"user login not a string", reply(200, good_token), reply(200, R"({"login":7})"), 502},
      {"user login with a separator", reply(200, good_token), reply(200, R"({"login":"a|b"})"), 502},
      {"user login empty", reply(200, good_token), reply(200, R"({"login":""})"), 502},
  };
  for (const auto& row : rows) {
    BOOST_TEST_CONTEXT(row.what) {
      FakeHttp h;
      h.token = row.token;
      h.user = row.user;
      OAuthResult r = oauth_login(cfg, "CODE-XYZ", h);
      BOOST_TEST(!r.ok());
      BOOST_TEST(r.status == row.status);
      BOOST_TEST(!r.message.empty());
      // Nothing secret reaches the visitor or the log.
      for (const std::string* s : {&r.message, &r.log}) {
        BOOST_TEST(!has(*s, "gho_TOKEN"));
        BOOST_TEST(!has(*s, "s3cret"));
        BOOST_TEST(!has(*s, "CODE-XYZ"));
      }
    }
  }
  FakeHttp h;
  BOOST_TEST(oauth_login(cfg, "", h).status == 400);  // no code at all
  BOOST_TEST(h.posted.empty());
  BOOST_TEST(oauth_callback_error("access_denied").status == 400);
  BOOST_TEST(has(oauth_callback_error("access_denied").message, "did not allow"));
}

BOOST_FIXTURE_TEST_CASE(github_login_redirects_with_a_state_bound_to_the_browser, Fixture) {
  Response r = request("/urna/login?next=%2Furna%2Felections%2Fsteering%2F2026");
  BOOST_TEST(r.status == 303);
  const std::string loc = header(r, "Location");
  BOOST_TEST(loc.compare(0, 41, "https://github.com/login/oauth/authorize?") == 0);
  const std::string state = query_value(loc, "state");
  BOOST_TEST(state.size() == 32u);
  const std::string c = set_cookie(r, kLoginCookie);
  BOOST_REQUIRE(!c.empty());
  auto a = read_login_cookie(c.substr(std::string(kLoginCookie).size() + 1,
                                      c.find(';') - std::string(kLoginCookie).size() - 1),
                             cfg, kNow);
  BOOST_REQUIRE(a.has_value());
  BOOST_TEST(a->state == state);
  BOOST_TEST(a->next == "/urna/elections/steering/2026");
  // Two attempts, two states.
  BOOST_TEST(query_value(header(request("/urna/login"), "Location"), "state") != state);
  // An open redirect in `next` is replaced by the home page.
  Response evil = request("/urna/login?next=%2F%2Fevil.example%2F");
  auto e = read_login_cookie(
      Fixture::cookie_pair(set_cookie(evil, kLoginCookie)).substr(std::string(kLoginCookie).size() + 1),
      cfg, kNow);
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(e->next == "/urna/");
}

BOOST_FIXTURE_TEST_CASE(oauth_callback_refuses_what_it_cannot_trust, Fixture) {
  Response start = request("/urna/login");
  const std::string state = query_value(header(start, "Location"), "state");
  const std::string cookie = Fixture::cookie_pair(set_cookie(start, kLoginCookie));

  // No cookie: the sign-in did not start in this browser.
  Response r = request("/urna/oauth/callback?code=x&state=" + state);
  BOOST_TEST(r.status == 400);
  BOOST_TEST(has(r.body, "did not start in this browser"));
  BOOST_TEST(set_cookie(r, kSessionCookie).empty());
  // State mismatch.
  r = request("/urna/oauth/callback?code=x&state=0123456789abcdef0123456789abcdef", "GET", cookie);
  BOOST_TEST(r.status == 400);
  BOOST_TEST(has(r.body, "Sign in again"));
  // No state at all.
  r = request("/urna/oauth/callback?code=x", "GET", cookie);
  BOOST_TEST(r.status == 400);
  // The cookie expired (10 minutes).
  r = request("/urna/oauth/callback?code=x&state=" + state, "GET", cookie, "", {},
              kNow + kLoginCookieTtl + 1);
  BOOST_TEST(r.status == 400);
  // Consent denied.
  r = request("/urna/oauth/callback?error=access_denied&state=" + state, "GET", cookie);
  BOOST_TEST(r.status == 400);
  BOOST_TEST(has(r.body, "did not allow urna"));
  BOOST_TEST(set_cookie(r, kSessionCookie).empty());
  // That state is spent now (issue 9): the same cookie and state again, with
  // a code, is refused before the provider is asked.
  r = request("/urna/oauth/callback?code=x&state=" + state, "GET", cookie);
  BOOST_TEST(r.status == 400);
  BOOST_TEST(has(r.body, "used already"));
  BOOST_TEST(set_cookie(r, kSessionCookie).empty());
  // The token endpoint is down (nothing listens on port 1): 502, no crash.
  Response again = request("/urna/login");
  const std::string state2 = query_value(header(again, "Location"), "state");
  const std::string cookie2 = Fixture::cookie_pair(set_cookie(again, kLoginCookie));
  r = request("/urna/oauth/callback?code=x&state=" + state2, "GET", cookie2);
  BOOST_TEST(r.status == 502);
  BOOST_TEST(has(r.body, "could not be reached"));
  BOOST_TEST(set_cookie(r, kSessionCookie).empty());
  BOOST_TEST(has(set_cookie(r, kLoginCookie), "Max-Age=0"));  // the attempt is spent
  // Only in github mode.
  cfg.auth = "demo";
  BOOST_TEST(request("/urna/oauth/callback?code=x&state=" + state, "GET", cookie).status == 404);
}

BOOST_FIXTURE_TEST_CASE(demo_login, Fixture) {
  cfg.auth = "demo";
  Response r = request("/urna/login?next=%2Furna%2Felections%2Fcoc%2F2026");
  BOOST_TEST(r.status == 200);
  // Every voter and officer, lower-cased, and the banner.
  for (const char* l : {"alice", "bob", "carol", "olivia", "oscar"})
    BOOST_TEST(has(r.body, std::string("value=\"") + l + "\""), l);
  BOOST_TEST(has(r.body, "not for real elections"));
  const std::string cookie = Fixture::cookie_pair(set_cookie(r, kLoginCookie));
  const size_t p = r.body.find("name=\"csrf\" value=\"");
  BOOST_REQUIRE(p != std::string::npos);
  const std::string token = r.body.substr(p + 19, 32);

  // Without the form token, or with another's: 403.
  BOOST_TEST(request("/urna/login", "POST", cookie, "login=alice").status == 403);
  BOOST_TEST(request("/urna/login", "POST", "", "login=alice&csrf=" + token).status == 403);
  BOOST_TEST(request("/urna/login", "POST", cookie,
                     "login=alice&csrf=0123456789abcdef0123456789abcdef").status == 403);
  // Someone not in the example data: 400.
  BOOST_TEST(request("/urna/login", "POST", cookie, "login=mallory&csrf=" + token).status == 400);
  // Alice, back to where she came from.
  r = request("/urna/login", "POST", cookie, "login=Alice&csrf=" + token);
  BOOST_TEST(r.status == 303);
  BOOST_TEST(header(r, "Location") == "/urna/elections/coc/2026");
  const std::string session = Fixture::cookie_pair(set_cookie(r, kSessionCookie));
  BOOST_TEST(has(session, "urna_session="));
  Response home = request("/urna/", "GET", session);
  BOOST_TEST(has(home.body, "Signed in as <strong>alice</strong>"));
  BOOST_TEST(has(home.body, "not for real elections"));
}

// The demo list says who each login is, computed from the snapshot: the
// officer, a voter in every part of a parent process, a voter in one part,
// a voter in a top-level election (with its phase) and the visitor "guest"
// on no list, who may sign in too.
BOOST_FIXTURE_TEST_CASE(demo_login_roles, Fixture) {
  cfg.auth = "demo";
  core::Snapshot s = test_snapshot();
  core::Election parent = s.elections[1];
  parent.id = "uni";
  parent.folder = "uni";
  parent.name = "Uni Process";
  parent.officers = {"pat"};
  parent.start = kNow + 86400;  // upcoming
  parent.end = kNow + 2 * 86400;
  parent.children = {"uni/students", "uni/staff"};
  parent.voters = {{"dora", {}}, {"ed", {"staff"}}, {"alice", {"students"}}};
  core::Election students = parent;
  students.id = "uni/students";
  students.folder = "students";
  students.name = "Students";
  students.parent = "uni";
  students.children.clear();
  students.voters.clear();
  students.officers.clear();
  core::Election staff = students;
  staff.id = "uni/staff";
  staff.folder = "staff";
  staff.name = "Staff";
  s.elections = {s.elections[0], s.elections[1], parent, staff, students};  // sorted by id
  cache.pin(s);
  Response r = request("/urna/login");
  BOOST_TEST(r.status == 200);
  auto roles_of = [&](const std::string& login) {
    const size_t b = r.body.find("value=\"" + login + "\"");
    if (b == std::string::npos) return std::string("(not listed)");
    const size_t e = r.body.find("</ul>", b);
    return r.body.substr(b, e - b);
  };
  BOOST_TEST(has(roles_of("pat"), "Election officer of Uni Process<"), roles_of("pat"));
  BOOST_TEST(has(roles_of("pat"), "Not on any voter list"));
  BOOST_TEST(has(roles_of("olivia"), "Election officer of Steering 2026<"));
  BOOST_TEST(has(roles_of("dora"), "Voter in every part of Uni Process: Students, Staff (not open yet)"),
             roles_of("dora"));
  BOOST_TEST(has(roles_of("ed"), "Voter in Uni Process, only in: Staff (not open yet)"),
             roles_of("ed"));
  const std::string alice = roles_of("alice");
  BOOST_TEST(has(alice, "Voter in Steering 2026 (voting now)"), alice);
  BOOST_TEST(has(alice, "Voter in Uni Process, only in: Students"), alice);
  BOOST_TEST(!has(alice, "Not on any voter list"));
  BOOST_TEST(!has(alice, "officer"));
  BOOST_TEST(has(roles_of("guest"), "Not on any voter list"), roles_of("guest"));
  BOOST_TEST(!has(roles_of("guest"), "officer"));
  // Every button names the list of roles that describes it.
  BOOST_TEST(has(r.body, "aria-describedby=\"demo-role-1\""));
  BOOST_TEST(has(r.body, "id=\"demo-role-1\""));
  // The visitor can sign in (and an unknown login still cannot).
  const std::string cookie = Fixture::cookie_pair(set_cookie(r, kLoginCookie));
  const size_t p = r.body.find("name=\"csrf\" value=\"");
  BOOST_REQUIRE(p != std::string::npos);
  const std::string token = r.body.substr(p + 19, 32);
  BOOST_TEST(request("/urna/login", "POST", cookie, "login=mallory&csrf=" + token).status == 400);
  BOOST_TEST(request("/urna/login", "POST", cookie, "login=guest&csrf=" + token).status == 303);
}

BOOST_FIXTURE_TEST_CASE(remote_user_login, Fixture) {
  cfg.auth = "remote_user";
  Response r =
      request("/urna/login?next=%2Furna%2F", "GET", "", "", {{"URNA_AUTH_USER", "Carol"}});
  BOOST_TEST(r.status == 303);
  BOOST_TEST(header(r, "Location") == "/urna/");
  const std::string session = Fixture::cookie_pair(set_cookie(r, kSessionCookie));
  BOOST_TEST(has(request("/urna/", "GET", session).body, "Signed in as <strong>carol</strong>"));
  r = request("/urna/login");
  BOOST_TEST(r.status == 403);
  BOOST_TEST(has(r.body, "did not tell urna who you are"));
  BOOST_TEST(set_cookie(r, kSessionCookie).empty());
  r = request("/urna/login", "GET", "", "", {{"URNA_AUTH_USER", "a|b"}});
  BOOST_TEST(r.status == 403);
  // Issue 9: REMOTE_USER alone is what nginx makes of any client's own
  // "Authorization: Basic olga:anything": it signs nobody in, even together
  // with a forged header that arrives as HTTP_URNA_AUTH_USER.
  r = request("/urna/login", "GET", "", "",
              {{"REMOTE_USER", "olga"}, {"HTTP_URNA_AUTH_USER", "olga"}});
  BOOST_TEST(r.status == 403);
  BOOST_TEST(has(r.body, "did not tell urna who you are"));
  BOOST_TEST(set_cookie(r, kSessionCookie).empty());
  // URNA_AUTH_USER counts only on the login route (the one the web server
  // protects): elsewhere it signs nobody in.
  r = request("/urna/", "GET", "", "", {{"URNA_AUTH_USER", "carol"}});
  BOOST_TEST(!has(r.body, "Signed in as"));
  BOOST_TEST(request("/urna/login", "POST", "", "login=carol").status == 405);
}

BOOST_FIXTURE_TEST_CASE(sessions_expire_and_tampered_cookies_are_anonymous, Fixture) {
  const std::string s = session_for("alice");
  BOOST_TEST(has(request("/urna/", "GET", s).body, "Signed in as <strong>alice</strong>"));
  Response late = request("/urna/", "GET", s, "", {}, kNow + cfg.session_ttl + 1);
  BOOST_TEST(late.status == 200);
  BOOST_TEST(!has(late.body, "Signed in as"));
  std::string t = s;
  t[t.size() - 3] = t[t.size() - 3] == 'A' ? 'B' : 'A';
  Response r = request("/urna/", "GET", t);
  BOOST_TEST(r.status == 200);
  BOOST_TEST(!has(r.body, "Signed in as"));
}

BOOST_FIXTURE_TEST_CASE(logout_needs_the_form_token, Fixture) {
  const std::string s = session_for("alice");
  Response r = request("/urna/logout", "POST", s, "x=1");
  BOOST_TEST(r.status == 403);
  BOOST_TEST(set_cookie(r, kSessionCookie).empty());
  r = request("/urna/logout", "POST", s, "csrf=" + csrf_for(s));
  BOOST_TEST(r.status == 303);
  BOOST_TEST(header(r, "Location") == "/urna/");
  BOOST_TEST(has(set_cookie(r, kSessionCookie), "Max-Age=0"));
  BOOST_TEST(request("/urna/logout").status == 405);
}

BOOST_FIXTURE_TEST_CASE(officers_page_and_exception_access_rules, Fixture) {
  // Anonymous: to the sign-in page and back.
  Response r = request("/urna/elections/steering/2026/admin");
  BOOST_TEST(r.status == 303);
  BOOST_TEST(header(r, "Location") == "/urna/login?next=%2Furna%2Felections%2Fsteering%2F2026%2Fadmin");
  // A voter, and an officer of another election (Elekto #83): 403.
  BOOST_TEST(request("/urna/elections/steering/2026/admin", "GET", session_for("alice")).status == 403);
  BOOST_TEST(request("/urna/elections/steering/2026/admin", "GET", session_for("oscar")).status == 403);
  BOOST_TEST(request("/urna/elections/coc/2026/admin", "GET", session_for("olivia")).status == 403);
  // Nor can they mark another election's requests.
  const std::string oscar = session_for("oscar");
  r = request("/urna/elections/steering/2026/admin", "POST", oscar,
              "action=review&request=1&reviewed=1&csrf=" + csrf_for(oscar));
  BOOST_TEST(r.status == 403);
  BOOST_TEST(has(r.body, "Only the officers of this election"));
  // The officer passes the rules and reaches the database (none here: 503).
  BOOST_TEST(request("/urna/elections/steering/2026/admin", "GET", session_for("Olivia")).status == 503);
  BOOST_TEST(request("/urna/elections/nope/admin", "GET", session_for("olivia")).status == 404);

  r = request("/urna/elections/steering/2026/exception");
  BOOST_TEST(r.status == 303);
  BOOST_TEST(has(header(r, "Location"), "/urna/login?next="));
  // POST without the form token.
  r = request("/urna/elections/steering/2026/exception", "POST", session_for("zed"),
              "name=Zed&contact=z&reason=r");
  BOOST_TEST(r.status == 403);
  r = request("/urna/elections/steering/2026/exception", "POST", "", "name=Zed");
  BOOST_TEST(r.status == 403);
}
