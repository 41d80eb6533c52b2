// Unit tests for the public election pages (home, election, candidate) and
// the webhook's signature check, through dispatch() with a hand-built
// snapshot pinned in the cache: no database, no FastCGI.
#define BOOST_TEST_MODULE pages
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "core/time_util.h"
#include "crypto/crypto.h"
#include "i18n/catalog.h"
#include "memory_session_records.h"
#include "store/db.h"  // WorkerState owns a Db
#include "web/election_view.h"
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

std::string builddir() {
  const char* s = std::getenv("URNA_BUILDDIR");
  return s ? s : ".";
}

// The catalogs `make` built (po/locale), as urna.fcgi loads them.
std::shared_ptr<const i18n::Catalogs> shipped_catalogs() {
  static const auto catalogs = std::make_shared<const i18n::Catalogs>(
      i18n::Catalogs::load(builddir() + "/po/locale", nullptr));
  return catalogs;
}

const i18n::Translator kEnglish{};
i18n::Translator spanish() { return shipped_catalogs()->translator("es"); }

core::UnixTime at(const char* text) { return *core::parse_utc(text); }

// "Now" for every request: 2026-03-10 08:00 UTC.
const core::UnixTime kNow = at("2026-03-10 08:00:00");

core::Candidate candidate(const std::string& id, const std::string& name,
                          std::vector<std::pair<std::string, std::string>> info,
                          const std::string& bio) {
  core::Candidate c;
  c.id = id;
  c.name = name;
  c.info = std::move(info);
  c.bio_html = bio;
  return c;
}

core::Question candidates_question(const core::Election& e, int seats) {
  core::Question q;
  q.id = "main";
  q.title = e.name;
  q.winners = seats;
  q.from_candidates = true;
  for (const auto& c : e.candidates) q.answers.push_back({c.id, c.name});
  return q;
}

core::Election election(const std::string& id, const std::string& name,
                        const char* start, const char* end) {
  core::Election e;
  e.id = id;
  e.folder = id.substr(id.rfind('/') + 1);
  e.name = name;
  e.organization = "Example Org";
  e.start = at(start);
  e.end = at(end);
  e.exception_due = e.start;
  return e;
}

core::Snapshot test_snapshot() {
  core::Snapshot s;
  s.commit = "0123456789abcdef0123456789abcdef01234567";

  // Running: closes 2026-03-13 12:00, i.e. in 3 days 4 hours.
  auto steering = election("steering/2026", "Steering Committee 2026",
                           "2026-03-01 00:00:00", "2026-03-13 12:00:00");
  steering.no_winners = 2;
  steering.officers = {"olivia", "oscar"};
  steering.eligibility = "Members with 50 contributions in the last year.";
  steering.exception_description = "Ask if you contributed in other ways.";
  steering.exception_due = at("2026-03-12 00:00:00");
  steering.description_html = "<p>Vote for <em>two</em> seats.</p>\n";
  steering.show_candidate_fields = {"employer", "website"};
  steering.candidates = {
      candidate("alice", "Alice Example",
                {{"employer", "Acme"}, {"slack", "@alice-hidden"},
                 {"website", "https://alice.example.org/"}},
                "<p>I <strong>care</strong>.</p>\n"),
      candidate("mallory", "Mallory <script>alert(1)</script>",
                {{"employer", "\"><img src=x onerror=alert(1)>"},
                 {"website", "javascript:alert(1)"}},
                ""),
      candidate("bob", "Bob Builder", {}, "<p>Bob's bio.</p>\n"),
  };
  steering.questions = {candidates_question(steering, 2)};
  steering.voters = {{"alice", {}}, {"bob", {}}, {"carol", {}}};

  auto upcoming = election("steering/2027", "Steering Committee 2027",
                           "2027-03-01 00:00:00", "2027-03-13 00:00:00");
  upcoming.candidates = {candidate("dave", "Dave", {}, "")};
  upcoming.questions = {candidates_question(upcoming, 1)};

  auto coc_old = election("coc/2024", "Code of Conduct Committee 2024",
                          "2024-05-01 00:00:00", "2024-05-15 00:00:00");
  coc_old.results_html = std::string("<p>Winners: <strong>Erin</strong></p>\n");
  coc_old.candidates = {candidate("erin", "Erin", {}, "")};
  coc_old.questions = {candidates_question(coc_old, 1)};
  auto coc_new = election("coc/2025", "Code of Conduct Committee 2025",
                          "2025-05-01 00:00:00", "2025-05-15 00:00:00");
  coc_new.candidates = {candidate("frank", "Frank", {}, "")};
  coc_new.questions = {candidates_question(coc_new, 1)};

  // A parent with two children and three Yes/No questions.
  auto uni = election("university-2026", "Electoral Process",
                      "2026-03-05 00:00:00", "2026-03-20 00:00:00");
  uni.children = {"university-2026/students", "university-2026/professors"};
  uni.categories = {{"Faculty", {"professors"}}};
  uni.voters = {{"alice", {"students"}}, {"pat", {"professors"}}, {"quinn", {}}};
  uni.officers = {"olivia"};
  // Exception requests were due at the start (Elekto's default), which has
  // passed at kNow: the parent must not invite requests any more.
  uni.exception_description = "UNI-INVITATION: ask with your staff number.";
  uni.exception_due = uni.start;
  auto yes_no = [](const std::string& id, const std::string& title) {
    core::Question q;
    q.id = id;
    q.title = title;
    q.method = core::Method::kPlurality;
    q.answers = {{"yes", "Yes"}, {"no", "No"}};
    q.max_selections = 1;
    return q;
  };
  auto students = election("university-2026/students", "Students",
                           "2026-03-05 00:00:00", "2026-03-20 00:00:00");
  students.parent = uni.id;
  students.questions = {yes_no("q1", "Approve the new statutes?"),
                        yes_no("q2", "Extend the library hours?")};
  students.questions[1].description_html = "<p>From 22:00 to <em>midnight</em>.</p>\n";
  auto professors = election("university-2026/professors", "Professors",
                             "2026-03-05 00:00:00", "2026-03-20 00:00:00");
  professors.parent = uni.id;
  professors.questions = {yes_no("q1", "Approve the new statutes?"),
                          yes_no("q3", "Hire more staff?")};
  uni.questions = {yes_no("q1", "Approve the new statutes?")};

  s.elections = {coc_old, coc_new, steering, upcoming, uni, professors, students};
  std::sort(s.elections.begin(), s.elections.end(),
            [](const core::Election& a, const core::Election& b) { return a.id < b.id; });
  return s;
}

struct Fixture {
  core::Config cfg;
  Renderer renderer;
  SnapshotCache cache;
  WorkerState worker;
  MemorySessionRecords records;  // sign-outs and spent sign-ins, no database

  explicit Fixture(std::shared_ptr<const i18n::Catalogs> catalogs = nullptr)
      : renderer(srcdir() + "/templates", std::move(catalogs)) {
    worker.session_records = &records;
    cfg.session_key = "0123456789abcdef0123456789abcdef";
    cfg.templates_dir = srcdir() + "/templates";
    cfg.auth = "demo";
    cache.pin(test_snapshot());
  }

  Response request(const std::string& uri, const std::string& method = "GET",
                   const std::string& login = "", const std::string& body = "",
                   const std::map<std::string, std::string>& env_extra = {}) {
    MapEnv env;
    env.vars["REQUEST_METHOD"] = method;
    env.vars["REQUEST_URI"] = uri;
    if (!login.empty()) {
      std::string c = session_cookie(new_session(login, cfg, kNow), cfg, false);
      env.vars["HTTP_COOKIE"] = c.substr(0, c.find(';'));
    }
    for (const auto& kv : env_extra) env.vars[kv.first] = kv.second;
    return dispatch(cfg, renderer, routes(), cache, worker, env, body, kNow);
  }
};

bool has(const std::string& body, const std::string& what) {
  return body.find(what) != std::string::npos;
}

// Position of `what` in `body`, or npos (for ordering checks).
size_t pos(const std::string& body, const std::string& what) { return body.find(what); }

}  // namespace

BOOST_AUTO_TEST_CASE(view_helpers) {
  BOOST_TEST(election_path("steering/2026") == "/elections/steering/2026");
  BOOST_TEST(election_path("a b/é") == "/elections/a%20b/%C3%A9");
  BOOST_TEST(candidate_path("x/y", "c d") == "/elections/x/y/candidates/c%20d");
  core::Election e;
  e.start = 1000;
  e.end = 1000 + 3 * 86400 + 4 * 3600;
  BOOST_TEST(when_text(e, 0, kEnglish) == "opens in 16 minutes");
  BOOST_TEST(when_text(e, 1000, kEnglish) == "closes in 3 days 4 hours");
  BOOST_TEST(when_text(e, e.end, kEnglish) == "closed less than a minute ago");
  BOOST_TEST(when_text(e, e.end + 2 * 86400, kEnglish) == "closed 2 days ago");
  e.show_candidate_fields = {"b", "a", "missing"};
  core::Candidate c;
  c.info = {{"a", "1"}, {"b", "2"}, {"c", "3"}};
  auto f = shown_fields(e, c);
  BOOST_REQUIRE(f.size() == 2u);
  BOOST_TEST(f[0].first == "b");  // the election's order, not the file's
  BOOST_TEST(f[1].first == "a");
  BOOST_TEST(looks_like_url("https://example.org/a?b=c"));
  BOOST_TEST(!looks_like_url("javascript:alert(1)"));
  BOOST_TEST(!looks_like_url("https://x\" onmouseover=\"y"));
  BOOST_TEST(!looks_like_url("ftp://example.org"));
}

// Issue 10 §11: how far a date is, as a person says it (core_test has
// the full table of format_duration).
BOOST_AUTO_TEST_CASE(when_text_reads_as_people_say_it) {
  core::Election e;
  e.start = at("2026-03-01 00:00:00");
  e.end = at("2036-01-01 00:00:00");
  struct Row { const char* now; const char* want; } rows[] = {
      {"2026-02-28 23:59:30", "opens in less than a minute"},
      {"2026-02-28 22:00:00", "opens in 2 hours"},
      {"2026-02-26 00:00:00", "opens in 3 days"},
      {"2026-01-01 00:00:00", "opens in 8 weeks"},
      {"2026-03-01 00:00:00", "closes in 9 years"},
      {"2035-12-11 00:00:00", "closes in 3 weeks"},
      {"2035-12-31 19:30:00", "closes in 4 hours 30 minutes"},
      {"2035-12-31 23:59:01", "closes in less than a minute"},
      {"2036-01-01 00:00:00", "closed less than a minute ago"},
      {"2036-01-06 00:00:00", "closed 5 days ago"},
      {"2036-04-01 00:00:00", "closed 2 months ago"},
      {"2038-06-01 00:00:00", "closed 2 years ago"},
  };
  for (const auto& r : rows)
    BOOST_TEST_CONTEXT(r.now) { BOOST_TEST(when_text(e, at(r.now), kEnglish) == r.want); }
}

// Issue 10 §8: what the voter does, per method, in one function the booth
// and the election page share.
BOOST_AUTO_TEST_CASE(ballot_instruction_per_method) {
  auto q = [](core::Method m, bool people, int winners, int n, int min = 0, int max = 0) {
    core::Question x;
    x.method = m;
    x.from_candidates = people;
    x.winners = winners;
    for (int i = 0; i < n; ++i) x.answers.push_back({"a" + std::to_string(i), ""});
    x.min_selections = min;
    x.max_selections = max;
    return x;
  };
  using M = core::Method;
  struct Row { const char* what; core::Question q; const char* want; } rows[] = {
      {"Yes/No", q(M::kPlurality, false, 1, 2), "Choose one answer"},
      {"Yes/No, max 1", q(M::kPlurality, false, 1, 2, 0, 1), "Choose one answer"},
      {"plurality of candidates", q(M::kPlurality, true, 1, 4), "Choose one candidate · 1 winner"},
      {"Schulze, 2 seats", q(M::kSchulze, true, 2, 5), "Rank the candidates · 2 seats to fill"},
      {"Schulze, 1 seat", q(M::kSchulze, true, 1, 5), "Rank the candidates · 1 winner"},
      {"ranked pairs", q(M::kRankedPairs, true, 1, 3), "Rank the candidates · 1 winner"},
      {"IRV", q(M::kIrv, true, 1, 3), "Rank the candidates · 1 winner"},
      {"STV, 3 seats", q(M::kStv, true, 3, 6), "Rank the candidates · 3 seats to fill"},
      {"Borda over answers", q(M::kBorda, false, 1, 3), "Rank the answers"},
      {"approval, up to 3", q(M::kApproval, false, 1, 5, 0, 3), "Choose up to 3"},
      {"approval, no limit", q(M::kApproval, false, 1, 4), "Choose as many as you like"},
      {"approval, max = all", q(M::kApproval, false, 1, 4, 0, 4), "Choose as many as you like"},
      {"approval, 1 to 3", q(M::kApproval, false, 1, 5, 1, 3), "Choose 1 to 3"},
      {"approval, exactly 2", q(M::kApproval, false, 1, 5, 2, 2), "Choose exactly 2"},
      {"approval, at least 2", q(M::kApproval, false, 1, 5, 2, 0), "Choose at least 2"},
      {"approval of candidates", q(M::kApproval, true, 2, 5, 0, 2), "Choose up to 2 · 2 seats to fill"},
      {"approval, top 2 answers", q(M::kApproval, false, 2, 5, 0, 3), "Choose up to 3 · the top 2 answers win"},
  };
  for (const auto& r : rows)
    BOOST_TEST_CONTEXT(r.what) {
      const std::string got = ballot_instruction(r.q, kEnglish);
      BOOST_TEST(got == r.want);
      BOOST_TEST(got.find("(s)") == std::string::npos);
      BOOST_TEST(got.find("to elect") == std::string::npos);
    }
}

// Issue 10 §6: one rule decides whether the exception form exists.
BOOST_AUTO_TEST_CASE(exception_window_rule) {
  core::Election e;
  e.start = at("2026-03-01 00:00:00");
  e.end = at("2026-03-20 00:00:00");
  e.exception_due = at("2026-03-10 00:00:00");
  BOOST_TEST((exception_window(e, at("2026-02-01 00:00:00")) == ExceptionWindow::kNotOffered));
  e.exception_description = "Ask.";
  struct Row { const char* now; ExceptionWindow want; } rows[] = {
      {"2026-02-01 00:00:00", ExceptionWindow::kOpen},  // before the start too
      {"2026-03-09 23:59:59", ExceptionWindow::kOpen},
      {"2026-03-10 00:00:00", ExceptionWindow::kClosed},  // due: closed at that second
      {"2026-03-15 00:00:00", ExceptionWindow::kClosed},
      {"2026-03-25 00:00:00", ExceptionWindow::kClosed},
  };
  for (const auto& r : rows)
    BOOST_TEST_CONTEXT(r.now) { BOOST_TEST((exception_window(e, at(r.now)) == r.want)); }
  e.exception_due = e.end + 86400;  // later than the end: the end closes it
  BOOST_TEST((exception_window(e, e.end) == ExceptionWindow::kClosed));
}

BOOST_FIXTURE_TEST_CASE(exception_texts_follow_the_rule, Fixture) {
  // Open (steering): the invitation, the due date and the link, together.
  Response r = request("/urna/elections/steering/2026");
  BOOST_TEST(has(r.body, "Ask if you contributed in other ways."));
  BOOST_TEST(has(r.body, "Requests are accepted until"));
  BOOST_TEST(has(r.body, "/steering/2026/exception\""));
  BOOST_TEST(!has(r.body, "closed on"));
  // Past its due date (the parent): no invitation, no link; it says closed.
  r = request("/urna/elections/university-2026");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(!has(r.body, "UNI-INVITATION"));
  BOOST_TEST(!has(r.body, "/university-2026/exception\""));
  BOOST_TEST(!has(r.body, "Requests are accepted"));
  BOOST_TEST(has(r.body, "Exception requests closed on <time datetime=\"2026-03-05T00:00:00Z\">"));
  // No description: nothing about exceptions at all.
  r = request("/urna/elections/steering/2027");
  BOOST_TEST(!has(r.body, "xception"));
}

BOOST_FIXTURE_TEST_CASE(home_lists_elections_by_phase_newest_first, Fixture) {
  Response r = request("/urna/");
  BOOST_TEST(r.status == 200);
  const std::string& b = r.body;
  const size_t running = pos(b, "id=\"running\""), upcoming = pos(b, "id=\"upcoming\""),
               closed = pos(b, "id=\"closed\"");
  BOOST_REQUIRE(running != std::string::npos);
  BOOST_REQUIRE(upcoming != std::string::npos);
  BOOST_REQUIRE(closed != std::string::npos);
  BOOST_TEST(running < upcoming);
  BOOST_TEST(upcoming < closed);
  auto in = [&](const std::string& what, size_t from, size_t to) {
    size_t p = pos(b, what);
    return p != std::string::npos && p > from && p < to;
  };
  BOOST_TEST(in("Steering Committee 2026", running, upcoming));
  BOOST_TEST(in("Electoral Process", running, upcoming));
  BOOST_TEST(in("Steering Committee 2027", upcoming, closed));
  BOOST_TEST(in("Code of Conduct Committee 2024", closed, b.size()));
  // Newest first: the 2025 committee before the 2024 one; the parent that
  // started 2026-03-05 before the election that started 2026-03-01.
  BOOST_TEST(pos(b, "Committee 2025") < pos(b, "Committee 2024"));
  BOOST_TEST(pos(b, "Electoral Process") < pos(b, "Steering Committee 2026"));
  // Children under their parent, collapsible, natural order (students was
  // listed first in `children`), and not again as top-level entries.
  const size_t details = pos(b, "<details class=\"children\" open>");
  BOOST_REQUIRE(details != std::string::npos);
  BOOST_TEST(pos(b, "Electoral Process") < details);
  BOOST_TEST(in("/urna/elections/university-2026/students\"", details, upcoming));
  BOOST_TEST(pos(b, ">Students<") < pos(b, ">Professors<"));
  BOOST_TEST(b.find(">Students<", pos(b, ">Students<") + 1) == std::string::npos);
  BOOST_TEST(has(b, "closes in 3 days 4 hours"));
  // No ":00" seconds (issue 10 §11); the ISO time stays for urna.js.
  BOOST_TEST(has(b, "<time datetime=\"2026-03-13T12:00:00Z\">March 13, 2026 at 12:00 PM UTC</time>"));
  // No badges for an anonymous visitor.
  BOOST_TEST(!has(b, "badge ok\">eligible"));
}

BOOST_FIXTURE_TEST_CASE(home_shows_badges_to_a_signed_in_voter, Fixture) {
  // A voter on a list: whether they voted needs the database, which this
  // fixture has not (issue 10 §10: the home page says "voted" too); never
  // a page that shows a voter who voted as only "eligible". The eligible
  // and voted badges are checked end to end (t/e2e/pages_test.py).
  Response r = request("/urna/", "GET", "Alice");
  BOOST_TEST(r.status == 503);
  BOOST_TEST(!has(r.body, "badge status eligible"));
  // Someone on no list needs no database: one "not eligible" per top-level
  // election; the children list badges only what applies to them.
  r = request("/urna/", "GET", "zed");
  BOOST_TEST(r.status == 200);
  const std::string& b = r.body;
  size_t upcoming = pos(b, "data-id=\"steering/2027\"");
  BOOST_REQUIRE(upcoming != std::string::npos);
  BOOST_TEST(b.find("<span class=\"badge status not-eligible\">not eligible</span>", upcoming) <
             b.find("</li>", upcoming));
  size_t prof = pos(b, "data-id=\"university-2026/professors\"");
  BOOST_REQUIRE(prof != std::string::npos);
  BOOST_TEST(b.find("eligible", prof) > b.find("</li>", prof));
  BOOST_TEST(!has(b, "status voted"));
  Response o = request("/urna/", "GET", "olivia");
  BOOST_TEST(o.status == 200);
  BOOST_TEST(has(o.body, "<span class=\"badge status officer\">officer</span>"));
  // The phases head their groups, with their own classes (colour, icon).
  BOOST_TEST(has(b, "<span class=\"badge phase running\">Running</span>"));
  BOOST_TEST(has(b, "<span class=\"badge phase upcoming\">Upcoming</span>"));
  BOOST_TEST(has(b, "<span class=\"badge phase closed\">Completed</span>"));
}

BOOST_FIXTURE_TEST_CASE(election_page_shows_the_definition, Fixture) {
  Response r = request("/urna/elections/steering/2026");
  BOOST_TEST(r.status == 200);
  const std::string& b = r.body;
  BOOST_TEST(has(b, "<title>Steering Committee 2026 · urna</title>"));
  BOOST_TEST(has(b, "<p>Vote for <em>two</em> seats.</p>"));  // Markdown HTML as is
  BOOST_TEST(has(b, ">March 1, 2026 at 12:00 AM UTC</time>"));
  BOOST_TEST(has(b, ">March 13, 2026 at 12:00 PM UTC</time>"));
  BOOST_TEST(!has(b, ":00:00 UTC"));
  BOOST_TEST(has(b, "closes in 3 days 4 hours"));
  BOOST_TEST(has(b, "olivia"));
  BOOST_TEST(has(b, "oscar"));
  BOOST_TEST(has(b, "Members with 50 contributions"));
  BOOST_TEST(has(b, "Ask if you contributed in other ways."));
  BOOST_TEST(has(b, "Requests are accepted until <time datetime=\"2026-03-12T00:00:00Z\">"));
  BOOST_TEST(has(b, "<dd class=\"voter-count\">3</dd>"));
  // Links to the other pages of the election.
  BOOST_TEST(has(b, "href=\"/urna/elections/steering/2026/vote\""));
  BOOST_TEST(has(b, "href=\"/urna/elections/steering/2026/exception\""));
  BOOST_TEST(!has(b, "/results\""));  // not closed, nothing published
  BOOST_TEST(!has(b, "/admin\""));    // anonymous
  // Candidates link to their pages and show only show_candidate_fields.
  BOOST_TEST(has(b, "href=\"/urna/elections/steering/2026/candidates/alice\""));
  BOOST_TEST(has(b, "Acme"));
  BOOST_TEST(!has(b, "@alice-hidden"));
  BOOST_TEST(has(b, "<a href=\"https://alice.example.org/\" rel=\"nofollow noopener\">"));
  // The question: what to do, in the booth's words, and the method.
  BOOST_TEST(has(b, "<td class=\"instruction\" data-label=\"How to vote\">Rank the candidates · 2 seats to fill</td>"));
  BOOST_TEST(has(b, "data-method=\"schulze\">Schulze (Condorcet)</td>"));
  // Everything from git is escaped, except sanitized Markdown.
  BOOST_TEST(!has(b, "<script>alert"));
  BOOST_TEST(has(b, "Mallory &lt;script&gt;"));
  BOOST_TEST(!has(b, "<img src=x"));
  BOOST_TEST(!has(b, "href=\"javascript:"));
  // Anonymous visitors are invited to sign in, with a way back.
  BOOST_TEST(has(b, "/urna/login?next=%2Furna%2Felections%2Fsteering%2F2026"));
}

BOOST_FIXTURE_TEST_CASE(election_page_for_signed_in_users, Fixture) {
  // This fixture has no database. For a voter on the list the page must say
  // whether they voted, which only the database knows: without it the page
  // is urna's 503, never a page that shows a voter who voted as not voted
  // (issue 11). With a database the badges are checked end to end
  // (t/e2e/pages_test.py, vote_test.py).
  Response r = request("/urna/elections/steering/2026", "GET", "bob");
  BOOST_TEST(r.status == 503);
  BOOST_TEST(!has(r.body, "you are on the voter list"));
  r = request("/urna/elections/university-2026", "GET", "alice");
  BOOST_TEST(r.status == 503);
  // Someone not on the list needs no database to be told so.
  r = request("/urna/elections/steering/2026", "GET", "zed");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(has(r.body, "you cannot vote in this election"));
  BOOST_TEST(!has(r.body, "/admin\""));
  r = request("/urna/elections/steering/2026", "GET", "Oscar");
  BOOST_TEST(has(r.body, "href=\"/urna/elections/steering/2026/admin\""));
  // An officer of the parent is an officer of its children.
  r = request("/urna/elections/university-2026/professors", "GET", "olivia");
  BOOST_TEST(has(r.body, "/university-2026/professors/admin\""));
}

BOOST_FIXTURE_TEST_CASE(parent_and_child_pages, Fixture) {
  Response r = request("/urna/elections/university-2026");
  BOOST_TEST(r.status == 200);
  const std::string& b = r.body;
  // Categories first, then the children in no category.
  BOOST_TEST(has(b, "<h3>Faculty</h3>"));
  BOOST_TEST(has(b, "<h3>Other</h3>"));
  BOOST_TEST(pos(b, "<h3>Faculty</h3>") < pos(b, ">Professors<"));
  BOOST_TEST(pos(b, ">Professors<") < pos(b, "<h3>Other</h3>"));
  BOOST_TEST(pos(b, "<h3>Other</h3>") < pos(b, ">Students<"));
  BOOST_TEST(has(b, "Approve the new statutes?"));
  BOOST_TEST(has(b, "<bdi>Yes</bdi> · <bdi>No</bdi>"));
  BOOST_TEST(has(b, "Questions (consolidated from the children)"));
  BOOST_TEST(!has(b, "voter-count"));  // the parent's voters vote in children
  r = request("/urna/elections/university-2026/students");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(has(r.body, "Part of <a class=\"parent\" href=\"/urna/elections/university-2026\">Electoral Process</a>"));
  BOOST_TEST(has(r.body, "Extend the library hours?"));
  BOOST_TEST(has(r.body, "<p>From 22:00 to <em>midnight</em>.</p>"));
  BOOST_TEST(has(r.body, "olivia"));  // officers inherited for display
  // alice (students) and quinn (all children).
  BOOST_TEST(has(r.body, "<dd class=\"voter-count\">2</dd>"));
}

BOOST_FIXTURE_TEST_CASE(closed_election_shows_published_results, Fixture) {
  Response r = request("/urna/elections/coc/2024");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(has(r.body, "<h2>Published results</h2>"));
  BOOST_TEST(has(r.body, "Winners: <strong>Erin</strong>"));
  BOOST_TEST(has(r.body, "href=\"/urna/elections/coc/2024/results\""));
  BOOST_TEST(!has(r.body, "/vote\""));
  // Issue 10 §11: as a person says it, not "664 days 8 hours".
  BOOST_TEST(has(r.body, "closed 1 year 9 months ago"));
  r = request("/urna/elections/steering/2027");
  BOOST_TEST(has(r.body, "opens in 11 months"));
}

BOOST_FIXTURE_TEST_CASE(candidate_page_shows_fields_and_bio, Fixture) {
  Response r = request("/urna/elections/steering/2026/candidates/alice");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(has(r.body, "<h1 dir=\"auto\">Alice Example</h1>"));
  BOOST_TEST(has(r.body, "<p>I <strong>care</strong>.</p>"));
  BOOST_TEST(has(r.body, "<dt dir=\"auto\">employer</dt><dd dir=\"auto\">Acme</dd>"));
  BOOST_TEST(!has(r.body, "@alice-hidden"));
  BOOST_TEST(has(r.body, "href=\"/urna/elections/steering/2026\""));
  r = request("/urna/elections/steering/2026/candidates/mallory");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(!has(r.body, "<script>alert"));
  BOOST_TEST(has(r.body, "has not written a statement"));
}

// Text direction (issue 9 §6, docs/metadata.md "Text direction"): urna-sync
// refuses bidirectional controls in metadata, and the pages isolate every
// metadata string anyway (<bdi> or dir="auto"), so that a RIGHT-TO-LEFT
// OVERRIDE in a name that got into a snapshot cannot reorder the text
// around it. Every occurrence of U+202E in these pages must sit directly in
// an isolating element (or in an attribute value, or the <title>).
const std::string kRlo = "\u202E";

struct BidiFixture : Fixture {
  BidiFixture() {
    core::Snapshot s = test_snapshot();
    auto e = election("bidi/2026", "Board " + kRlo + "2026 rennaW", "2026-03-01 00:00:00",
                      "2026-03-13 12:00:00");
    e.organization = "Org" + kRlo + "gro";
    e.officers = {"ol" + kRlo + "ga"};
    e.show_candidate_fields = {"employer"};
    e.candidates = {candidate("ann", "Ann " + kRlo + "renniW", {{"employer", "A" + kRlo + "CME"}}, ""),
                    candidate("ben", "Ben", {}, "")};
    e.questions = {candidates_question(e, 1)};
    e.questions[0].title = "Seat " + kRlo + "one";
    e.voters = {{"alice", {}}};
    s.elections.push_back(e);
    std::sort(s.elections.begin(), s.elections.end(),
              [](const core::Election& a, const core::Election& b) { return a.id < b.id; });
    cache.pin(s);
  }
};

// The places in `body` where U+202E is not directly inside <bdi>, an element
// with dir="auto", an attribute value or the <title>; "" when there are none.
std::string unisolated(const std::string& body) {
  std::string out;
  for (size_t at = body.find(kRlo); at != std::string::npos; at = body.find(kRlo, at + 1)) {
    const size_t open = body.rfind('<', at);
    const size_t close = body.rfind('>', at);
    if (open != std::string::npos && (close == std::string::npos || open > close))
      continue;  // inside a tag: an attribute value (escaped, never shown as text)
    // The element whose text this is: the last opening tag before it that is
    // not closed before it, skipping an <a ...> (a link inside <bdi>).
    size_t tag = open;
    std::string name;
    int depth = 0;
    while (tag != std::string::npos) {
      const size_t end = body.find('>', tag);
      std::string t = body.substr(tag, end - tag + 1);
      if (t.compare(0, 2, "</") == 0) {
        ++depth;
      } else if (depth > 0) {
        --depth;
      } else if (t.compare(0, 3, "<a ") != 0) {
        name = t;
        break;
      }
      if (tag == 0) break;
      tag = body.rfind('<', tag - 1);
    }
    const bool ok = name.compare(0, 4, "<bdi") == 0 || name.find(" dir=\"auto\"") != std::string::npos ||
                    name == "<title>";
    if (!ok) out += "\n  in " + name + ": ..." + body.substr(at > 60 ? at - 60 : 0, 90) + "...";
  }
  return out;
}

BOOST_FIXTURE_TEST_CASE(bidi_overrides_in_names_are_isolated_on_every_page, BidiFixture) {
  struct Page {
    const char* uri;
    const char* login;
    int want_occurrences;  // at least this many (the RLO must be on the page)
  } pages[] = {
      {"/urna/", "", 2},                                  // name, organization
      {"/urna/", "zed", 2},                               // signed in (needs no database)
      {"/urna/elections/bidi/2026", "", 6},               // name, org, officer, candidate, field, question
      {"/urna/elections/bidi/2026", "olga" "", 6},
      {"/urna/elections/bidi/2026/candidates/ann", "", 3},  // election, candidate, field
  };
  for (const auto& p : pages) {
    Response r = request(p.uri, "GET", p.login);
    BOOST_TEST_CONTEXT(p.uri << " as '" << p.login << "'") {
      BOOST_TEST(r.status == 200);
      int n = 0;
      for (size_t at = r.body.find(kRlo); at != std::string::npos; at = r.body.find(kRlo, at + 1)) ++n;
      BOOST_TEST(n >= p.want_occurrences);
      BOOST_TEST(unisolated(r.body) == "");
    }
  }
  // The checker itself finds an override that is not isolated.
  BOOST_TEST(unisolated("<p>Winner: A" + kRlo + "B</p>") != "");
  BOOST_TEST(unisolated("<p>Winner: <span>A" + kRlo + "B</span></p>") != "");
  BOOST_TEST(unisolated("<p>Winner: <bdi>A" + kRlo + "B</bdi></p>") == "");
  BOOST_TEST(unisolated("<p>Winner: <bdi><a href=\"x\">A" + kRlo + "B</a></bdi></p>") == "");
  BOOST_TEST(unisolated("<td dir=\"auto\" class=\"name\">A" + kRlo + "B</td>") == "");
  // The election page shows the name inside <bdi>, the badge after it.
  Response r = request("/urna/elections/bidi/2026");
  BOOST_TEST(has(r.body, "<h1><bdi>Board " + kRlo + "2026 rennaW</bdi> <span class=\"badge phase"));
}

BOOST_FIXTURE_TEST_CASE(unknown_things_are_404, Fixture) {
  for (const char* uri : {"/urna/elections/nope", "/urna/elections/steering",
                          "/urna/elections/steering/2026/candidates/nobody",
                          "/urna/elections/nope/candidates/alice",
                          "/urna/elections/steering/2026/candidates/ALICE",
                          "/urna/elections/steering/2026/candidates/"}) {
    BOOST_TEST_CONTEXT(uri) { BOOST_TEST(request(uri).status == 404); }
  }
}

BOOST_AUTO_TEST_CASE(webhook_signature) {
  // GitHub's documented example.
  const std::string secret = "It's a Secret to Everybody", body = "Hello, World!";
  const std::string good =
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
  BOOST_TEST(webhook_signature_ok(secret, body, good));
  struct Row { std::string secret, body, header; } bad[] = {
      {secret, body, ""},
      {secret, body, "sha256="},
      {secret, body, good.substr(7)},                     // no "sha256="
      {secret, body, "sha1=" + good.substr(7)},
      {secret, body, good + "0"},
      {secret, body, good.substr(0, good.size() - 1) + "0"},
      {secret, body + " ", good},
      {secret + "x", body, good},
      {"", body, good},
  };
  for (const auto& r : bad) {
    BOOST_TEST_CONTEXT(r.header << " " << r.secret) {
      BOOST_TEST(!webhook_signature_ok(r.secret, r.body, r.header));
    }
  }
}

BOOST_FIXTURE_TEST_CASE(webhook_route, Fixture) {
  const std::string body = "{\"zen\":\"Keep it logically awesome.\"}";
  // Disabled without a secret.
  BOOST_TEST(request("/urna/webhook", "POST", "", body).status == 404);
  cfg.webhook_secret = "It's a Secret to Everybody";
  BOOST_TEST(request("/urna/webhook", "POST", "", body).status == 403);
  BOOST_TEST(request("/urna/webhook", "POST", "", body,
                     {{"HTTP_X_HUB_SIGNATURE_256", "sha256=00"}})
                 .status == 403);
  BOOST_TEST(request("/urna/webhook", "GET").status == 405);
  // A valid ping (GitHub sends one when the hook is created) needs no
  // database and requests no sync; nor does an event other than push.
  const std::string sig =
      "sha256=" + crypto::hex_encode(crypto::hmac_sha256(cfg.webhook_secret, body));
  Response r = request("/urna/webhook", "POST", "", body,
                       {{"HTTP_X_GITHUB_EVENT", "ping"}, {"HTTP_X_HUB_SIGNATURE_256", sig}});
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body == "pong\n");
  r = request("/urna/webhook", "POST", "", body,
              {{"HTTP_X_GITHUB_EVENT", "issues"}, {"HTTP_X_HUB_SIGNATURE_256", sig}});
  BOOST_TEST(r.status == 200);
  // The signature covers the raw body: a form-encoded delivery works too.
  const std::string form = "payload=%7B%22zen%22%3A%22x%22%7D";
  r = request("/urna/webhook", "POST", "", form,
              {{"CONTENT_TYPE", "application/x-www-form-urlencoded"},
               {"HTTP_X_GITHUB_EVENT", "ping"},
               {"HTTP_X_HUB_SIGNATURE_256",
                "sha256=" + crypto::hex_encode(crypto::hmac_sha256(cfg.webhook_secret, form))}});
  BOOST_TEST(r.status == 200);
  // Signed for another body.
  r = request("/urna/webhook", "POST", "", body + "\n",
              {{"HTTP_X_GITHUB_EVENT", "ping"}, {"HTTP_X_HUB_SIGNATURE_256", sig}});
  BOOST_TEST(r.status == 403);
}

// --- Spanish (docs/i18n.md, issue 10 "Two languages") ------------------------
// The catalogs `make` built; every page in the request's language.

// Dates for people: UTC stated, seconds only when they are not zero.
BOOST_AUTO_TEST_CASE(datetime_text_in_both_languages) {
  const i18n::Translator es = spanish();
  BOOST_REQUIRE(!es.is_source());
  struct Row { const char* t; const char* en; const char* es; } rows[] = {
      {"2026-11-25 14:03:00", "November 25, 2026 at 2:03 PM UTC", "25 de noviembre de 2026, 14:03 UTC"},
      {"2026-03-01 00:00:00", "March 1, 2026 at 12:00 AM UTC", "1 de marzo de 2026, 00:00 UTC"},
      {"2036-06-15 23:59:59", "June 15, 2036 at 11:59:59 PM UTC", "15 de junio de 2036, 23:59:59 UTC"},
      {"2025-09-01 00:00:01", "September 1, 2025 at 12:00:01 AM UTC", "1 de septiembre de 2025, 00:00:01 UTC"},
      {"2026-07-04 12:30:00", "July 4, 2026 at 12:30 PM UTC", "4 de julio de 2026, 12:30 UTC"},
  };
  for (const auto& r : rows)
    BOOST_TEST_CONTEXT(r.t) {
      BOOST_TEST(datetime_text(at(r.t), kEnglish) == r.en);
      BOOST_TEST(datetime_text(at(r.t), es) == r.es);
    }
}

// The same spans as when_text_reads_as_people_say_it, in Spanish: one
// plural per unit, two units joined as Spanish joins them.
BOOST_AUTO_TEST_CASE(when_text_in_spanish) {
  const i18n::Translator es = spanish();
  core::Election e;
  e.start = at("2026-03-01 00:00:00");
  e.end = at("2036-01-01 00:00:00");
  struct Row { const char* now; const char* want; } rows[] = {
      {"2026-02-28 23:59:30", "abre en menos de un minuto"},
      {"2026-02-28 23:59:00", "abre en 1 minuto"},
      {"2026-02-28 22:00:00", "abre en 2 horas"},
      {"2026-02-27 23:00:00", "abre en 1 día y 1 hora"},
      {"2026-02-26 00:00:00", "abre en 3 días"},
      {"2026-01-01 00:00:00", "abre en 8 semanas"},
      {"2026-03-01 00:00:00", "cierra en 9 años"},
      {"2035-12-11 00:00:00", "cierra en 3 semanas"},
      {"2035-12-31 00:00:00", "cierra en 1 día"},
      {"2035-12-31 19:30:00", "cierra en 4 horas y 30 minutos"},
      {"2036-01-01 00:00:00", "cerró hace menos de un minuto"},
      {"2036-01-06 00:00:00", "cerró hace 5 días"},
      {"2036-04-01 00:00:00", "cerró hace 2 meses"},
      {"2037-07-01 00:00:00", "cerró hace 1 año y 5 meses"},
      {"2038-06-01 00:00:00", "cerró hace 2 años"},
  };
  for (const auto& r : rows)
    BOOST_TEST_CONTEXT(r.now) { BOOST_TEST(when_text(e, at(r.now), es) == r.want); }
  BOOST_TEST(duration_text(12345678 * 60LL, es) == "23 años");
  BOOST_TEST(duration_text(12345678 * 60LL, kEnglish) == "23 years");
}

BOOST_AUTO_TEST_CASE(instructions_and_methods_in_spanish) {
  const i18n::Translator es = spanish();
  core::Question q;
  q.method = core::Method::kSchulze;
  q.from_candidates = true;
  q.winners = 2;
  BOOST_TEST(ballot_instruction(q, es) == "Ordena a los candidatos · 2 puestos que cubrir");
  q.winners = 1;
  BOOST_TEST(ballot_instruction(q, es) == "Ordena a los candidatos · 1 ganador");
  q.method = core::Method::kPlurality;
  q.from_candidates = false;
  q.answers = {{"yes", "Yes"}, {"no", "No"}};
  BOOST_TEST(ballot_instruction(q, es) == "Elige una respuesta");
  q.method = core::Method::kApproval;
  for (int i = 0; i < 3; ++i) q.answers.push_back({"a" + std::to_string(i), ""});
  q.min_selections = 1;
  q.max_selections = 3;
  BOOST_TEST(ballot_instruction(q, es) == "Elige de 1 a 3");
  q.min_selections = 0;
  q.winners = 2;
  BOOST_TEST(ballot_instruction(q, es) == "Elige hasta 3 · ganan las 2 respuestas más votadas");
  BOOST_TEST(ballot_instruction(q, kEnglish) == "Choose up to 3 · the top 2 answers win");
  BOOST_TEST(method_title(core::Method::kIrv, es) == "Segunda vuelta instantánea");
  BOOST_TEST(method_title(core::Method::kIrv, kEnglish) == "Instant-runoff");
  BOOST_TEST(phase_title(core::Phase::kUpcoming, es) == "Próxima");
  BOOST_TEST(phase_group_title(core::Phase::kUpcoming, es) == "Próximas");
  BOOST_TEST(phase_title(core::Phase::kClosed, kEnglish) == "Completed");
}

struct SpanishFixture : Fixture {
  SpanishFixture() : Fixture(shipped_catalogs()) {}
  Response es(const std::string& uri, const std::string& login = "") {
    return request(uri, "GET", login, "", {{"HTTP_ACCEPT_LANGUAGE", "es-ES,es;q=0.9"}});
  }
};

// `body` has each of `want` and none of `english` ("" when so, else what
// is wrong), and says it is Spanish.
std::string spanish_page(const std::string& body, const std::vector<std::string>& want,
                         const std::vector<std::string>& english) {
  std::string out;
  if (!has(body, "<html lang=\"es\">")) out += " not lang=es;";
  for (const auto& w : want)
    if (!has(body, w)) out += " missing '" + w + "';";
  for (const auto& w : english)
    if (has(body, w)) out += " English '" + w + "';";
  return out;
}

// English phrases of every page this fixture shows, none of which may be
// left on a Spanish page.
const std::vector<std::string> kEnglishPhrases = {
    "closes in", "opens in", " ago<", " at 12:00", "Running<", "Upcoming<", "Completed<",
    "Voting opens", "Voting closes", "Status<", "Officers<", "How to vote", "Counted by",
    "Choices<", "Rank the candidates", "seats to fill", "Choose one", "Requests are accepted",
    "Exception requests closed", "to see whether you can vote", "On the ballot", "Candidates <",
    "Elections in this process", "Part of ", "Published results", "Who can vote",
    "Candidate in", "Back to ", "not written a statement", "you are not on the voter list",
    "Ballot key", "none listed", "This election", "Your standing", "Questions (consolidated",
    "Other<", "the 3 candidates", "Instant-runoff", "Most votes"};

BOOST_FIXTURE_TEST_CASE(pages_in_spanish, SpanishFixture) {
  Response r = es("/urna/");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(spanish_page(r.body,
                          {"<span class=\"badge phase running\">En curso</span>",
                           "<span class=\"badge phase upcoming\">Próximas</span>",
                           "<span class=\"badge phase closed\">Finalizadas</span>",
                           "<span class=\"badge phase running\">En curso</span>",
                           "cierra en 3 días y 4 horas", "abre en 11 meses",
                           "cerró hace 1 año y 9 meses",
                           "<time datetime=\"2026-03-13T12:00:00Z\">13 de marzo de 2026, "
                           "12:00 UTC</time>"},
                          kEnglishPhrases) == "");
  // Running, with an open exception window, anonymous.
  r = es("/urna/elections/steering/2026");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(spanish_page(
                 r.body,
                 {"<span class=\"badge phase running\">En curso</span>", "<dt>Apertura de la votación</dt>",
                  ">1 de marzo de 2026, 00:00 UTC</time>", "<dd class=\"when\">cierra en 3 días y 4 horas</dd>",
                  "<dt>Responsables</dt>", "aria-label=\"Esta elección\"", ">Votar</a>",
                  ">Solicitar una excepción</a>",
                  "Se admiten solicitudes hasta el <time datetime=\"2026-03-12T00:00:00Z\">12 de marzo "
                  "de 2026, 00:00 UTC</time>.",
                  "data-label=\"Cómo votar\">Ordena a los candidatos · 2 puestos que cubrir</td>",
                  "<h2 dir=\"auto\">En la papeleta</h2>", "los 3 candidatos", "<h2>Candidatos <span",
                  "para ver si puedes votar", "Clave pública de las papeletas"},
                 kEnglishPhrases) == "");
  // A signed-in visitor on no list.
  r = es("/urna/elections/steering/2026", "zed");
  BOOST_TEST(spanish_page(r.body,
                          {"Sesión iniciada como <strong>zed</strong>",
                           "sin derecho a voto</span> no estás en el censo, así que no puedes votar"},
                          kEnglishPhrases) == "");
  // Upcoming; closed with published results.
  r = es("/urna/elections/steering/2027");
  BOOST_TEST(spanish_page(r.body, {"badge phase upcoming\">Próxima</span>", "abre en 11 meses"},
                          kEnglishPhrases) == "");
  r = es("/urna/elections/coc/2024");
  BOOST_TEST(spanish_page(r.body,
                          {"badge phase closed\">Finalizada</span>", "cerró hace 1 año y 9 meses",
                           "<h2>Resultados publicados</h2>", ">Resultados</a>"},
                          kEnglishPhrases) == "");
  // A parent (requests closed) and its child.
  r = es("/urna/elections/university-2026");
  BOOST_TEST(spanish_page(r.body,
                          {"<h2>Elecciones de este proceso <span", "<h3>Otras</h3>",
                           "Preguntas (reunidas de las elecciones incluidas)", "Elige una respuesta",
                           "El plazo de solicitudes de excepción terminó el <time "
                           "datetime=\"2026-03-05T00:00:00Z\">5 de marzo de 2026, 00:00 UTC</time>.",
                           "Más votos (mayoría simple)"},
                          kEnglishPhrases) == "");
  r = es("/urna/elections/university-2026/students");
  BOOST_TEST(spanish_page(r.body, {"Forma parte de <a class=\"parent\""}, kEnglishPhrases) == "");
  // Candidates, and an unknown one.
  r = es("/urna/elections/steering/2026/candidates/mallory");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(spanish_page(r.body,
                          {"Candidato en <bdi>", "Este candidato no ha escrito una presentación.",
                           "Volver a <bdi>Steering Committee 2026</bdi>"},
                          kEnglishPhrases) == "");
  r = es("/urna/elections/steering/2026/candidates/nobody");
  BOOST_TEST(r.status == 404);
  BOOST_TEST(has(r.body, "Esta elección no tiene ese candidato."));
  BOOST_TEST(!has(r.body, "There is no such candidate"));
  // The same pages in English are as before.
  r = request("/urna/elections/steering/2026");
  BOOST_TEST(has(r.body, "<html lang=\"en\">"));
  BOOST_TEST(has(r.body, ">March 13, 2026 at 12:00 PM UTC</time>"));
  BOOST_TEST(has(r.body, "closes in 3 days 4 hours"));
  BOOST_TEST(has(r.body, "the 3 candidates"));
}

// The demo sign-in page says who is who in Spanish (issue 10 §12).
BOOST_FIXTURE_TEST_CASE(demo_roles_in_spanish, SpanishFixture) {
  Response r = es("/urna/login");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(spanish_page(r.body,
                          {"aria-label=\"Usuarios de ejemplo\"",
                           "Responsable de Steering Committee 2026",
                           "Votante en Steering Committee 2026 (votación abierta)",
                           "Votante en Electoral Process, solo en: Students (votación abierta)",
                           "Votante en todas las partes de Electoral Process: ",
                           "No está en ningún censo: no puede votar, puede solicitar una excepción"},
                          {"Voter in", "Election officer of", "(voting now)", "(not open yet)",
                           "Not on any voter list", "Example logins"}) == "");
  r = request("/urna/login");
  BOOST_TEST(has(r.body, "Voter in Electoral Process, only in: Students (voting now)"));
}
