// Unit tests for src/web: request parsing, the router, templates, sessions
// and the dispatch boundary (error pages for bad requests, no crash).
#define BOOST_TEST_MODULE web
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <map>
#include <set>
#include <vector>

#include "crypto/crypto.h"
#include "web/http_error.h"
#include "web/request.h"
#include "web/router.h"
#include "web/server.h"
#include "web/session.h"
#include "web/session_check.h"

using namespace urna::web;
namespace crypto = urna::crypto;
namespace core = urna::core;

namespace {

struct MapEnv : Env {
  std::map<std::string, std::string> vars;
  const char* get(const char* name) const override {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  }
};

MapEnv get_env(const std::string& uri, const std::string& method = "GET") {
  MapEnv e;
  e.vars["REQUEST_METHOD"] = method;
  e.vars["REQUEST_URI"] = uri;
  auto q = uri.find('?');
  if (q != std::string::npos) e.vars["QUERY_STRING"] = uri.substr(q + 1);
  return e;
}

std::string srcdir() {
  const char* s = std::getenv("URNA_SRCDIR");
  return s ? s : ".";
}

urna::core::Config test_config() {
  urna::core::Config c;
  c.session_key = "0123456789abcdef0123456789abcdef";
  c.templates_dir = srcdir() + "/templates";
  c.auth = "demo";
  return c;
}

int status_of(const MapEnv& env, const std::string& body = "") {
  try {
    parse_request(env, body, "/urna", Limits{});
    return 200;
  } catch (const HttpError& e) {
    return e.status();
  }
}

void page_a(Context&) {}
void page_b(Context&) {}

}  // namespace

BOOST_AUTO_TEST_CASE(parses_a_good_request) {
  MapEnv env = get_env("/urna/elections/steering/2026?x=1&y=a+b&z=%C3%A9");
  env.vars["HTTP_COOKIE"] = "a=1; urna_session=abc.def; junk; =x; b=\"q\"";
  Request r = parse_request(env, "", "/urna", Limits{});
  BOOST_TEST(r.method == "GET");
  BOOST_TEST(r.path == "/elections/steering/2026");
  BOOST_TEST(r.q("y") == "a b");
  BOOST_TEST(r.q("z") == "\xC3\xA9");
  BOOST_TEST(r.cookies.at("urna_session") == "abc.def");
  BOOST_TEST(r.cookies.at("b") == "q");
  BOOST_TEST(r.cookies.count("junk") == 0u);

  MapEnv post = get_env("/urna/", "POST");
  post.vars["CONTENT_TYPE"] = "application/x-www-form-urlencoded; charset=UTF-8";
  Request p = parse_request(post, "rank%5Bc1%5D=2&csrf=t", "/urna", Limits{});
  BOOST_TEST(p.f("rank[c1]") == "2");
  BOOST_TEST(p.path == "/");
  BOOST_TEST(parse_request(get_env("/urna"), "", "/urna", Limits{}).path == "/");
  // Only that media type is a form (case-insensitive, parameters allowed).
  post.vars["CONTENT_TYPE"] = "Application/X-WWW-Form-Urlencoded";
  BOOST_TEST(parse_request(post, "a=1", "/urna", Limits{}).f("a") == "1");
  post.vars["CONTENT_TYPE"] = "application/x-www-form-urlencodedX";
  BOOST_TEST(parse_request(post, "a=1", "/urna", Limits{}).f("a").empty());
  post.vars["CONTENT_TYPE"] = "text/plain";
  BOOST_TEST(parse_request(post, "a=1", "/urna", Limits{}).f("a").empty());
}

BOOST_AUTO_TEST_CASE(rejects_bad_requests_with_4xx) {
  struct Row { std::string uri, method, body; int want; } rows[] = {
      {"/other/health", "GET", "", 404},           // outside the prefix
      {"/urnax/health", "GET", "", 404},
      {"/urna/%zz", "GET", "", 400},               // invalid escape
      {"/urna/a%", "GET", "", 400},
      {"/urna/?q=%4", "GET", "", 400},
      {"/urna/?q=a%00b", "GET", "", 400},          // NUL byte
      {"/urna/?q=%ff%fe", "GET", "", 400},         // invalid UTF-8
      {"/urna/?q=%c0%af", "GET", "", 400},         // overlong UTF-8
      {"/urna/?" + std::string(9000, 'a'), "GET", "", 414},  // huge query
      {"/urna/" + std::string(3000, 'a'), "GET", "", 414},
      {"/urna/a/../b", "GET", "", 400},
      {"/urna/", "get", "", 400},                  // bad method
      {"/urna/", "", "", 400},
      {"/urna/", "POST", "v=a%00b", 400},          // NUL in a form value
      {"/urna/", "POST", std::string(70000, 'x'), 413},  // oversized body
  };
  for (const auto& r : rows) {
    MapEnv env = get_env(r.uri, r.method);
    env.vars["CONTENT_TYPE"] = "application/x-www-form-urlencoded";
    BOOST_TEST_CONTEXT(r.uri.substr(0, 40) << " " << r.method) {
      BOOST_TEST(status_of(env, r.body) == r.want);
    }
  }
  Limits few;
  few.max_fields = 3;
  BOOST_CHECK_THROW(parse_urlencoded("a=1&b=2&c=3&d=4", few), BadRequest);
}

BOOST_AUTO_TEST_CASE(utf8_and_encoding) {
  BOOST_TEST(valid_utf8("plain"));
  BOOST_TEST(valid_utf8("\xE2\x82\xAC"));
  BOOST_TEST(!valid_utf8("\xED\xA0\x80"));  // surrogate
  BOOST_TEST(!valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  BOOST_TEST(url_encode("a b/é") == "a%20b%2F%C3%A9");
  BOOST_TEST(url_decode(url_encode("x&y=z/ü"), false) == "x&y=z/ü");
}

BOOST_AUTO_TEST_CASE(router_matches_paths_and_methods) {
  std::vector<Route> table = {
      {"GET", "/", page_a, kNone, "home"},
      {"GET", "/elections/{id}", page_a, kNone, "election"},
      {"GET", "/elections/{id}/vote", page_b, kNone, "booth"},
      {"POST", "/elections/{id}/vote", page_b, kNone, "cast"},
      {"GET", "/elections/{id}/candidates/{cid}", page_b, kNone, "candidate"},
  };
  Match m = match_route(table, "GET", "/elections/steering/2026");
  BOOST_REQUIRE(m.route);
  BOOST_TEST(m.route->name == std::string("election"));
  BOOST_TEST(m.params["id"] == "steering/2026");
  m = match_route(table, "GET", "/elections/uni/students/vote");
  BOOST_TEST(m.route->name == std::string("booth"));
  BOOST_TEST(m.params["id"] == "uni/students");
  m = match_route(table, "POST", "/elections/a/vote");
  BOOST_TEST(m.route->name == std::string("cast"));
  m = match_route(table, "HEAD", "/");
  BOOST_TEST(m.route->name == std::string("home"));
  m = match_route(table, "GET", "/elections/a/b/candidates/alice");
  BOOST_TEST(m.route->name == std::string("candidate"));
  BOOST_TEST(m.params["cid"] == "alice");
  BOOST_TEST(m.params["id"] == "a/b");
  m = match_route(table, "DELETE", "/elections/a/vote");
  BOOST_TEST(!m.route);
  BOOST_TEST(m.allowed.size() == 2u);
  m = match_route(table, "GET", "/nowhere");
  BOOST_TEST(!m.route);
  BOOST_TEST(m.allowed.empty());
  BOOST_TEST(!match_route(table, "GET", "/elections/").route);
  BOOST_TEST(!match_route(table, "GET", "/elections//x").route);
}

BOOST_AUTO_TEST_CASE(router_prefers_an_election_that_exists) {
  // An Elekto repository may have an election in elections/bench/vote,
  // "bench" being a plain folder: its page is /elections/bench/vote.
  std::vector<Route> table = {
      {"GET", "/elections/{id}", page_a, kElection, "election"},
      {"GET", "/elections/{id}/vote", page_b, kElection, "booth"},
      {"GET", "/elections/{id}/results", page_b, kElection, "results"},
  };
  std::set<std::string> elections = {"bench/vote", "uni", "uni/results"};
  auto known = [&](const std::string& id) { return elections.count(id) > 0; };
  Match m = match_route(table, "GET", "/elections/bench/vote", known);
  BOOST_REQUIRE(m.route);
  BOOST_TEST(m.route->name == std::string("election"));
  BOOST_TEST(m.params["id"] == "bench/vote");
  m = match_route(table, "GET", "/elections/bench/vote/vote", known);
  BOOST_TEST(m.route->name == std::string("booth"));
  BOOST_TEST(m.params["id"] == "bench/vote");
  // When both ids are elections (a parent's child named results, which
  // urna-sync refuses) the page of the parent wins, as without the check.
  m = match_route(table, "GET", "/elections/uni/results", known);
  BOOST_TEST(m.route->name == std::string("results"));
  BOOST_TEST(m.params["id"] == "uni");
  // Neither is an election: the longest literal match, as before (then 404).
  m = match_route(table, "GET", "/elections/none/vote", known);
  BOOST_TEST(m.route->name == std::string("booth"));
  BOOST_TEST(m.params["id"] == "none");
  // Without the check: the sub-page.
  m = match_route(table, "GET", "/elections/bench/vote");
  BOOST_TEST(m.route->name == std::string("booth"));
}

BOOST_AUTO_TEST_CASE(every_template_loads) {
  // A broken template (or one without the AUTOESCAPE pragma) fails here.
  Renderer r(srcdir() + "/templates");
  BOOST_TEST(r.templates().size() >= 3u);
}

BOOST_AUTO_TEST_CASE(sessions_are_signed_and_expire) {
  auto cfg = test_config();
  Session s = new_session("Alice", cfg, 1000);
  BOOST_TEST(s.login == "alice");
  std::string cookie = session_cookie(s, cfg, true);
  BOOST_TEST(cookie.find("HttpOnly") != std::string::npos);
  BOOST_TEST(cookie.find("SameSite=Lax") != std::string::npos);
  BOOST_TEST(cookie.find("Secure") != std::string::npos);
  std::string value = cookie.substr(std::string(kSessionCookie).size() + 1,
                                    cookie.find(';') - std::string(kSessionCookie).size() - 1);
  Request req;
  req.cookies[kSessionCookie] = value;
  BOOST_TEST(read_session(req, cfg, 1001).login == "alice");
  BOOST_TEST(read_session(req, cfg, 1000 + cfg.session_ttl + 1).login == "");  // expired
  std::string tampered = value;
  tampered[2] = tampered[2] == 'a' ? 'b' : 'a';
  req.cookies[kSessionCookie] = tampered;
  BOOST_TEST(read_session(req, cfg, 1001).login == "");
  for (const char* junk : {"", ".", "a.b.c", "%%%", "x.", ".y"}) {
    req.cookies[kSessionCookie] = junk;
    BOOST_TEST(read_session(req, cfg, 1001).login == "");
  }
  auto other = cfg;
  other.session_key = "another-key-another-key-another-key!";
  req.cookies[kSessionCookie] = value;
  BOOST_TEST(read_session(req, other, 1001).login == "");
  // CSRF
  std::string t = csrf_token(s, cfg);
  BOOST_TEST(csrf_ok(s, cfg, t));
  BOOST_TEST(!csrf_ok(s, cfg, t + "x"));
  BOOST_TEST(!csrf_ok(s, cfg, ""));
  BOOST_TEST(!csrf_ok(Session{}, cfg, ""));
  Session s2 = new_session("alice", cfg, 1000);
  BOOST_TEST(!csrf_ok(s2, cfg, t));  // bound to the session's nonce
}

// The cookie carries its issue time (v2), which a sign-out compares with
// the login's valid_after; v1 cookies (before issue 9) are still read, their
// issue time taken as expires - session_ttl. Table-driven: signed payloads.
BOOST_AUTO_TEST_CASE(session_cookie_versions_and_issue_time) {
  auto cfg = test_config();
  Session s = new_session("bob", cfg, 5000);
  BOOST_TEST(s.issued == 5000);
  BOOST_TEST(s.expires == 5000 + cfg.session_ttl);
  const std::string nonce(32, 'e');
  auto signed_cookie = [&](const std::string& payload) {
    return crypto::base64url_encode(payload) + "." +
           crypto::base64url_encode(crypto::hmac_sha256(cfg.session_key, "session|" + payload));
  };
  struct Case {
    std::string payload;
    std::string login;  // "" = refused
    core::UnixTime issued;
  };
  const std::string exp = std::to_string(6000 + cfg.session_ttl);
  const std::vector<Case> cases = {
      {"v2|bob|6000|" + exp + "|" + nonce, "bob", 6000},
      {"v1|bob|" + exp + "|" + nonce, "bob", 6000},
      {"v2|bob|" + exp + "|6000|" + nonce, "", 0},        // issued after expiry
      {"v2|bob|6000x|" + exp + "|" + nonce, "", 0},       // not a number
      {"v2|bob|6000|" + exp + "1x|" + nonce, "", 0},      // trailing garbage
      {"v1|bob|6000|" + exp + "|" + nonce, "", 0},        // v1 with five fields
      {"v2|bob|" + exp + "|" + nonce, "", 0},             // v2 with four fields
      {"v3|bob|6000|" + exp + "|" + nonce, "", 0},        // unknown version
      {"v2||6000|" + exp + "|" + nonce, "", 0},           // no login
      {"v2|bob|6000|" + exp + "|" + nonce + "0", "", 0},  // long nonce
  };
  for (const auto& c : cases) {
    Request req;
    req.cookies[kSessionCookie] = signed_cookie(c.payload);
    Session got = read_session(req, cfg, 6001);
    BOOST_TEST(got.login == c.login, c.payload);
    if (!c.login.empty()) BOOST_TEST(got.issued == c.issued, c.payload);
  }
  // What session_cookie() writes reads back with its issue time.
  std::string cookie = session_cookie(s, cfg, false);
  Request req;
  req.cookies[kSessionCookie] =
      cookie.substr(std::string(kSessionCookie).size() + 1,
                    cookie.find(';') - std::string(kSessionCookie).size() - 1);
  Session back = read_session(req, cfg, 5001);
  BOOST_TEST(back.issued == 5000);
  BOOST_TEST(back.expires == s.expires);
  BOOST_TEST(back.nonce == s.nonce);
}

// A worker's reading of a login's valid_after is good for less than
// kSessionCheckCacheSeconds of request time, and never after the clock went
// back.
BOOST_AUTO_TEST_CASE(session_ends_cache_window) {
  SessionEndsCache c;
  core::UnixTime v = 0;
  BOOST_TEST(!c.get("alice", 100, &v));
  c.put("alice", 42, 100);
  BOOST_TEST(c.get("alice", 100, &v));
  BOOST_TEST(v == 42);
  BOOST_TEST(c.get("alice", 100 + kSessionCheckCacheSeconds - 1, &v));
  BOOST_TEST(!c.get("alice", 100 + kSessionCheckCacheSeconds, &v));
  BOOST_TEST(!c.get("alice", 99, &v));  // the clock went back
  BOOST_TEST(!c.get("bob", 100, &v));
  for (int i = 0; i < 5000; ++i) c.put("u" + std::to_string(i), i, 200);  // bounded
  BOOST_TEST(c.get("u4999", 200, &v));
  BOOST_TEST(v == 4999);
}

BOOST_AUTO_TEST_CASE(dispatch_answers_errors_without_a_database) {
  auto cfg = test_config();
  Renderer renderer(cfg.templates_dir);
  std::vector<Route> table = {{"GET", "/", page_a, kNone, "home"}};
  SnapshotCache cache;
  WorkerState worker;
  struct Row { std::string uri, method; int want; } rows[] = {
      {"/urna/", "GET", 200},
      {"/urna/nope", "GET", 404},
      {"/urna/", "POST", 405},
      {"/urna/%zz", "GET", 400},
      {"/elsewhere", "GET", 404},
  };
  for (const auto& r : rows) {
    BOOST_TEST_CONTEXT(r.uri << " " << r.method) {
      MapEnv env = get_env(r.uri, r.method);
      env.vars["HTTP_COOKIE"] = "urna_session=\x01garbage; x";
      Response res = dispatch(cfg, renderer, table, cache, worker, env, "", 1000);
      BOOST_TEST(res.status == r.want);
      if (r.want >= 400) {
        BOOST_TEST(res.body.find("Request id") != std::string::npos);
        // The way back stays under the prefix (not the site's root).
        BOOST_TEST(res.body.find("href=\"/urna/\">Back to the elections") != std::string::npos);
      }
      bool csp = false;
      for (const auto& h : res.headers) csp |= h.first == "Content-Security-Policy";
      BOOST_TEST(csp);
    }
  }
  // Issue 9: form-action 'self' in the policy; Strict-Transport-Security
  // only over HTTPS (also on an error answered before the request parsed),
  // never over plain HTTP, none with hsts_max_age = 0.
  auto header_of = [](const Response& res, const std::string& name) {
    std::string v;
    int n = 0;
    for (const auto& h : res.headers)
      if (h.first == name) v = h.second, ++n;
    return n == 1 ? v : n == 0 ? std::string("(none)") : std::string("(several)");
  };
  struct Hsts { const char* var; const char* value; const char* uri; int max_age; std::string want; };
  for (const Hsts& h : {Hsts{"HTTPS", "on", "/urna/", 31536000, "max-age=31536000"},
                        Hsts{"HTTPS", "1", "/urna/nope", 31536000, "max-age=31536000"},
                        Hsts{"REQUEST_SCHEME", "https", "/urna/%zz", 600, "max-age=600"},
                        Hsts{"REQUEST_SCHEME", "http", "/urna/", 31536000, "(none)"},
                        Hsts{"HTTPS", "off", "/urna/", 31536000, "(none)"},
                        Hsts{"HTTP_HTTPS", "on", "/urna/", 31536000, "(none)"},
                        Hsts{"HTTPS", "on", "/urna/", 0, "(none)"}}) {
    BOOST_TEST_CONTEXT(h.var << "=" << h.value << " " << h.uri << " max_age " << h.max_age) {
      auto c = cfg;
      c.hsts_max_age = h.max_age;
      MapEnv env = get_env(h.uri, "GET");
      env.vars[h.var] = h.value;
      Response res = dispatch(c, renderer, table, cache, worker, env, "", 1000);
      BOOST_TEST(header_of(res, "Strict-Transport-Security") == h.want);
      const std::string csp = header_of(res, "Content-Security-Policy");
      BOOST_TEST(csp.find("form-action 'self'") != std::string::npos, csp);
      BOOST_TEST(csp.find("frame-ancestors 'none'") != std::string::npos, csp);
    }
  }
  MapEnv env = get_env("/urna/", "PUT");
  Response res = dispatch(cfg, renderer, table, cache, worker, env, "", 1000);
  bool allow = false;
  for (const auto& h : res.headers) allow |= h.first == "Allow" && h.second == "GET, HEAD";
  BOOST_TEST(allow);
  // Escaping: a message with markup is shown as text.
  env = get_env("/urna/<script>", "GET");
  res = dispatch(cfg, renderer, table, cache, worker, env, "", 1000);
  BOOST_TEST(res.body.find("<script>") == std::string::npos);
}

// Issue 9: auth = remote_user refuses a FastCGI socket reachable from other
// hosts. Real sockets, bound to port 0 (any free port).
BOOST_AUTO_TEST_CASE(remote_user_refuses_a_socket_beyond_loopback) {
  auto v4 = [](const char* addr) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    inet_pton(AF_INET, addr, &a.sin_addr);
    BOOST_REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    std::string why = remote_user_socket_problem(fd);
    close(fd);
    return why;
  };
  BOOST_TEST(v4("127.0.0.1") == "");
  BOOST_TEST(v4("127.0.0.2") == "");
  const std::string any = v4("0.0.0.0");
  BOOST_TEST(any.find("listens on 0.0.0.0, not only on loopback") != std::string::npos, any);
  BOOST_TEST(any.find("URNA_AUTH_USER") != std::string::npos);
  int fd6 = socket(AF_INET6, SOCK_STREAM, 0);
  if (fd6 >= 0) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_any;
    if (bind(fd6, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0)
      BOOST_TEST(remote_user_socket_problem(fd6).find("listens on ::,") != std::string::npos);
    close(fd6);
  }
  int pair[2];
  BOOST_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
  BOOST_TEST(remote_user_socket_problem(pair[0]) == "");  // a unix socket
  close(pair[0]);
  close(pair[1]);
  int pipe_fds[2];
  BOOST_REQUIRE(pipe(pipe_fds) == 0);
  BOOST_TEST(remote_user_socket_problem(pipe_fds[0]) == "");  // no socket: cannot tell
  close(pipe_fds[0]);
  close(pipe_fds[1]);
}
