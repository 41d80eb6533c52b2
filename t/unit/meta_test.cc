// Unit tests for src/meta's loader: the example repository, a real Elekto
// repository (kubernetes/community, Apache-2.0), Elekto's quirks,
// election.json, front matter and safe Markdown.
#define BOOST_TEST_MODULE meta
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "core/model.h"
#include "core/snapshot_json.h"
#include "core/time_util.h"
#include "meta/loader.h"
#include "meta/markdown.h"
#include "meta/yaml_fields.h"
#include "meta_fixture.h"

using namespace urna;
using urna::testing::TempDir;

BOOST_TEST_DONT_PRINT_LOG_VALUE(urna::core::Phase)
BOOST_TEST_DONT_PRINT_LOG_VALUE(urna::meta::Severity)

namespace {

core::UnixTime at(const char *s) { return *core::parse_utc(s); }

std::string examples() { return urna::testing::srcdir() + "/examples/meta"; }

std::vector<std::string> logins(const core::Election &e) {
  std::vector<std::string> v;
  for (const auto &x : e.voters)
    v.push_back(x.login);
  return v;
}

bool has(const std::vector<std::string> &v, const std::string &x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// A minimal valid election.yaml with `extra` appended.
std::string election_yaml(const std::string &extra = "") {
  return "name: Test\n"
         "organization: Org\n"
         "start_datetime: 2026-01-01 00:00:00\n"
         "end_datetime: 2026-02-01 00:00:00\n"
         "no_winners: 1\n"
         "election_officers: [olga]\n" +
         extra;
}

std::string candidate(const std::string &id, const std::string &name = "N") {
  return "---\nname: " + name + "\nID: " + id + "\n---\nBio of " + name + ".\n";
}

meta::LoadResult load(const TempDir &d) {
  return meta::load_repository(d.path(), "elections");
}

} // namespace

BOOST_AUTO_TEST_CASE(example_repository_loads_cleanly) {
  meta::LoadResult r = meta::load_repository(examples(), "elections");
  BOOST_TEST_INFO(r.report());
  BOOST_TEST(r.ok());
  BOOST_TEST(r.issues.empty()); // not even a warning
  const core::Snapshot &s = r.snapshot;
  BOOST_TEST(s.elections.size() == 6u);

  const core::Election *steering = s.find("steering/2026");
  BOOST_REQUIRE(steering);
  BOOST_TEST(steering->folder == "2026");
  BOOST_TEST(core::phase_at(*steering, at("2026-11-25 12:00:00")) ==
             core::Phase::kRunning);
  BOOST_TEST(core::phase_at(*steering, at("2035-06-01 12:00:00")) ==
             core::Phase::kRunning);
  BOOST_TEST(steering->start == at("2026-01-01 00:00:00"));
  BOOST_TEST(steering->end == at("2036-01-01 00:00:00"));
  BOOST_TEST(steering->candidates.size() == 5u);
  BOOST_TEST(steering->no_winners == 3);
  BOOST_TEST(steering->officers == std::vector<std::string>{"olga"});
  for (const char *who : {"alice", "bob", "carol", "dave", "erin"})
    BOOST_TEST(s.eligible(*steering, who), who);
  BOOST_TEST(s.eligible(*steering, "GRACE_H")); // listed as Grace_H
  BOOST_TEST(s.eligible(*steering, "1234567"));
  BOOST_TEST(!s.eligible(*steering, "olga"));
  BOOST_TEST(s.is_officer(*steering, "Olga"));
  BOOST_REQUIRE(steering->questions.size() == 1u);
  const core::Question &main = steering->questions[0];
  BOOST_TEST(main.id == "main");
  BOOST_TEST(main.from_candidates);
  BOOST_TEST(main.winners == 3);
  BOOST_TEST(std::string(core::method_name(main.method)) == "schulze");
  BOOST_TEST(main.answers.size() == 5u);
  // Candidates sorted by id, info in file order, bio rendered safely.
  BOOST_TEST(steering->candidates[0].id == "hana-k");
  BOOST_TEST(steering->candidates[0].name == "Hana Kobayashi");
  BOOST_TEST(steering->candidates[0].info.size() == 2u);
  BOOST_TEST(steering->candidates[0].info[0].first == "employer");
  BOOST_TEST(steering->candidates[0].info[0].second == "Northwind Systems");
  BOOST_TEST(steering->candidates[0].bio_html.find(
                 "<h2>What I have done</h2>") != std::string::npos);
  const auto &kim = steering->candidates[3];
  BOOST_TEST(kim.id == "kim-s");
  BOOST_TEST(kim.bio_html.find("<script") == std::string::npos);
  BOOST_TEST(kim.bio_html.find("raw HTML omitted") != std::string::npos);
  BOOST_TEST(steering->description_html.find("<table>") ==
             std::string::npos); // no GFM tables
  BOOST_TEST(steering->description_html.find(
                 "<strong>Condorcet (Schulze)</strong>") != std::string::npos);
  BOOST_TEST(!steering->results_html.has_value());
  BOOST_TEST(steering->exception_due == at("2035-12-01 00:00:00"));

  const core::Election *done = s.find("steering/2025");
  BOOST_REQUIRE(done);
  BOOST_TEST(core::phase_at(*done, at("2026-01-01 00:00:00")) ==
             core::Phase::kClosed);
  BOOST_REQUIRE(done->results_html.has_value());
  BOOST_TEST(done->results_html->find("Mara Thompson") != std::string::npos);

  const core::Election *coc = s.find("code-of-conduct/2036");
  BOOST_REQUIRE(coc);
  BOOST_TEST(core::phase_at(*coc, at("2030-01-01 00:00:00")) ==
             core::Phase::kUpcoming);
  BOOST_TEST(coc->show_candidate_fields ==
             std::vector<std::string>{"employer"}); // null skipped
  BOOST_TEST(coc->exception_due == coc->start);     // Elekto default
  BOOST_TEST(!coc->allow_no_opinion);
  BOOST_TEST(coc->candidates[0].name == "Quinn O'Neill");
  BOOST_TEST(coc->candidates[0].info.size() == 1u); // info as a map

  const core::Election *uni = s.find("university-2026");
  BOOST_REQUIRE(uni);
  BOOST_TEST(uni->name == "Electoral Process");
  BOOST_TEST(uni->is_parent());
  BOOST_TEST(uni->children ==
             (std::vector<std::string>{"university-2026/students",
                                       "university-2026/professors"}));
  BOOST_TEST(uni->categories.size() == 2u);
  BOOST_TEST(uni->categories[0].children ==
             std::vector<std::string>{"students"});
  std::vector<std::string> qids;
  for (const auto &q : uni->questions)
    qids.push_back(q.id);
  BOOST_TEST(qids == (std::vector<std::string>{"q1", "q2", "q3"}));
  const core::Election *stud = s.find("university-2026/students");
  const core::Election *prof = s.find("university-2026/professors");
  BOOST_REQUIRE(stud);
  BOOST_REQUIRE(prof);
  BOOST_TEST(stud->parent == "university-2026");
  BOOST_TEST(stud->voters.empty());
  // Inherited from the parent.
  BOOST_TEST(stud->start == uni->start);
  BOOST_TEST(stud->end == uni->end);
  BOOST_TEST(stud->officers == uni->officers);
  BOOST_TEST(stud->organization == "Example University");
  BOOST_REQUIRE(stud->questions.size() == 2u);
  BOOST_TEST(std::string(core::method_name(stud->questions[0].method)) ==
             "plurality");
  BOOST_TEST(stud->questions[0].answers.size() == 2u);
  BOOST_TEST(stud->questions[0].answers[0].id == "yes");
  BOOST_TEST(stud->questions[0].answers[0].text == "Yes");
  BOOST_TEST(s.eligible(*stud, "alice"));
  BOOST_TEST(!s.eligible(*prof, "alice"));
  BOOST_TEST(s.eligible(*prof, "bob"));
  BOOST_TEST(!s.eligible(*stud, "bob"));
  BOOST_TEST(s.eligible(*stud, "carol"));
  BOOST_TEST(s.eligible(*prof, "carol"));
  BOOST_TEST(s.children_for(*uni, "carol").size() == 2u);
  BOOST_TEST(s.is_officer(*stud, "olga"));
}

BOOST_AUTO_TEST_CASE(example_snapshot_round_trips_through_json) {
  meta::LoadResult r = meta::load_repository(examples(), "elections");
  BOOST_REQUIRE(r.ok());
  r.snapshot.commit = "abc";
  std::string json = core::snapshot_to_json(r.snapshot);
  BOOST_TEST(core::snapshot_to_json(core::snapshot_from_json(json)) == json);
}

BOOST_AUTO_TEST_CASE(real_elekto_repository_loads_unchanged) {
  std::string dir =
      urna::testing::srcdir() + "/t/unit/meta_fixtures/elekto-k8s";
  meta::LoadResult r = meta::load_repository(dir, "elections");
  BOOST_TEST_INFO(r.report());
  BOOST_TEST(r.ok());
  BOOST_TEST(r.issues.empty());
  const core::Snapshot &s = r.snapshot;
  BOOST_TEST(s.elections.size() == 2u); // documentation/template is no election
  const core::Election *coc = s.find("code-of-conduct/2023");
  BOOST_REQUIRE(coc);
  BOOST_TEST(coc->candidates.size() ==
             8u); // `ID:<TAB>id`, 46- to 61-dash lines
  BOOST_TEST(coc->candidates[0].id == "anammedina21");
  BOOST_TEST(coc->candidates[0].name == "Ana Margarita Medina");
  BOOST_TEST(coc->candidates[0].info.empty());
  BOOST_TEST(coc->show_candidate_fields.empty()); // missing
  BOOST_TEST(coc->exception_due ==
             at("2023-08-08 00:00:01"));         // before start: fine
  BOOST_TEST(coc->officers[0] == "bentheelder"); // stored lower-cased
  BOOST_TEST(s.eligible(*coc, "benTHEelder"));
  BOOST_TEST(coc->results_html.has_value());
  BOOST_TEST(coc->no_winners == 2);
  BOOST_TEST(coc->delete_after);
  const core::Election *st = s.find("steering/2023");
  BOOST_REQUIRE(st);
  BOOST_TEST(st->start == at("2023-08-29 00:00:01"));
  BOOST_TEST(s.eligible(*st, "249043822")); // quoted numeric login
  BOOST_TEST(s.eligible(*st, "akihirosuda"));
  BOOST_TEST(st->candidates.size() == 4u);
  const core::Candidate &pohly =
      *std::find_if(st->candidates.begin(), st->candidates.end(),
                    [](const core::Candidate &c) { return c.id == "pohly"; });
  BOOST_TEST(pohly.info.size() == 2u);
  BOOST_TEST(pohly.info[1].first == "slack");
  BOOST_TEST(pohly.bio_html.find("<h2>SIGS</h2>") != std::string::npos);
  BOOST_TEST(pohly.bio_html.find("I’ve") != std::string::npos); // UTF-8 kept
}

BOOST_AUTO_TEST_CASE(elekto_quirks) {
  TempDir d;
  d.write("elections/a/election.yaml",
          "name: A\n"
          "organization: Org\n"
          "start_datetime: 2026-01-01 00:00:01\n"
          "end_datetime: '2026-01-31T23:59:59Z'\n"
          "no_winners: 1\n"
          "allow_no_opinion: True\n"
          "delete_after: False\n"
          "show_candidate_fields:\n  - employer\n  -\n  - ~\n"
          "election_officers:\n  - Olga\n  - 12345\n");
  d.write(
      "elections/a/voters.yaml",
      "eligible_voters:\n- 249043822\n- '0042'\n- MixedCase\n- 1e3\n- true\n");
  d.write("elections/a/candidate-123.md", "---\nname: Numbers\nID: 123\n---\n");
  d.write("elections/a/candidate-x.md",
          "\xEF\xBB\xBF\n\n------\nname: X\nID: X\ninfo:\n  - employer:\n  - "
          "slack: x\n"
          "------\nA rule below.\n\n---\n\nStill the bio.\n");
  meta::LoadResult r = load(d);
  BOOST_TEST_INFO(r.report());
  BOOST_TEST(r.ok());
  const core::Election &e = *r.snapshot.find("a");
  BOOST_TEST(e.start == at("2026-01-01 00:00:01"));
  BOOST_TEST(e.end == at("2026-01-31 23:59:59"));
  BOOST_TEST(e.exception_due == e.start);
  BOOST_TEST(e.show_candidate_fields == std::vector<std::string>{"employer"});
  BOOST_TEST(e.officers == (std::vector<std::string>{"olga", "12345"}));
  for (const char *v : {"249043822", "0042", "mixedcase", "1e3", "true"})
    BOOST_TEST(has(logins(e), v), v);
  BOOST_TEST(r.snapshot.eligible(e, "MIXEDCASE"));
  BOOST_REQUIRE(e.candidates.size() == 2u);
  BOOST_TEST(e.candidates[0].id == "123");
  BOOST_TEST(e.candidates[1].id == "x");
  BOOST_TEST(e.candidates[1].info[0].second == "");
  BOOST_TEST(e.candidates[1].bio_html.find("<hr />") != std::string::npos);
  BOOST_TEST(e.candidates[1].bio_html.find("Still the bio.") !=
             std::string::npos);
  // ID "X" for candidate-x.md: accepted with a warning.
  BOOST_TEST(r.issues.size() == 1u);
  BOOST_TEST(r.issues[0].severity == meta::Severity::kWarning);
  BOOST_TEST(r.issues[0].to_string() ==
             "elections/a/candidate-x.md: ID: warning: 'X' differs from the "
             "file name's 'x' "
             "in case only; using 'x' (line 5)");
}

BOOST_AUTO_TEST_CASE(election_json_is_accepted) {
  TempDir y, j;
  y.write("elections/a/election.yaml",
          election_yaml("questions:\n"
                        "  - id: q\n    title: Q?\n"
                        "    method: plurality\n"
                        "    answers: [Yes, No]\n"));
  j.write("elections/a/election.json",
          R"({"name": "Test", "organization": "Org",
              "start_datetime": "2026-01-01 00:00:00",
              "end_datetime": "2026-02-01 00:00:00", "no_winners": 1,
              "election_officers": ["olga"],
              "questions": [{"id": "q", "title": "Q?", "method": "plurality",
                             "answers": ["Yes", "No"]}]})");
  for (const TempDir *d : {&y, &j})
    d->write("elections/a/voters.yaml", "eligible_voters: [a]\n");
  meta::LoadResult ry = load(y), rj = load(j);
  BOOST_TEST_INFO(ry.report() << rj.report());
  BOOST_REQUIRE(ry.ok());
  BOOST_REQUIRE(rj.ok());
  BOOST_TEST(core::snapshot_to_json(ry.snapshot) ==
             core::snapshot_to_json(rj.snapshot));
  BOOST_TEST(rj.snapshot.elections[0].questions[0].answers[1].id == "no");

  // JSON syntax errors name the file.
  j.write("elections/a/election.json", "{\"name\": \"x\",}");
  meta::LoadResult bad = load(j);
  BOOST_TEST(!bad.ok());
  BOOST_TEST(bad.report().find("elections/a/election.json: not valid JSON") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(markdown_is_safe) {
  std::string html = meta::render_markdown(
      "# Title\n\n"
      "<div onclick=\"x()\">block</div>\n\n"
      "Inline <b onmouseover=\"x()\">bold</b> and "
      "<script>alert(1)</script>.\n\n"
      "[js](javascript:alert(1)) [JS](JAVASCRIPT:alert(1)) "
      "[vb](vbscript:msgbox)\n"
      "[file](file:///etc/passwd) [data](data:text/html;base64,PHNjcmlwdD4=)\n"
      "![img](javascript:alert(1)) [ok](https://example.org/?a=1&b=2)\n"
      "<https://example.org/auto> `<code>`\n");
  BOOST_TEST_INFO(html);
  BOOST_TEST(html.find("<h1>Title</h1>") != std::string::npos);
  BOOST_TEST(html.find("<div") == std::string::npos);
  BOOST_TEST(html.find("onclick") == std::string::npos);
  BOOST_TEST(html.find("onmouseover") == std::string::npos);
  BOOST_TEST(html.find("<script") == std::string::npos);
  BOOST_TEST(html.find("<b") == std::string::npos);
  BOOST_TEST(html.find("raw HTML omitted") != std::string::npos);
  std::string lower = core::lower(html);
  BOOST_TEST(lower.find("javascript:") == std::string::npos);
  BOOST_TEST(lower.find("vbscript:") == std::string::npos);
  BOOST_TEST(lower.find("file:") == std::string::npos);
  BOOST_TEST(lower.find("data:text/html") == std::string::npos);
  BOOST_TEST(html.find("<a href=\"https://example.org/?a=1&amp;b=2\">ok</a>") !=
             std::string::npos);
  BOOST_TEST(html.find("&lt;code&gt;") != std::string::npos);
  // Invalid UTF-8 is replaced, not passed through.
  std::string bad = meta::render_markdown("a\xff\xfe b");
  BOOST_TEST(bad.find("\xff") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(front_matter_split) {
  meta::FrontMatter fm;
  BOOST_TEST(meta::split_front_matter("---\nname: a\n---\nbody\n", &fm));
  BOOST_TEST(fm.yaml == "name: a\n");
  BOOST_TEST(fm.body == "body\n");
  BOOST_TEST(fm.yaml_first_line == 2);
  BOOST_TEST(
      meta::split_front_matter("\n\n-----\r\nname: a\r\n-----   \r\n", &fm));
  BOOST_TEST(fm.yaml_first_line == 4);
  BOOST_TEST(fm.body.empty());
  BOOST_TEST(
      !meta::split_front_matter("name: a\n---\n", &fm)); // no opening line
  BOOST_TEST(!meta::split_front_matter("---\nname: a\n", &fm));    // not closed
  BOOST_TEST(!meta::split_front_matter("--\nname: a\n--\n", &fm)); // two dashes
  BOOST_TEST(!meta::split_front_matter("", &fm));
}

BOOST_AUTO_TEST_CASE(yaml_errors_give_file_lines_in_front_matter) {
  TempDir d;
  d.write("elections/a/election.yaml", election_yaml());
  d.write("elections/a/voters.yaml", "eligible_voters: [a]\n");
  d.write("elections/a/candidate-x.md", "\n---\nname: X\nID: [x\n---\n");
  meta::LoadResult r = load(d);
  BOOST_TEST_INFO(r.report());
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(r.issues[0].file == "elections/a/candidate-x.md");
  BOOST_TEST(r.issues[0].field == "line 5");
}

BOOST_AUTO_TEST_CASE(questions_children_and_pipes) {
  TempDir d;
  d.write(
      "elections/p/election.yaml",
      election_yaml("method: plurality\n"
                    "children: [b, a]\n"
                    "pipes:\n"
                    "  - type: duplicate_questions\n"
                    "    source_election: 2\n" // natural order: b, a -> 2 = a
                    "    source_question: q\n"
                    "    question: total\n"
                    "    value: Everyone\n"
                    "    no_votes: true\n"
                    "  - type: multipart_tally_plaintexts_append_joiner\n"
                    "    source_election: b\n"
                    "    source_question: q\n"
                    "    question: total\n"
                    "  - type: apply_modifications\n"
                    "    question: total\n"
                    "    action: withdraw-candidates\n"
                    "    answers: [no]\n"
                    "  - type: do_tallies\n"
                    "  - type: sort_non_iterative\n"));
  d.write("elections/p/voters.yaml",
          "eligible_voters:\n  - id: Ann\n    children: [a]\n  - bob\n");
  const std::string child =
      "name: C\nquestions:\n  - id: q\n    title: Q?\n    answers: [Yes, No]\n";
  d.write("elections/p/a/election.yaml", child);
  d.write("elections/p/b/election.yaml",
          child + "start_datetime: 2026-01-10 00:00:00\n");
  meta::LoadResult r = load(d);
  BOOST_TEST_INFO(r.report());
  BOOST_REQUIRE(r.ok());
  const core::Election &p = *r.snapshot.find("p");
  BOOST_TEST(p.children == (std::vector<std::string>{"p/b", "p/a"}));
  BOOST_REQUIRE(p.pipes.size() == 5u);
  BOOST_TEST(p.pipes[0].source_election == "a");
  BOOST_TEST(p.pipes[0].no_votes);
  BOOST_TEST(p.pipes[1].source_election == "b");
  BOOST_TEST(p.pipes[2].answers == std::vector<std::string>{"no"});
  BOOST_REQUIRE(p.questions.size() == 1u);
  BOOST_TEST(p.questions[0].id == "total");
  BOOST_TEST(p.questions[0].title == "Everyone");
  const core::Election &b = *r.snapshot.find("p/b");
  BOOST_TEST(b.start == at("2026-01-10 00:00:00")); // own value wins
  BOOST_TEST(b.end == p.end);                       // inherited
  BOOST_TEST(r.snapshot.eligible(*r.snapshot.find("p/a"), "ann"));
  BOOST_TEST(!r.snapshot.eligible(b, "ann"));
  BOOST_TEST(r.snapshot.eligible(b, "bob"));
}

BOOST_AUTO_TEST_CASE(election_without_questions_gets_main) {
  TempDir d;
  d.write("elections/a/election.yaml",
          "name: Test\nstart_datetime: 2026-01-01\nend_datetime: 2026-02-01\n"
          "election_officers: [olga]\nmethod: stv\nno_winners: 2\n");
  d.write("elections/a/voters.yaml", "eligible_voters: [a]\n");
  d.write("elections/a/candidate-x.md", candidate("x", "Xavier"));
  d.write("elections/a/candidate-y.md", candidate("y", "Yolanda"));
  d.write("elections/a/candidate-z.md", candidate("z", "Zed"));
  meta::LoadResult r = load(d);
  BOOST_TEST_INFO(r.report());
  BOOST_REQUIRE(r.ok());
  const core::Question &q = r.snapshot.elections[0].questions.at(0);
  BOOST_TEST(q.id == "main");
  BOOST_TEST(q.title == "Test");
  BOOST_TEST(q.from_candidates);
  BOOST_TEST(q.winners == 2);
  BOOST_TEST(std::string(core::method_name(q.method)) == "stv");
  BOOST_REQUIRE(q.answers.size() == 3u);
  BOOST_TEST(q.answers[1].id == "y");
  BOOST_TEST(q.answers[1].text == "Yolanda");
}

// tie_break / tie_break_seed (docs/tally.md): parsed, inherited by the
// children, kept in the snapshot, and an unknown rule is an error (the count
// could not follow it).
BOOST_AUTO_TEST_CASE(tie_break_fields) {
  TempDir d;
  d.write("elections/p/election.yaml",
          election_yaml("children: [a, b]\ntie_break: tbrc\n"
                        "tie_break_seed: \"lottery 2026-02-02\"\n"));
  d.write("elections/p/voters.yaml", "eligible_voters: [ann]\n");
  d.write("elections/p/a/election.yaml", "name: A\n");
  d.write("elections/p/b/election.yaml", "name: B\ntie_break: none\n");
  for (const char *c : {"a", "b"})
    d.write(std::string("elections/p/") + c + "/candidate-x.md", candidate("x"));
  d.write("elections/q/election.yaml", election_yaml());
  d.write("elections/q/voters.yaml", "eligible_voters: [ann]\n");
  meta::LoadResult r = load(d);
  BOOST_TEST_INFO(r.report());
  BOOST_REQUIRE(r.ok());
  const core::Election &p = *r.snapshot.find("p");
  BOOST_TEST(p.tie_break == "tbrc");
  BOOST_TEST(p.tie_break_seed == "lottery 2026-02-02");
  BOOST_TEST(r.snapshot.find("p/a")->tie_break == "tbrc");  // inherited
  BOOST_TEST(r.snapshot.find("p/a")->tie_break_seed == "lottery 2026-02-02");
  BOOST_TEST(r.snapshot.find("p/b")->tie_break == "");  // its own: none
  BOOST_TEST(r.snapshot.find("q")->tie_break == "");    // default: none
  core::Snapshot back = core::snapshot_from_json(core::snapshot_to_json(r.snapshot));
  BOOST_TEST(back.find("p")->tie_break == "tbrc");
  BOOST_TEST(back.find("p")->tie_break_seed == "lottery 2026-02-02");

  d.write("elections/q/election.yaml", election_yaml("tie_break: coin\n"));
  r = load(d);
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.report().find("tie_break") != std::string::npos);
  BOOST_TEST(r.report().find("expected none, tbrc, seed or ranked-pairs, got 'coin'") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(warnings_do_not_reject) {
  TempDir d;
  d.write("elections/a/election.yaml", election_yaml("color: blue\n"));
  d.write("elections/a/voters.yaml",
          "eligible_voters: [a, A]\nupdated: today\n");
  d.write("elections/a/candidate_template.md", "x");
  d.write("elections/b/election.yaml",
          election_yaml()); // no voters.yaml, no candidates
  meta::LoadResult r = load(d);
  BOOST_TEST_INFO(r.report());
  BOOST_TEST(r.ok());
  BOOST_TEST(r.issues.size() == 7u);
  for (const auto &i : r.issues)
    BOOST_TEST(i.severity == meta::Severity::kWarning);
  BOOST_TEST(r.snapshot.elections[0].voters.size() == 1u);
}
