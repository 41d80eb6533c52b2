// Table-driven validation tests for src/meta: a valid repository, then one
// broken repository per row, each with the file, field and message the error
// must name (a repository with any error is rejected as a whole); then one
// row per quirk that Elekto accepts and urna runs correctly, each with the
// exact warning (the repository loads; only --strict refuses it).
// docs/metadata.md "Errors and warnings" states the rule.
#define BOOST_TEST_MODULE meta_validation
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "core/time_util.h"
#include "meta/loader.h"
#include "meta/yaml_fields.h"
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
    {"bad YAML", [](const TempDir &d) { solo(d, "name: Solo\n", "name: [Solo\n"); },
     "elections/solo/election.yaml", "line 2", "not valid YAML"},
    {"not a map", [](const TempDir &d) { d.write(kSoloFile, "- a\n- b\n"); },
     "elections/solo/election.yaml", "", "expected a map of fields"},
    {"name is a list", [](const TempDir &d) { solo(d, "name: Solo", "name: [a, b]"); },
     "elections/solo/election.yaml", "name", "expected text, got a list (line 1)"},
    {"name missing", [](const TempDir &d) { solo(d, "name: Solo\n", ""); },
     "elections/solo/election.yaml", "name", "missing"},
    {"no_winners not a number",
     [](const TempDir &d) { solo(d, "no_winners: 2", "no_winners: two"); },
     "elections/solo/election.yaml", "no_winners", "expected a whole number, got 'two' (line 6)"},
    {"no_winners zero", [](const TempDir &d) { solo(d, "no_winners: 2", "no_winners: 0"); },
     "elections/solo/election.yaml", "no_winners", "must be between 1 and 1000"},
    {"bool not a bool",
     [](const TempDir &d) { solo(d, "allow_no_opinion: true", "allow_no_opinion: maybe"); },
     "elections/solo/election.yaml", "allow_no_opinion", "expected true or false, got 'maybe'"},
    {"impossible date",
     [](const TempDir &d) { solo(d, "start_datetime: 2026-01-01", "start_datetime: 2026-02-30"); },
     "elections/solo/election.yaml", "start_datetime", "not a date: '2026-02-30 00:00:00'"},
    {"officers not a list",
     [](const TempDir &d) { solo(d, "election_officers: [olga]", "election_officers: {a: b}"); },
     "elections/solo/election.yaml", "election_officers", "expected a list of logins, got a map"},
    {"duplicate key",
     [](const TempDir &d) { d.write(kSoloFile, std::string(kSolo) + "name: Again\n"); },
     "elections/solo/election.yaml", "name", "appears twice (line 10)"},
    {"a misspelled required key leaves it missing",
     [](const TempDir &d) { solo(d, "name: Solo", "nmae: Solo"); }, "elections/solo/election.yaml",
     "name", "missing"},
    {"unknown method",
     [](const TempDir &d) { d.write(kSoloFile, std::string(kSolo) + "method: dhondt\n"); },
     "elections/solo/election.yaml", "method",
     "unknown method 'dhondt' (one of schulze, ranked-pairs"},
    {"misspelled method",
     [](const TempDir &d) { d.write(kSoloFile, std::string(kSolo) + "method: shulze\n"); },
     "elections/solo/election.yaml", "method",
     "unknown method 'shulze'; did you mean 'schulze'? (line 10)"},
    {"irv for several seats (the count would refuse it)",
     [](const TempDir &d) { d.write(kSoloFile, std::string(kSolo) + "method: irv\n"); },
     "elections/solo/election.yaml", "no_winners", "2 seats, but irv elects one: use method: stv"},
    {"an irv question for several seats",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml", child("S", "    method: irv\n    winners: 2\n"));
     },
     "elections/uni/s/election.yaml", "questions[0].winners",
     "2 seats, but irv elects one: use method: stv"},
    {"results_visibility",
     [](const TempDir &d) {
       d.write(kSoloFile, std::string(kSolo) + "results_visibility: never\n");
     },
     "elections/solo/election.yaml", "results_visibility", "expected public or officers-first"},
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
     [](const TempDir &d) { solo(d, "end_datetime: 2026-03-01", "end_datetime: 2025-12-31"); },
     "elections/solo/election.yaml", "end_datetime", "must be after start_datetime"},
    {"end missing", [](const TempDir &d) { solo(d, "end_datetime: 2026-03-01 00:00:00\n", ""); },
     "elections/solo/election.yaml", "end_datetime", "missing"},
    // ---- candidates ----
    {"duplicate candidate ids",
     [](const TempDir &d) { d.write("elections/solo/candidate-Ann.md", cand("Ann", "Ann again")); },
     "elections/solo/candidate-ann.md", "ID",
     "duplicate candidate 'ann' (also elections/solo/candidate-Ann.md)"},
    {"candidate ID is another candidate's id",
     [](const TempDir &d) { d.write("elections/solo/candidate-ben.md", cand("ann", "Ann")); },
     "elections/solo/candidate-ben.md", "ID",
     "duplicate candidate 'ann' (also elections/solo/candidate-ann.md) (line "
     "3)"},
    {"two candidates declare the same other ID",
     [](const TempDir &d) {
       d.write("elections/solo/candidate-ben.md", cand("zed", "Zed"));
       d.write("elections/solo/candidate-cid.md", cand("Zed", "Zed again"));
     },
     "elections/solo/candidate-cid.md", "ID",
     "duplicate candidate 'Zed' (also elections/solo/candidate-ben.md) (line "
     "3)"},
    {"candidate without front matter",
     [](const TempDir &d) { d.write("elections/solo/candidate-ben.md", "# Ben\n\nBio.\n"); },
     "elections/solo/candidate-ben.md", "", "must start with YAML front matter"},
    {"candidate without name",
     [](const TempDir &d) { d.write("elections/solo/candidate-ben.md", "---\nID: ben\n---\n"); },
     "elections/solo/candidate-ben.md", "name", "missing"},
    {"candidate info wrong type",
     [](const TempDir &d) {
       d.write("elections/solo/candidate-ben.md",
               "---\nname: B\nID: ben\ninfo: 5\n---\n");
     },
     "elections/solo/candidate-ben.md", "info", "expected a list of key: value entries (line 4)"},
    {"candidate info value is a list",
     [](const TempDir &d) {
       d.write("elections/solo/candidate-ben.md",
               "---\nname: B\nID: ben\ninfo:\n  - employer: [a]\n---\n");
     },
     "elections/solo/candidate-ben.md", "info[0].employer", "expected text (line 5)"},
    // ---- voters ----
    {"voters without eligible_voters",
     [](const TempDir &d) { d.write("elections/solo/voters.yaml", "voters: [a]\n"); },
     "elections/solo/voters.yaml", "eligible_voters", "missing"},
    {"eligible_voters misspelled: the list is missing",
     [](const TempDir &d) { d.write("elections/solo/voters.yaml", "eligible_voter: [a]\n"); },
     "elections/solo/voters.yaml", "eligible_voters", "missing"},
    {"voters not a list",
     [](const TempDir &d) { d.write("elections/solo/voters.yaml", "eligible_voters: alice\n"); },
     "elections/solo/voters.yaml", "eligible_voters", "expected a list of logins (line 1)"},
    {"voter login with a space",
     [](const TempDir &d) {
       d.write("elections/solo/voters.yaml",
               "eligible_voters:\n  - ok\n  - 'a b'\n");
     },
     "elections/solo/voters.yaml", "eligible_voters[1]", "login 'a b' contains a space"},
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
     "elections/solo/voters.yaml", "eligible_voters[0].children", "only the voters of a parent"},
    // ---- parent / children ----
    {"child named like its parent's page",
     [](const TempDir &d) {
       uni(d, "[s, p]", "[s, p, results]");
       d.write("elections/uni/results/election.yaml", child("R"));
     },
     "elections/uni/results/election.yaml", "",
     "folder name 'results': /elections/uni/results is the results page of "
     "'uni', so this child cannot be served; rename it: git mv "
     "elections/uni/results elections/uni/results-election, and write "
     "results-election for results in children: of "
     "elections/uni/election.yaml"},
    {"child listed but missing", [](const TempDir &d) { uni(d, "[s, p]", "[s, p, x]"); },
     "elections/uni/election.yaml", "children[2]",
     "'x' is missing: no elections/uni/x/election.yaml"},
    {"child folder not listed", [](const TempDir &d) { uni(d, "[s, p]", "[s]"); },
     "elections/uni/election.yaml", "children", "folder 'p' holds an election but is not listed"},
    {"grandchild", [](const TempDir &d) { d.write("elections/uni/s/g/election.yaml", child("G")); },
     "elections/uni/s/g/election.yaml", "", "no grandchildren"},
    {"child declares children",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml", child("S") + "children: [g]\n");
     },
     "elections/uni/s/election.yaml", "children", "cannot have children of its own"},
    {"cycle: child '..'", [](const TempDir &d) { uni(d, "[s, p]", "[s, p, '..']"); },
     "elections/uni/election.yaml", "children[2]", "'..' is not a child folder name"},
    {"cycle: child folder is a symlink to the parent",
     [](const TempDir &d) {
       d.symlink("..", "elections/uni/loop");
       uni(d, "[s, p]", "[s, p, loop]");
     },
     "elections/uni/election.yaml", "children[2]", "'loop' is missing"},
    {"nested election in a non-parent",
     [](const TempDir &d) { d.write("elections/solo/extra/election.yaml", kSolo); },
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
     [](const TempDir &d) { d.write("elections/uni/s/voters.yaml", "eligible_voters: [alice]\n"); },
     "elections/uni/s/voters.yaml", "", "a child election has no voter list of its own"},
    {"child outlives its parent",
     [](const TempDir &d) {
       d.write("elections/uni/p/election.yaml",
               child("P") + "end_datetime: 2026-03-02 00:00:00\n");
     },
     "elections/uni/p/election.yaml", "end_datetime", "a child may not outlive its parent 'uni'"},
    {"child starts before its parent",
     [](const TempDir &d) {
       d.write("elections/uni/p/election.yaml",
               child("P") + "start_datetime: 2025-12-01\n");
     },
     "elections/uni/p/election.yaml", "start_datetime", "may not start before its parent"},
    {"siblings share a question id with other answers",
     [](const TempDir &d) {
       d.write("elections/uni/p/election.yaml",
               "name: P\nquestions:\n  - id: q1\n    title: Q1?\n    answers: "
               "[Yes, No, Abstain]\n");
     },
     "elections/uni/p/election.yaml", "questions[0].answers",
     "is also in sibling 's' with other answers"},
    {"category names an unlisted child",
     [](const TempDir &d) { uni_add(d, "categories:\n  - title: All\n    children: [s, z]\n"); },
     "elections/uni/election.yaml", "categories[0].children[1]", "'z' is not listed in children"},
    // ---- questions ----
    {"question with one answer",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml",
               "name: S\nquestions:\n  - id: q1\n    title: Q\n    answers: "
               "[Yes]\n");
     },
     "elections/uni/s/election.yaml", "questions[0].answers", "at least two answers"},
    {"duplicate question id",
     [](const TempDir &d) {
       d.write(
           "elections/uni/s/election.yaml",
           child("S", "  - id: q1\n    title: Again\n" + std::string(kYesNo)));
     },
     "elections/uni/s/election.yaml", "questions[1].id", "duplicate question id 'q1'"},
    {"more winners than answers",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml", child("S", "    winners: 3\n"));
     },
     "elections/uni/s/election.yaml", "questions[0].winners", "3 winners but only 2 answers"},
    {"plurality with two selections",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml",
               child("S", "    max_selections: 2\n"));
     },
     "elections/uni/s/election.yaml", "questions[0].max_selections", "plurality picks one answer"},
    {"question with an unknown method",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml",
               child("S", "    method: coin\n"));
     },
     "elections/uni/s/election.yaml", "questions[0].method", "unknown method 'coin'"},
    // ---- pipes ----
    {"pipe of an unknown type", [](const TempDir &d) { uni_add(d, "pipes:\n  - type: magic\n"); },
     "elections/uni/election.yaml", "pipes[0].type", "unknown pipe 'magic'"},
    {"pipe type misspelled", [](const TempDir &d) { uni_add(d, "pipes:\n  - type: do-tallies\n"); },
     "elections/uni/election.yaml", "pipes[0].type",
     "unknown pipe 'do-tallies'; did you mean 'do_tallies'? (line 8)"},
    {"pipe references a missing question",
     [](const TempDir &d) {
       uni_add(d, "pipes:\n  - type: duplicate_questions\n    source_election: "
                  "s\n    source_question: q9\n");
     },
     "elections/uni/election.yaml", "pipes[0].source_question", "no question 'q9' in 's'"},
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
     "elections/uni/election.yaml", "pipes[0].question", "the parent has no question 'q7'"},
    // ---- bidirectional controls (docs/metadata.md "Text direction") ----
    {"an election name with RIGHT-TO-LEFT OVERRIDE",
     [](const TempDir &d) { solo(d, "name: Solo", "name: \"Solo \u202Eniw\""); },
     "elections/solo/election.yaml", "name",
     "contains the bidirectional control character U+202E (RIGHT-TO-LEFT OVERRIDE)"},
    {"an organization with LEFT-TO-RIGHT EMBEDDING",
     [](const TempDir &d) { solo(d, "organization: Org", "organization: \"O\u202Arg\""); },
     "elections/solo/election.yaml", "organization", "U+202A (LEFT-TO-RIGHT EMBEDDING)"},
    {"a candidate name with RIGHT-TO-LEFT ISOLATE",
     [](const TempDir &d) {
       d.write("elections/solo/candidate-ben.md", cand("ben", "\u2067Ben\u2069"));
     },
     "elections/solo/candidate-ben.md", "name", "U+2067 (RIGHT-TO-LEFT ISOLATE), which can make a page show text in another order"},
    {"a candidate's info value with POP DIRECTIONAL FORMATTING",
     [](const TempDir &d) {
       d.write("elections/solo/candidate-ben.md",
               "---\nname: Ben\nID: ben\ninfo:\n  - employer: \"ACME\u202C\"\n---\n");
     },
     "elections/solo/candidate-ben.md", "info[0].employer", "U+202C (POP DIRECTIONAL FORMATTING)"},
    {"an officer login with LEFT-TO-RIGHT OVERRIDE",
     [](const TempDir &d) {
       solo(d, "election_officers: [olga]", "election_officers: [\"ol\u202Dga\"]");
     },
     "elections/solo/election.yaml", "election_officers[0]",
     "login contains the bidirectional control character U+202D"},
    {"a voter login with RIGHT-TO-LEFT MARK",
     [](const TempDir &d) {
       d.write("elections/solo/voters.yaml", "eligible_voters:\n  - alice\n  - \"bo\u200Fb\"\n");
     },
     "elections/solo/voters.yaml", "eligible_voters[1]", "U+200F (RIGHT-TO-LEFT MARK)"},
    {"a question title with LEFT-TO-RIGHT MARK",
     [](const TempDir &d) {
       d.write("elections/uni/p/election.yaml",
               replace(child("Professors"), "title: Q1?", "title: \"Q1\u200E?\""));
     },
     "elections/uni/p/election.yaml", "questions[0].title", "U+200E (LEFT-TO-RIGHT MARK)"},
    {"an answer text with FIRST STRONG ISOLATE",
     [](const TempDir &d) {
       d.write("elections/uni/p/election.yaml",
               replace(child("Professors"), "text: 'No'", "text: \"\u2068No\""));
     },
     "elections/uni/p/election.yaml", "questions[0].answers[1].text",
     "U+2068 (FIRST STRONG ISOLATE)"},
    {"an answer given as text with ARABIC LETTER MARK",
     [](const TempDir &d) {
       d.write("elections/uni/p/election.yaml",
               "name: Professors\nquestions:\n  - id: q1\n    title: Q1?\n    answers:\n"
               "      - \"Yes\u061C\"\n      - No way\n");
     },
     "elections/uni/p/election.yaml", "questions[0].answers[0]",
     "U+061C (ARABIC LETTER MARK)"},
    {"a category title with RIGHT-TO-LEFT EMBEDDING",
     [](const TempDir &d) {
       uni_add(d, "categories:\n  - title: \"\u202BAll\"\n    children: [s, p]\n");
     },
     "elections/uni/election.yaml", "categories[0].title", "U+202B (RIGHT-TO-LEFT EMBEDDING)"},
    {"a child's name with POP DIRECTIONAL ISOLATE",
     [](const TempDir &d) { d.write("elections/uni/s/election.yaml", child("Stu\u2069dents")); },
     "elections/uni/s/election.yaml", "name", "U+2069 (POP DIRECTIONAL ISOLATE)"},
    // ---- paths ----
    {"symlink escaping the repository",
     [](const TempDir &d) { d.symlink("/etc/passwd", "elections/solo/candidate-evil.md"); },
     "elections/solo/candidate-evil.md", "",
     "symbolic link leads outside the repository (to /etc/passwd)"},
    {"symlink escaping with ..",
     [](const TempDir &d) { d.symlink("../../../..", "elections/solo/up"); }, "elections/solo/up",
     "", "symbolic link leads outside the repository"},
    {"meta_root with ..", [](const TempDir &) {}, "../outside", "meta_root",
     "'..' would leave the repository", "../outside"},
    {"meta_root absolute", [](const TempDir &) {}, "/etc", "meta_root", "not an absolute path",
     "/etc"},
    {"folder name unusable in a URL",
     [](const TempDir &d) {
       d.write("elections/bad name/election.yaml", kSolo);
       d.write("elections/bad name/voters.yaml", "eligible_voters: [a]\n");
     },
     "elections/bad name/election.yaml", "", "folder name 'bad name' is not usable in a URL"},
};

// A quirk Elekto accepts: the repository loads, with exactly this warning.
struct WarningRow {
  const char *what;
  std::function<void(const TempDir &)> change;
  const char *file;     // exact
  const char *field;    // exact
  const char *message;  // exact
  const char *election;
};

const WarningRow kWarningRows[] = {
    // ---- unknown and misspelled keys, in every kind of map ----
    {"misspelled key in election.yaml",
     [](const TempDir &d) { solo(d, "allow_no_opinion:", "allow_no_opinon:"); },
     "elections/solo/election.yaml", "allow_no_opinon",
     "unknown field, ignored; did you mean 'allow_no_opinion'? (line 7)", "solo"},
    {"exception_dues", [](const TempDir &d) { solo(d, "exception_due:", "exception_dues:"); },
     "elections/solo/election.yaml", "exception_dues",
     "unknown field, ignored; did you mean 'exception_due'? (line 5)", "solo"},
    {"no_winner", [](const TempDir &d) { solo(d, "no_winners:", "no_winner:"); },
     "elections/solo/election.yaml", "no_winner",
     "unknown field, ignored; did you mean 'no_winners'? (line 6)", "solo"},
    {"a key that starts a known one",
     [](const TempDir &d) { d.write(kSoloFile, std::string(kSolo) + "end_date: 2026-03-02\n"); },
     "elections/solo/election.yaml", "end_date",
     "unknown field, ignored; did you mean 'end_datetime'? (line 10)", "solo"},
    {"another case and dashes",
     [](const TempDir &d) { d.write(kSoloFile, std::string(kSolo) + "Public-Ballots: false\n"); },
     "elections/solo/election.yaml", "Public-Ballots",
     "unknown field, ignored; did you mean 'public_ballots'? (line 10)", "solo"},
    {"an unknown key near nothing",
     [](const TempDir &d) { d.write(kSoloFile, std::string(kSolo) + "colour: red\n"); },
     "elections/solo/election.yaml", "colour", "unknown field, ignored (line 10)", "solo"},
    {"unknown key in candidate front matter",
     [](const TempDir &d) {
       d.write("elections/solo/candidate-ben.md", "---\nname: Ben\nID: ben\nemployer: ACME\n---\n");
     },
     "elections/solo/candidate-ben.md", "employer", "unknown field, ignored (line 4)", "solo"},
    {"misspelled info in candidate front matter",
     [](const TempDir &d) {
       d.write("elections/solo/candidate-ben.md",
               "---\nname: Ben\nID: ben\ninfos:\n  - employer: ACME\n---\n");
     },
     "elections/solo/candidate-ben.md", "infos",
     "unknown field, ignored; did you mean 'info'? (line 4)", "solo"},
    {"extra key in voters.yaml",
     [](const TempDir &d) {
       d.write("elections/solo/voters.yaml", "eligible_voters: [alice]\neligible_voter: [bob]\n");
     },
     "elections/solo/voters.yaml", "eligible_voter",
     "unknown field, ignored; did you mean 'eligible_voters'? (line 2)", "solo"},
    {"misspelled key in a voter map",
     [](const TempDir &d) {
       d.write("elections/uni/voters.yaml", "eligible_voters:\n  - id: alice\n    childern: [s]\n");
     },
     "elections/uni/voters.yaml", "eligible_voters[0].childern",
     "unknown field, ignored; did you mean 'children'? (line 3)", "uni"},
    {"unknown key in a question",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml", child("S", "    colour: red\n"));
     },
     "elections/uni/s/election.yaml", "questions[0].colour", "unknown field, ignored (line 8)",
     "uni/s"},
    {"misspelled key in a question",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml", child("S", "    winner: 1\n"));
     },
     "elections/uni/s/election.yaml", "questions[0].winner",
     "unknown field, ignored; did you mean 'winners'? (line 8)", "uni/s"},
    {"misspelled key in an answer",
     [](const TempDir &d) {
       d.write("elections/uni/s/election.yaml",
               "name: S\nquestions:\n  - id: q1\n    title: Q1?\n"
               "    answers:\n      - {id: 'yes', txt: 'Yes', text: 'Yes'}\n"
               "      - {id: 'no', text: 'No'}\n");
     },
     "elections/uni/s/election.yaml", "questions[0].answers[0].txt",
     "unknown field, ignored; did you mean 'text'? (line 6)", "uni/s"},
    {"misspelled key in a category",
     [](const TempDir &d) {
       uni_add(d,
               "categories:\n  - title: All\n    titel: All\n"
               "    children: [s, p]\n");
     },
     "elections/uni/election.yaml", "categories[0].titel",
     "unknown field, ignored; did you mean 'title'? (line 9)", "uni"},
    {"unknown key in a pipe",
     [](const TempDir &d) { uni_add(d, "pipes:\n  - type: do_tallies\n    note: first\n"); },
     "elections/uni/election.yaml", "pipes[0].note", "unknown field, ignored (line 9)", "uni"},
    {"a pipe parameter the pipe does not take",
     [](const TempDir &d) { uni_add(d, "pipes:\n  - type: do_tallies\n    question: q1\n"); },
     "elections/uni/election.yaml", "pipes[0].question", "ignored: not a parameter of do_tallies",
     "uni"},
    // ---- what Elekto tolerates and urna runs correctly ----
    {"exception_due after end_datetime",
     [](const TempDir &d) { solo(d, "exception_due: 2026-02-01", "exception_due: 2026-04-01"); },
     "elections/solo/election.yaml", "exception_due",
     "after end_datetime: exception requests close at the end, 2026-03-01 "
     "00:00:00 UTC",
     "solo"},
    {"no_winners larger than the candidates",
     [](const TempDir &d) { solo(d, "no_winners: 2", "no_winners: 4"); },
     "elections/solo/election.yaml", "no_winners",
     "4 seats but only 3 candidates: everyone ranked is elected", "solo"},
    {"winners of a from_candidates question larger than the candidates",
     [](const TempDir &d) {
       d.write(kSoloFile, std::string(kSolo) +
                              "questions:\n  - id: board\n    title: Board\n"
                              "    from_candidates: true\n    winners: 5\n");
     },
     "elections/solo/election.yaml", "questions[0].winners",
     "5 seats but only 3 candidates: everyone ranked is elected", "solo"},
    {"candidate ID differs from the file name",
     [](const TempDir &d) { d.write("elections/solo/candidate-ben.md", cand("benjamin", "Ben")); },
     "elections/solo/candidate-ben.md", "ID",
     "'benjamin' differs from the file name's 'ben'; using 'ben' (line 3)", "solo"},
    {"candidate ID differs in case only",
     [](const TempDir &d) { d.write("elections/solo/candidate-ben.md", cand("BEN", "Ben")); },
     "elections/solo/candidate-ben.md", "ID",
     "'BEN' differs from the file name's 'ben' in case only; using 'ben' "
     "(line 3)",
     "solo"},
    {"empty voter entry",
     [](const TempDir &d) {
       d.write("elections/solo/voters.yaml", "eligible_voters:\n  - ok\n  -\n");
     },
     "elections/solo/voters.yaml", "eligible_voters[1]", "empty entry, skipped", "solo"},
    {"empty officer entry",
     [](const TempDir &d) { solo(d, "election_officers: [olga]", "election_officers: [olga, ~]"); },
     "elections/solo/election.yaml", "election_officers[1]", "empty entry, skipped", "solo"},
    {"both election.yaml and election.json",
     [](const TempDir &d) { d.write("elections/solo/election.json", "{}"); },
     "elections/solo/election.json", "",
     "ignored: election.yaml is read (as Elekto does); remove one of the two", "solo"},
    {"an election folder named like a page, below a plain folder",
     [](const TempDir &d) {
       d.write("elections/bench/vote/election.yaml", kSolo);
       d.write("elections/bench/vote/voters.yaml", "eligible_voters: [a]\n");
       d.write("elections/bench/vote/candidate-a.md", cand("a", "A"));
       d.write("elections/bench/vote/candidate-b.md", cand("b", "B"));
     },
     "elections/bench/vote/election.yaml", "",
     "folder name 'vote' is also the name of urna's vote page "
     "(/elections/<id>/vote); served at /elections/bench/vote because "
     "'bench' is not an election. To avoid the clash: git mv "
     "elections/bench/vote elections/bench/vote-election",
     "bench/vote"},
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

BOOST_AUTO_TEST_CASE(every_elekto_quirk_loads_with_its_warning) {
  BOOST_TEST(std::size(kWarningRows) >= 20u);
  for (const WarningRow &row : kWarningRows) {
    TempDir d;
    base(d);
    row.change(d);
    meta::LoadResult r = meta::load_repository(d.path(), "elections");
    BOOST_TEST_CONTEXT(row.what << show(r)) {
      BOOST_TEST(r.ok());
      BOOST_TEST(!r.ok_strict());  // urna-sync --strict refuses it
      BOOST_TEST_REQUIRE(r.issues.size() == 1u);
      const meta::Issue &i = r.issues[0];
      BOOST_TEST((i.severity == meta::Severity::kWarning));
      BOOST_TEST(i.file == row.file);
      BOOST_TEST(i.field == row.field);
      BOOST_TEST(i.message == row.message);
      BOOST_TEST(i.election == row.election);
      BOOST_TEST(r.snapshot.find(row.election) != nullptr);
    }
  }
}

// t/unit/meta_fixtures/elekto-quirks: whole repositories in Elekto's layout,
// one quirk each. Each loads with exactly these warnings (urna-sync --check
// prints the same lines; with --strict it fails: t/e2e/warnings_test.py),
// and the election runs as the warning says.
struct QuirkFixture {
  const char *folder;
  std::vector<std::string> report;  // r.report(), line by line
  std::function<void(const core::Snapshot &)> runs_correctly;
};

core::UnixTime utc(const char *s) { return *core::parse_utc(s); }

const QuirkFixture kQuirkFixtures[] = {
    {"misspelled-keys",
     {"elections/steering/2027/election.yaml: no_winner: warning: unknown "
      "field, ignored; did you mean 'no_winners'? (line 5)",
      "elections/steering/2027/election.yaml: exception_dues: warning: "
      "unknown field, ignored; did you mean 'exception_due'? (line 16)"},
     [](const core::Snapshot &s) {
       // As in Elekto, the misspelled keys have no effect: the defaults.
       const core::Election *e = s.find("steering/2027");
       BOOST_TEST_REQUIRE(e);
       BOOST_TEST(e->no_winners == 1);
       BOOST_TEST(e->exception_due == e->start);
     }},
    {"exception-due-after-end",
     {"elections/code-of-conduct/2027/election.yaml: exception_due: warning: "
      "after end_datetime: exception requests close at the end, 2027-08-15 "
      "11:59:59 UTC"},
     [](const core::Snapshot &s) {
       const core::Election *e = s.find("code-of-conduct/2027");
       BOOST_TEST_REQUIRE(e);
       BOOST_TEST(e->exception_due == utc("2027-08-15 11:59:59"));
       BOOST_TEST(e->exception_due == e->end);
     }},
    {"more-seats-than-candidates",
     {"elections/steering/2027/election.yaml: no_winners: warning: 4 seats "
      "but only 3 candidates: everyone ranked is elected"},
     [](const core::Snapshot &s) {
       // The seats stay 4; the count elects all three and says so
       // (tally_test more_seats_than_candidates_elects_everyone_and_says_so).
       const core::Election *e = s.find("steering/2027");
       BOOST_TEST_REQUIRE(e);
       BOOST_TEST(e->no_winners == 4);
       BOOST_TEST_REQUIRE(e->questions.size() == 1u);
       BOOST_TEST(e->questions[0].winners == 4);
       BOOST_TEST(e->questions[0].answers.size() == 3u);
     }},
    {"page-word-folders",
     {"elections/subprojects/vote/election.yaml: warning: folder name 'vote' "
      "is also the name of urna's vote page (/elections/<id>/vote); served at "
      "/elections/subprojects/vote because 'subprojects' is not an election. "
      "To avoid the clash: git mv elections/subprojects/vote "
      "elections/subprojects/vote-election"},
     [](const core::Snapshot &s) {
       // Both are in the snapshot under their folder names (the web routes
       // serve them: web_test router_prefers_an_election_that_exists).
       BOOST_TEST(s.find("results") != nullptr);
       BOOST_TEST(s.find("subprojects/vote") != nullptr);
     }},
    {"candidate-quirks",
     {"elections/steering/2027/candidate-ben.md: ID: warning: 'Ben' differs "
      "from the file name's 'ben' in case only; using 'ben' (line 3)",
      "elections/steering/2027/candidate-cid.md: pronouns: warning: unknown "
      "field, ignored (line 7)"},
     [](const core::Snapshot &s) {
       const core::Election *e = s.find("steering/2027");
       BOOST_TEST_REQUIRE(e);
       BOOST_TEST_REQUIRE(e->candidates.size() == 3u);
       BOOST_TEST(e->candidates[1].id == "ben");
       BOOST_TEST(e->show_candidate_fields == (std::vector<std::string>{"employer", "slack"}));
     }},
    {"voters-quirks",
     {"elections/steering/2027/voters.yaml: eligible_voters[1]: warning: "
      "empty entry, skipped",
      "elections/steering/2027/voters.yaml: eligible_voters[3]: warning: "
      "'bob' is listed twice (line 5)",
      "elections/steering/2027/voters.yaml: not_eligible_anymore: warning: "
      "unknown field, ignored (line 7)"},
     [](const core::Snapshot &s) {
       const core::Election *e = s.find("steering/2027");
       BOOST_TEST_REQUIRE(e);
       BOOST_TEST(e->voters.size() == 3u);
       BOOST_TEST(s.eligible(*e, "BOB"));
       BOOST_TEST(!s.eligible(*e, "dave"));
     }},
    {"both-definitions",
     {"elections/steering/2027/election.json: warning: ignored: election.yaml "
      "is read (as Elekto does); remove one of the two"},
     [](const core::Snapshot &s) {
       const core::Election *e = s.find("steering/2027");
       BOOST_TEST_REQUIRE(e);
       BOOST_TEST(e->name == "2027 Steering Committee Election");
     }},
};

BOOST_AUTO_TEST_CASE(elekto_quirk_fixtures) {
  const std::string dir = urna::testing::srcdir() + "/t/unit/meta_fixtures/elekto-quirks/";
  size_t folders = 0;
  for (const auto &entry : std::filesystem::directory_iterator(dir))
    if (entry.is_directory()) ++folders;
  BOOST_TEST(folders == std::size(kQuirkFixtures));  // every folder is here
  for (const QuirkFixture &q : kQuirkFixtures) {
    meta::LoadResult r = meta::load_repository(dir + q.folder, "elections");
    BOOST_TEST_CONTEXT(q.folder << show(r)) {
      BOOST_TEST(r.ok());
      BOOST_TEST(!r.ok_strict());
      std::string want;
      for (const auto &line : q.report) want += line + "\n";
      BOOST_TEST(r.report() == want);
      q.runs_correctly(r.snapshot);
    }
  }
}

BOOST_AUTO_TEST_CASE(nearest_name_suggests_only_near_keys) {
  const std::vector<std::string> keys = {"exception_due", "end_datetime", "no_winners", "name"};
  BOOST_TEST(meta::nearest_name("exception_dues", keys) == "exception_due");
  BOOST_TEST(meta::nearest_name("Exception-Due", keys) == "exception_due");
  BOOST_TEST(meta::nearest_name("no_winner", keys) == "no_winners");
  BOOST_TEST(meta::nearest_name("end_date", keys) == "end_datetime");
  BOOST_TEST(meta::nearest_name("nmae", keys) == "name");
  BOOST_TEST(meta::nearest_name("colour", keys) == "");
  BOOST_TEST(meta::nearest_name("end", keys) == "");  // too short a prefix
  BOOST_TEST(meta::nearest_name("", keys) == "");
  BOOST_TEST(meta::nearest_name("x", keys) == "");
}

BOOST_AUTO_TEST_CASE(issues_name_the_election_they_concern) {
  TempDir d;
  base(d);
  d.write("elections/uni/p/election.yaml", child("P", "colour: red\n"));
  d.write("elections/uni/voters.yaml", "eligible_voters: [a]\nx: 1\n");
  d.write("elections/stray/election.yml", "name: Stray\n");
  meta::LoadResult r = meta::load_repository(d.path(), "elections");
  BOOST_TEST_INFO(show(r));
  BOOST_TEST_REQUIRE(r.issues.size() == 3u);
  std::map<std::string, std::string> election_of;
  for (const auto &i : r.issues) election_of[i.file] = i.election;
  BOOST_TEST(election_of["elections/uni/p/election.yaml"] == "uni/p");
  BOOST_TEST(election_of["elections/uni/voters.yaml"] == "uni");
  BOOST_TEST(election_of["elections/stray/election.yml"] == "");
}

BOOST_AUTO_TEST_CASE(an_exception_due_past_the_end_closes_at_the_end) {
  TempDir d;
  base(d);
  solo(d, "exception_due: 2026-02-01", "exception_due: 2026-04-01");
  // A child that ends before its parent's exception_due inherits it and
  // closes at its own end, silently (the parent's date is valid for it).
  uni_add(d, "exception_due: 2026-02-20 00:00:00\n");
  d.write("elections/uni/p/election.yaml", child("P", "end_datetime: 2026-02-10 00:00:00\n"));
  meta::LoadResult r = meta::load_repository(d.path(), "elections");
  BOOST_TEST_INFO(show(r));
  BOOST_TEST(r.ok());
  BOOST_TEST(r.issues.size() == 1u);  // solo's exception_due
  const core::Election *solo_e = r.snapshot.find("solo");
  BOOST_TEST_REQUIRE(solo_e);
  BOOST_TEST(solo_e->exception_due == solo_e->end);
  const core::Election *p = r.snapshot.find("uni/p");
  BOOST_TEST_REQUIRE(p);
  BOOST_TEST(p->exception_due == p->end);
  BOOST_TEST(r.snapshot.find("uni")->exception_due < r.snapshot.find("uni")->end);
}

BOOST_AUTO_TEST_CASE(a_page_word_at_the_top_is_served_without_a_warning) {
  TempDir d;
  base(d);
  d.write("elections/results/election.yaml", kSolo);
  d.write("elections/results/voters.yaml", "eligible_voters: [a]\n");
  d.write("elections/results/candidate-a.md", cand("a", "A"));
  d.write("elections/results/candidate-b.md", cand("b", "B"));
  meta::LoadResult r = meta::load_repository(d.path(), "elections");
  BOOST_TEST_INFO(show(r));
  BOOST_TEST(r.ok_strict());
  BOOST_TEST(r.snapshot.find("results") != nullptr);
}

BOOST_AUTO_TEST_CASE(one_bad_election_does_not_hide_the_others) {
  TempDir d;
  base(d);
  solo(d, "end_datetime: 2026-03-01", "end_datetime: 2025-12-31");
  d.write("elections/other/2026/candidate-y.md", "---\nID: y\n---\n");
  d.write("elections/uni/p/voters.yaml", "eligible_voters: [a]\n");
  meta::LoadResult r = meta::load_repository(d.path(), "elections");
  BOOST_TEST_INFO(show(r));
  BOOST_TEST(!r.ok());
  BOOST_TEST(meta::count_errors(r.issues) == 3u);
  std::string report = r.report();
  BOOST_TEST(report.find(
                 "elections/solo/election.yaml: end_datetime: must be after") !=
             std::string::npos);
  BOOST_TEST(report.find("elections/other/2026/candidate-y.md: name: missing") !=
             std::string::npos);
  BOOST_TEST(
      report.find(
          "elections/uni/p/voters.yaml: a child election has no voter list") !=
      std::string::npos);
}

// Every bidirectional control is named; right-to-left text itself (Hebrew,
// Arabic letters) is welcome and loads without an issue.
BOOST_AUTO_TEST_CASE(bidi_controls_are_refused_and_rtl_text_is_not) {
  const std::pair<const char *, const char *> controls[] = {
      {"\u202A", "U+202A"}, {"\u202B", "U+202B"}, {"\u202C", "U+202C"}, {"\u202D", "U+202D"},
      {"\u202E", "U+202E"}, {"\u2066", "U+2066"}, {"\u2067", "U+2067"}, {"\u2068", "U+2068"},
      {"\u2069", "U+2069"}, {"\u200E", "U+200E"}, {"\u200F", "U+200F"}, {"\u061C", "U+061C"},
  };
  for (const auto &[utf8, name] : controls) {
    const std::string problem = meta::bidi_control_problem(std::string("ab") + utf8 + "cd");
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST(problem.find(std::string("control character ") + name) != std::string::npos);
    }
  }
  // The first one in the text is named.
  BOOST_TEST(meta::bidi_control_problem("x\u2066y\u202Ez").find("U+2066") != std::string::npos);
  for (const char *fine : {"Solo", "\u05E9\u05DC\u05D5\u05DD", "\u0645\u0631\u062D\u0628\u0627",
                           "Zoë \u2014 \u201Cquoted\u201D", "\u200D\u200B", ""})
    BOOST_TEST(meta::bidi_control_problem(fine).empty(), fine);

  TempDir d;
  base(d);
  solo(d, "name: Solo", "name: \"\u05D1\u05D7\u05D9\u05E8\u05D5\u05EA 2026\"");
  d.write("elections/solo/candidate-ben.md", cand("ben", "\u0628\u0646"));
  meta::LoadResult r = meta::load_repository(d.path(), "elections");
  BOOST_TEST_INFO(show(r));
  BOOST_TEST(r.ok());
  BOOST_TEST(r.issues.empty());
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
