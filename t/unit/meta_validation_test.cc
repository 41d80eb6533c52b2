// Table-driven validation tests for src/meta: a valid repository, then one
// broken repository per row, each with the file, field and message the error
// must name. A repository with any error is rejected as a whole.
#define BOOST_TEST_MODULE meta_validation
#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>

#include "meta/loader.h"
#include "meta_fixture.h"

using namespace urna;
using urna::testing::TempDir;

namespace {

const char kSolo[] = "name: Solo\n"
                     "organization: Org\n"
                     "start_datetime: 2026-01-01 00:00:00\n"
                     "end_datetime: 2026-03-01 00:00:00\n"
                     "exception_due: 2026-02-01 00:00:00\n"
                     "no_winners: 2\n"
                     "allow_no_opinion: true\n"
                     "show_candidate_fields: [employer]\n"
                     "election_officers: [olga]\n";

const char kUni[] = "name: Uni\n"
                    "start_datetime: 2026-01-01 00:00:00\n"
                    "end_datetime: 2026-03-01 00:00:00\n"
                    "election_officers: [olga]\n"
                    "method: plurality\n"
                    "children: [s, p]\n";

const char kYesNo[] = "    answers:\n"
                      "      - {id: 'yes', text: 'Yes'}\n"
                      "      - {id: 'no', text: 'No'}\n";

std::string child(const std::string &name, const std::string &extra = "") {
  return "name: " + name + "\nquestions:\n  - id: q1\n    title: Q1?\n" +
         kYesNo + extra;
}

std::string cand(const std::string &id, const std::string &name) {
  return "---\nname: " + name + "\nID: " + id +
         "\ninfo:\n  - employer: ACME\n---\n\nBio.\n";
}

// The valid repository every row starts from.
void base(const TempDir &d) {
  d.write("elections/solo/election.yaml", kSolo);
  d.write("elections/solo/voters.yaml",
          "eligible_voters:\n  - alice\n  - bob\n");
  d.write("elections/solo/candidate-ann.md", cand("ann", "Ann"));
  d.write("elections/solo/candidate-ben.md", cand("ben", "Ben"));
  d.write("elections/solo/candidate-cid.md", cand("cid", "Cid"));
  d.write("elections/uni/election.yaml", kUni);
  d.write("elections/uni/voters.yaml",
          "eligible_voters:\n  - id: alice\n    children: [s]\n  - id: bob\n"
          "    children: [p]\n  - carol\n");
  d.write(
      "elections/uni/s/election.yaml",
      child("Students", "  - id: q2\n    title: Q2?\n" + std::string(kYesNo)));
  d.write("elections/uni/p/election.yaml", child("Professors"));
  d.write("elections/other/2026/election.yaml", kSolo);
  d.write("elections/other/2026/voters.yaml", "eligible_voters: [dave]\n");
  d.write("elections/other/2026/candidate-x.md", cand("x", "X"));
  d.write("elections/other/2026/candidate-y.md", cand("y", "Y"));
}

std::string replace(std::string s, const std::string &from,
                    const std::string &to) {
  auto pos = s.find(from);
  if (pos == std::string::npos)
    throw std::logic_error("fixture text not found: " + from);
  return s.replace(pos, from.size(), to);
}

struct Row {
  const char *what;
  std::function<void(const TempDir &)> change;
  const char *file;    // exact
  const char *field;   // exact
  const char *message; // substring
  const char *root = "elections";
};

const std::string kSoloFile = "elections/solo/election.yaml";
const std::string kUniFile = "elections/uni/election.yaml";

void solo(const TempDir &d, const std::string &from, const std::string &to) {
  d.write(kSoloFile, replace(kSolo, from, to));
}
void uni(const TempDir &d, const std::string &from, const std::string &to) {
  d.write(kUniFile, replace(kUni, from, to));
}
void uni_add(const TempDir &d, const std::string &extra) {
  d.write(kUniFile, kUni + extra);
}

const Row kRows[] = {
    // ---- YAML and types ----
    {"bad YAML",
     [](const TempDir &d) { solo(d, "name: Solo\n", "name: [Solo\n"); },
     "elections/solo/election.yaml", "line 2", "not valid YAML"},
    {"not a map", [](const TempDir &d) { d.write(kSoloFile, "- a\n- b\n"); },
     "elections/solo/election.yaml", "", "expected a map of fields"},
    {"name is a list",
     [](const TempDir &d) { solo(d, "name: Solo", "name: [a, b]"); },
     "elections/solo/election.yaml", "name",
     "expected text, got a list (line 1)"},
    {"name missing", [](const TempDir &d) { solo(d, "name: Solo\n", ""); },
     "elections/solo/election.yaml", "name", "missing"},
    {"no_winners not a number",
     [](const TempDir &d) { solo(d, "no_winners: 2", "no_winners: two"); },
     "elections/solo/election.yaml", "no_winners",
     "expected a whole number, got 'two' (line 6)"},
    {"no_winners zero",
     [](const TempDir &d) { solo(d, "no_winners: 2", "no_winners: 0"); },
     "elections/solo/election.yaml", "no_winners",
     "must be between 1 and 1000"},
    {"bool not a bool",
     [](const TempDir &d) {
       solo(d, "allow_no_opinion: true", "allow_no_opinion: maybe");
     },
     "elections/solo/election.yaml", "allow_no_opinion",
     "expected true or false, got 'maybe'"},
    {"impossible date",
     [](const TempDir &d) {
       solo(d, "start_datetime: 2026-01-01", "start_datetime: 2026-02-30");
     },
     "elections/solo/election.yaml", "start_datetime",
     "not a date: '2026-02-30 00:00:00'"},
    {"officers not a list",
     [](const TempDir &d) {
       solo(d, "election_officers: [olga]", "election_officers: {a: b}");
     },
     "elections/solo/election.yaml", "election_officers",
     "expected a list of logins, got a map"},
    {"duplicate key",
     [](const TempDir &d) {
       d.write(kSoloFile, std::string(kSolo) + "name: Again\n");
     },
     "elections/solo/election.yaml", "name", "appears twice (line 10)"},
    {"misspelled field is an error",
     [](const TempDir &d) { solo(d, "allow_no_opinion:", "allow_no_opinon:"); },
     "elections/solo/election.yaml", "allow_no_opinon",
     "unknown field; did you mean 'allow_no_opinion'?"},
    {"unknown method",
     [](const TempDir &d) {
       d.write(kSoloFile, std::string(kSolo) + "method: dhondt\n");
     },
     "elections/solo/election.yaml", "method",
     "unknown method 'dhondt' (one of schulze, ranked-pairs"},
    {"results_visibility",
     [](const TempDir &d) {
       d.write(kSoloFile, std::string(kSolo) + "results_visibility: never\n");
     },
     "elections/solo/election.yaml", "results_visibility",
     "expected public or officers-first"},
    {"both yaml and json",
     [](const TempDir &d) { d.write("elections/solo/election.json", "{}"); },
     "elections/solo/election.json", "",
     "both election.yaml and election.json"},
    {"json wrong type",
     [](const TempDir &d) {
       d.remove(kSoloFile);
       d.write(
           "elections/solo/election.json",
           R"({"name": "Solo", "start_datetime": true, "end_datetime": "2026-03-01",
                   "no_winners": 2, "election_officers": ["olga"]})");
     },
     "elections/solo/election.json", "start_datetime", "not a date: 'true'"},
    // ---- dates ----
    {"end before start",
     [](const TempDir &d) {
       solo(d, "end_datetime: 2026-03-01", "end_datetime: 2025-12-31");
     },
     "elections/solo/election.yaml", "end_datetime",
     "must be after start_datetime"},
    {"end missing",
     [](const TempDir &d) {
       solo(d, "end_datetime: 2026-03-01 00:00:00\n", "");
     },
     "elections/solo/election.yaml", "end_datetime", "missing"},
    {"exception_due after end",
     [](const TempDir &d) {
       solo(d, "exception_due: 2026-02-01", "exception_due: 2026-04-01");
     },
     "elections/solo/election.yaml", "exception_due",
     "must not be after end_datetime"},
    // ---- candidates ----
    {"duplicate candidate ids",
     [](const TempDir &d) {
       d.write("elections/solo/candidate-Ann.md", cand("Ann", "Ann again"));
     },
     "elections/solo/candidate-ann.md", "ID",
     "duplicate candidate 'ann' (also elections/solo/candidate-Ann.md)"},
    {"ID differs from the file name",
     [](const TempDir &d) {
       d.write("elections/solo/candidate-ben.md", cand("benjamin", "Ben"));
     },
     "elections/solo/candidate-ben.md", "ID",
     "'benjamin' differs from the file name's 'ben' (line 3)"},
    {"candidate without front matter",
     [](const TempDir &d) {
       d.write("elections/solo/candidate-ben.md", "# Ben\n\nBio.\n");
     },
     "elections/solo/candidate-ben.md", "",
     "must start with YAML front matter"},
    {"candidate without name",
     [](const TempDir &d) {
       d.write("elections/solo/candidate-ben.md", "---\nID: ben\n---\n");
     },
     "elections/solo/candidate-ben.md", "name", "missing"},
    {"candidate info wrong type",
     [](const TempDir &d) {
       d.write("elections/solo/candidate-ben.md",
               "---\nname: B\nID: ben\ninfo: 5\n---\n");
     },
     "elections/solo/candidate-ben.md", "info",
     "expected a list of key: value entries (line 4)"},
    {"candidate info value is a list",
     [](const TempDir &d) {
       d.write("elections/solo/candidate-ben.md",
               "---\nname: B\nID: ben\ninfo:\n  - employer: [a]\n---\n");
     },
     "elections/solo/candidate-ben.md", "info[0].employer",
     "expected text (line 5)"},
    {"no_winners larger than the candidates",
     [](const TempDir &d) { solo(d, "no_winners: 2", "no_winners: 4"); },
     "elections/solo/election.yaml", "no_winners",
     "4 winners but only 3 candidates"},
    // ---- voters ----
    {"voters without eligible_voters",
     [](const TempDir &d) {
       d.write("elections/solo/voters.yaml", "voters: [a]\n");
     },
     "elections/solo/voters.yaml", "eligible_voters", "missing"},
    {"voters not a list",
     [](const TempDir &d) {
       d.write("elections/solo/voters.yaml", "eligible_voters: alice\n");
     },
     "elections/solo/voters.yaml", "eligible_voters",
     "expected a list of logins (line 1)"},
    {"voter login with a space",
     [](const TempDir &d) {
       d.write("elections/solo/voters.yaml",
               "eligible_voters:\n  - ok\n  - 'a b'\n");
     },
     "elections/solo/voters.yaml", "eligible_voters[1]",
     "login 'a b' contains a space"},
    {"voter empty entry",
     [](const TempDir &d) {
       d.write("elections/solo/voters.yaml", "eligible_voters:\n  - ok\n  -\n");
     },
     "elections/solo/voters.yaml", "eligible_voters[1]", "empty login"},
    {"voters bad YAML",
     [](const TempDir &d) {
       d.write("elections/solo/voters.yaml", "eligible_voters:\n  - a\n - b\n");
     },
     "elections/solo/voters.yaml", "line 3", "not valid YAML"},
    {"children in a voter of a non-parent",
     [](const TempDir &d) {
       d.write("elections/solo/voters.yaml",
               "eligible_voters:\n  - id: a\n    children: [s]\n");
     },
     "elections/solo/voters.yaml", "eligible_voters[0].children",
     "only the voters of a parent"},
    // ---- parent / children ----
    {"child listed but missing",
     [](const TempDir &d) { uni(d, "[s, p]", "[s, p, x]"); },
     "elections/uni/election.yaml", "children[2]",
     "'x' is missing: no elections/uni/x/election.yaml"},
    {"child folder not listed",
     [](const TempDir &d) { uni(d, "[s, p]", "[s]"); },
     "elections/uni/election.yaml", "children",
     "folder 'p' holds an election but is not listed"},
    {"grandchild",
     [](const TempDir &d) {
       d.write("elections/uni/s/g/election.yaml", child("G"));
     },
     "elections/uni/s/g/election.yaml", "", "no grandchildren"},
    {"child declares children",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml", child("S") + "children: [g]\n");
     },
     "elections/uni/s/election.yaml", "children",
     "cannot have children of its own"},
    {"cycle: child '..'",
     [](const TempDir &d) { uni(d, "[s, p]", "[s, p, '..']"); },
     "elections/uni/election.yaml", "children[2]",
     "'..' is not a child folder name"},
    {"cycle: child folder is a symlink to the parent",
     [](const TempDir &d) {
       d.symlink("..", "elections/uni/loop");
       uni(d, "[s, p]", "[s, p, loop]");
     },
     "elections/uni/election.yaml", "children[2]", "'loop' is missing"},
    {"nested election in a non-parent",
     [](const TempDir &d) {
       d.write("elections/solo/extra/election.yaml", kSolo);
     },
     "elections/solo/extra/election.yaml", "",
     "election inside election 'solo', which has no children"},
    {"voter assigned to a child of another parent",
     [](const TempDir &d) {
       d.write("elections/uni2/election.yaml", replace(kUni, "[s, p]", "[x]"));
       d.write("elections/uni2/voters.yaml", "eligible_voters: [zed]\n");
       d.write("elections/uni2/x/election.yaml", child("X"));
       d.write("elections/uni/voters.yaml",
               "eligible_voters:\n  - id: alice\n    children: [x]\n");
     },
     "elections/uni/voters.yaml", "eligible_voters[0].children[0]",
     "voter 'alice': 'x' is not a child of 'uni' (it is a child of 'uni2')"},
    {"child with its own voters",
     [](const TempDir &d) {
       d.write("elections/uni/s/voters.yaml", "eligible_voters: [alice]\n");
     },
     "elections/uni/s/voters.yaml", "",
     "a child election has no voter list of its own"},
    {"child outlives its parent",
     [](const TempDir &d) {
       d.write("elections/uni/p/election.yaml",
               child("P") + "end_datetime: 2026-03-02 00:00:00\n");
     },
     "elections/uni/p/election.yaml", "end_datetime",
     "a child may not outlive its parent 'uni'"},
    {"child starts before its parent",
     [](const TempDir &d) {
       d.write("elections/uni/p/election.yaml",
               child("P") + "start_datetime: 2025-12-01\n");
     },
     "elections/uni/p/election.yaml", "start_datetime",
     "may not start before its parent"},
    {"siblings share a question id with other answers",
     [](const TempDir &d) {
       d.write("elections/uni/p/election.yaml",
               "name: P\nquestions:\n  - id: q1\n    title: Q1?\n    answers: "
               "[Yes, No, Abstain]\n");
     },
     "elections/uni/p/election.yaml", "questions[0].answers",
     "is also in sibling 's' with other answers"},
    {"category names an unlisted child",
     [](const TempDir &d) {
       uni_add(d, "categories:\n  - title: All\n    children: [s, z]\n");
     },
     "elections/uni/election.yaml", "categories[0].children[1]",
     "'z' is not listed in children"},
    // ---- questions ----
    {"question with one answer",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml",
               "name: S\nquestions:\n  - id: q1\n    title: Q\n    answers: "
               "[Yes]\n");
     },
     "elections/uni/s/election.yaml", "questions[0].answers",
     "at least two answers"},
    {"unknown field in a question",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml",
               child("S", "    colour: red\n"));
     },
     "elections/uni/s/election.yaml", "questions[0].colour",
     "unknown field (line 8)"},
    {"duplicate question id",
     [](const TempDir &d) {
       d.write(
           "elections/uni/s/election.yaml",
           child("S", "  - id: q1\n    title: Again\n" + std::string(kYesNo)));
     },
     "elections/uni/s/election.yaml", "questions[1].id",
     "duplicate question id 'q1'"},
    {"more winners than answers",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml", child("S", "    winners: 3\n"));
     },
     "elections/uni/s/election.yaml", "questions[0].winners",
     "3 winners but only 2 answers"},
    {"plurality with two selections",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml",
               child("S", "    max_selections: 2\n"));
     },
     "elections/uni/s/election.yaml", "questions[0].max_selections",
     "plurality picks one answer"},
    {"question with an unknown method",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml",
               child("S", "    method: coin\n"));
     },
     "elections/uni/s/election.yaml", "questions[0].method",
     "unknown method 'coin'"},
    // ---- pipes ----
    {"pipe of an unknown type",
     [](const TempDir &d) { uni_add(d, "pipes:\n  - type: magic\n"); },
     "elections/uni/election.yaml", "pipes[0].type", "unknown pipe 'magic'"},
    {"pipe references a missing question",
     [](const TempDir &d) {
       uni_add(d, "pipes:\n  - type: duplicate_questions\n    source_election: "
                  "s\n    source_question: q9\n");
     },
     "elections/uni/election.yaml", "pipes[0].source_question",
     "no question 'q9' in 's'"},
    {"pipe joins questions whose answers differ",
     [](const TempDir &d) {
       d.write("elections/uni/p/election.yaml",
               "name: P\nquestions:\n  - id: q5\n    title: Q5?\n    answers: "
               "[Yes, No, Abstain]\n");
       uni_add(d, "pipes:\n"
                  "  - type: duplicate_questions\n    source_election: 1\n    "
                  "source_question: q1\n"
                  "  - type: multipart_tally_plaintexts_append_joiner\n"
                  "    source_election: p\n    source_question: q5\n    "
                  "question: q1\n");
     },
     "elections/uni/election.yaml", "pipes[1]",
     "answers do not match: 'p' question 'q5' has (abstain, no, yes)"},
    {"pipe election index out of range",
     [](const TempDir &d) {
       uni_add(d, "pipes:\n  - type: duplicate_questions\n    source_election: "
                  "3\n    source_question: q1\n");
     },
     "elections/uni/election.yaml", "pipes[0].source_election",
     "index 3 but the election has 2 children"},
    {"pipe names a child of another parent",
     [](const TempDir &d) {
       d.write("elections/uni2/election.yaml", replace(kUni, "[s, p]", "[x]"));
       d.write("elections/uni2/voters.yaml", "eligible_voters: [zed]\n");
       d.write("elections/uni2/x/election.yaml", child("X"));
       uni_add(d, "pipes:\n  - type: duplicate_questions\n    source_election: "
                  "x\n    source_question: q1\n");
     },
     "elections/uni/election.yaml", "pipes[0].source_election",
     "'x' is not a child of this election (it is a child of 'uni2')"},
    {"pipe modifies a question the parent lacks",
     [](const TempDir &d) {
       uni_add(d, "pipes:\n  - type: apply_modifications\n    question: q7\n   "
                  " action: set-title\n    value: T\n");
     },
     "elections/uni/election.yaml", "pipes[0].question",
     "the parent has no question 'q7'"},
    {"pipe with a parameter it does not take",
     [](const TempDir &d) {
       uni_add(d, "pipes:\n  - type: do_tallies\n    question: q1\n");
     },
     "elections/uni/election.yaml", "pipes[0].question",
     "not a parameter of do_tallies"},
    // ---- paths ----
    {"symlink escaping the repository",
     [](const TempDir &d) {
       d.symlink("/etc/passwd", "elections/solo/candidate-evil.md");
     },
     "elections/solo/candidate-evil.md", "",
     "symbolic link leads outside the repository (to /etc/passwd)"},
    {"symlink escaping with ..",
     [](const TempDir &d) { d.symlink("../../../..", "elections/solo/up"); },
     "elections/solo/up", "", "symbolic link leads outside the repository"},
    {"meta_root with ..", [](const TempDir &) {}, "../outside", "meta_root",
     "'..' would leave the repository", "../outside"},
    {"meta_root absolute", [](const TempDir &) {}, "/etc", "meta_root",
     "not an absolute path", "/etc"},
    {"folder name unusable in a URL",
     [](const TempDir &d) {
       d.write("elections/bad name/election.yaml", kSolo);
       d.write("elections/bad name/voters.yaml", "eligible_voters: [a]\n");
     },
     "elections/bad name/election.yaml", "",
     "folder name 'bad name' is not usable in a URL"},
    {"folder named like a sub-page (unreachable election)",
     [](const TempDir &d) {
       d.write("elections/bench/vote/election.yaml", kSolo);
       d.write("elections/bench/vote/voters.yaml", "eligible_voters: [a]\n");
     },
     "elections/bench/vote/election.yaml", "",
     "folder name 'vote' is reserved for urna's pages"},
};

std::string show(const meta::LoadResult &r) { return "\n" + r.report(); }

} // namespace

BOOST_AUTO_TEST_CASE(base_repository_is_valid) {
  TempDir d;
  base(d);
  meta::LoadResult r = meta::load_repository(d.path(), "elections");
  BOOST_TEST_INFO(show(r));
  BOOST_TEST(r.ok());
  BOOST_TEST(r.issues.empty());
  BOOST_TEST(r.snapshot.elections.size() == 5u);
}

BOOST_AUTO_TEST_CASE(every_broken_repository_is_rejected_with_a_precise_error) {
  BOOST_TEST(std::size(kRows) >= 30u);
  for (const Row &row : kRows) {
    TempDir d;
    base(d);
    row.change(d);
    meta::LoadResult r = meta::load_repository(d.path(), row.root);
    BOOST_TEST_CONTEXT(row.what << show(r)) {
      BOOST_TEST(!r.ok());
      bool found = false;
      for (const auto &i : r.issues)
        if (i.severity == meta::Severity::kError && i.file == row.file &&
            i.field == row.field &&
            i.message.find(row.message) != std::string::npos)
          found = true;
      BOOST_TEST(found, "expected: " << row.file << ": " << row.field << ": ..."
                                     << row.message);
      // Every error names its file.
      for (const auto &i : r.issues)
        BOOST_TEST(!i.file.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(one_bad_election_does_not_hide_the_others) {
  TempDir d;
  base(d);
  solo(d, "end_datetime: 2026-03-01", "end_datetime: 2025-12-31");
  d.write("elections/other/2026/candidate-y.md", cand("why", "Y"));
  d.write("elections/uni/p/voters.yaml", "eligible_voters: [a]\n");
  meta::LoadResult r = meta::load_repository(d.path(), "elections");
  BOOST_TEST_INFO(show(r));
  BOOST_TEST(!r.ok());
  BOOST_TEST(meta::count_errors(r.issues) == 3u);
  std::string report = r.report();
  BOOST_TEST(report.find(
                 "elections/solo/election.yaml: end_datetime: must be after") !=
             std::string::npos);
  BOOST_TEST(
      report.find("elections/other/2026/candidate-y.md: ID: 'why' differs") !=
      std::string::npos);
  BOOST_TEST(
      report.find(
          "elections/uni/p/voters.yaml: a child election has no voter list") !=
      std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_repository_or_root) {
  meta::LoadResult r = meta::load_repository("/nonexistent/urna", "elections");
  BOOST_TEST(!r.ok());
  TempDir d;
  r = meta::load_repository(d.path(), "elections");
  BOOST_TEST(!r.ok());
  BOOST_TEST(
      r.report() ==
      "elections: the elections folder does not exist in the repository\n");
  // An empty elections folder is valid (with a warning).
  d.write("elections/README.md", "Nothing yet.\n");
  r = meta::load_repository(d.path(), "elections");
  BOOST_TEST(r.ok());
  BOOST_TEST(r.issues.size() == 1u);
  // The whole repository as the root.
  base(d);
  r = meta::load_repository(d.path() + "/elections", ".");
  BOOST_TEST_INFO(show(r));
  BOOST_TEST(r.ok());
  BOOST_TEST(r.snapshot.find("solo") != nullptr);
}
