// src/import: Sequent's election-creation JSON -> urna's metadata layout.
// Good inputs (the fixtures of t/data/sequent, in every order of the list,
// with tallyPipesConfig as an object or as JSON text), what each writes and
// that src/meta's loader accepts it; then broken inputs, each with its exact
// error naming the election and the field.
#define BOOST_TEST_MODULE import
#include <json/json.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <functional>
#include <sstream>

#include "import/sequent.h"
#include "import/tree.h"
#include "meta/loader.h"
#include "t/unit/meta_fixture.h"

using urna::import::import_sequent;
using urna::import::ImportError;
using urna::import::ImportOptions;
using urna::import::ImportResult;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(urna::testing::srcdir() + "/t/data/sequent/" + name);
  if (!in) throw std::runtime_error("missing fixture t/data/sequent/" + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Json::Value parse(const std::string& text) {
  Json::Value v;
  std::istringstream in(text);
  in >> v;
  return v;
}

std::string dump(const Json::Value& v) {
  Json::StreamWriterBuilder b;
  b["indentation"] = " ";
  return Json::writeString(b, v);
}

Json::Value university() { return parse(fixture("university.json")); }

// The element of the list with this id.
Json::Value& by_id(Json::Value& list, int id) {
  for (auto& e : list)
    if (e["id"].asInt() == id) return e;
  throw std::runtime_error("no election " + std::to_string(id));
}

const std::string P = "elections/electoral-process";
const std::string S = P + "/students-election";
const std::string F = P + "/professors-election";

std::vector<std::string> keys(const ImportResult& r) {
  std::vector<std::string> k;
  for (const auto& f : r.files) k.push_back(f.first);
  return k;
}

// The text of `file` from the line starting with `from` up to (not
// including) the next line starting with `to` (or the end).
std::string section(const std::string& file, const std::string& from, const std::string& to) {
  size_t a = file.find("\n" + from);
  if (a == std::string::npos) return "";
  ++a;
  size_t b = to.empty() ? std::string::npos : file.find("\n" + to, a);
  return file.substr(a, b == std::string::npos ? std::string::npos : b + 1 - a);
}

bool has_line(const std::vector<std::string>& v, const std::string& line) {
  return std::find(v.begin(), v.end(), line) != v.end();
}

// Writes the import to a fresh folder and loads it as urna-sync --check does.
urna::meta::LoadResult load(const ImportResult& r, const urna::testing::TempDir& dir) {
  urna::import::write_tree(dir / "repo", r.files);
  return urna::meta::load_repository(dir / "repo", "elections");
}

}  // namespace

BOOST_AUTO_TEST_CASE(university_layout) {
  ImportResult r = import_sequent(fixture("university.json"));
  BOOST_TEST(keys(r) == (std::vector<std::string>{P + "/election.yaml", P + "/election_desc.md",
                                                  F + "/election.yaml", S + "/election.yaml",
                                                  P + "/voters.yaml", "sequent-import.md"}),
             boost::test_tools::per_element());
  BOOST_TEST(
      r.elections == (std::vector<std::string>{
                         "100 -> " + P +
                             " (parent; pipes' election indexes: 0 = this election, 1 = "
                             "students-election (101), 2 = professors-election (102))",
                         "101 -> " + S + " (child of 100)", "102 -> " + F + " (child of 100)"}),
      boost::test_tools::per_element());
  const std::string& parent = r.files[P + "/election.yaml"];
  BOOST_TEST(section(parent, "name:", "questions:") ==
             "name: \"Electoral Process\"\n"
             "start_datetime: \"2027-03-01T09:00:00\"\n"
             "end_datetime: \"2027-03-08T18:00:00\"\n"
             "children:\n"
             "  - students-election\n"
             "  - professors-election\n"
             "categories:\n"
             "  - title: \"Sectors\"\n"
             "    children: [students-election, professors-election]\n");
  BOOST_TEST(r.files[P + "/election_desc.md"] ==
             "University elections: dean, students' and faculty representatives.\n");
  BOOST_TEST(r.files[P + "/voters.yaml"] ==
             "# Imported by urna-import from the census of Sequent election 100.\n"
             "eligible_voters:\n"
             "  - id: \"student1@example.com\"\n"
             "    children: [students-election]\n"
             "  - id: \"student2@example.com\"\n"
             "    children: [students-election]\n"
             "  - id: \"professor1@example.com\"\n"
             "    children: [professors-election]\n"
             "  - id: \"teaching.assistant@example.com\"\n"
             "    children: [students-election, professors-election]\n");
  // A child inherits the parent's dates; its questions by position.
  BOOST_TEST(r.files[F + "/election.yaml"] ==
             "# Imported by urna-import from Sequent election 102.\n"
             "name: \"Professors election\"\n"
             "questions:\n"
             "  - id: q1\n"
             "    title: \"Q1: Do you want John to be the University Dean?\"\n"
             "    method: plurality\n"
             "    answers:\n"
             "      - id: \"0\"\n"
             "        text: \"Yes\"\n"
             "      - id: \"1\"\n"
             "        text: \"No\"\n"
             "  - id: q2\n"
             "    title: \"Q3: Do you want Robert to be the Faculty representative?\"\n"
             "    method: plurality\n"
             "    answers:\n"
             "      - id: \"0\"\n"
             "        text: \"Yes\"\n"
             "      - id: \"1\"\n"
             "        text: \"No\"\n");
}

BOOST_AUTO_TEST_CASE(university_pipes_rewritten) {
  ImportResult r = import_sequent(fixture("university.json"));
  const std::string& parent = r.files[P + "/election.yaml"];
  // duplicate_questions (parent question 0 into 1 and 2, no ballots): two
  // declared copies, in Sequent's positions.
  size_t at = 0;
  std::vector<std::string> ids;
  while ((at = parent.find("\n  - id: ", at)) != std::string::npos) {
    at += 9;
    ids.push_back(parent.substr(at, parent.find('\n', at) - at));
  }
  BOOST_TEST(ids == (std::vector<std::string>{"q1", "q1-copy1", "q1-copy2", "q2", "q3"}),
             boost::test_tools::per_element());
  BOOST_TEST(parent.find("  # tallyPipesConfig.pipes[0].params.duplications[0]: parent question "
                         "0 copied to 1 with no ballots\n  - id: q1-copy1\n") != std::string::npos);
  BOOST_TEST(section(parent, "pipes:", "") ==
             "pipes:\n"
             "  # tallyPipesConfig.pipes[1].params.modifications[0]: set-title on parent "
             "question 0\n"
             "  - type: apply_modifications\n"
             "    question: q1\n"
             "    action: set-title\n"
             "    value: \"Q1 all: Do you want John to be the University Dean?\"\n"
             "  # tallyPipesConfig.pipes[1].params.modifications[1]: set-title on parent "
             "question 1\n"
             "  - type: apply_modifications\n"
             "    question: q1-copy1\n"
             "    action: set-title\n"
             "    value: \"Q1 students: Do you want John to be the University Dean?\"\n"
             "  # tallyPipesConfig.pipes[1].params.modifications[2]: set-title on parent "
             "question 2\n"
             "  - type: apply_modifications\n"
             "    question: q1-copy2\n"
             "    action: set-title\n"
             "    value: \"Q1 professors: Do you want John to be the University Dean?\"\n"
             "  # tallyPipesConfig.pipes[2].params.mappings[0]: election index 1 (101) "
             "question 0 -> parent question 0\n"
             "  - type: multipart_tally_plaintexts_append_joiner\n"
             "    source_election: students-election\n"
             "    source_question: q1\n"
             "    question: q1\n"
             "  # tallyPipesConfig.pipes[2].params.mappings[1]: election index 1 (101) "
             "question 0 -> parent question 1\n"
             "  - type: multipart_tally_plaintexts_append_joiner\n"
             "    source_election: students-election\n"
             "    source_question: q1\n"
             "    question: q1-copy1\n"
             "  # tallyPipesConfig.pipes[2].params.mappings[2]: election index 2 (102) "
             "question 0 -> parent question 0\n"
             "  - type: multipart_tally_plaintexts_append_joiner\n"
             "    source_election: professors-election\n"
             "    source_question: q1\n"
             "    question: q1\n"
             "  # tallyPipesConfig.pipes[2].params.mappings[3]: election index 2 (102) "
             "question 0 -> parent question 2\n"
             "  - type: multipart_tally_plaintexts_append_joiner\n"
             "    source_election: professors-election\n"
             "    source_question: q1\n"
             "    question: q1-copy2\n"
             "  # tallyPipesConfig.pipes[2].params.mappings[4]: election index 1 (101) "
             "question 1 -> parent question 3\n"
             "  - type: multipart_tally_plaintexts_append_joiner\n"
             "    source_election: students-election\n"
             "    source_question: q2\n"
             "    question: q2\n"
             "  # tallyPipesConfig.pipes[2].params.mappings[5]: election index 2 (102) "
             "question 1 -> parent question 4\n"
             "  - type: multipart_tally_plaintexts_append_joiner\n"
             "    source_election: professors-election\n"
             "    source_question: q2\n"
             "    question: q3\n"
             "  - type: do_tallies\n"
             "  - type: sort_non_iterative\n");
}

// Pipes' election indexes follow ascending ids, not the natural order.
BOOST_AUTO_TEST_CASE(pipe_indexes_follow_ids_not_natural_order) {
  Json::Value u = university();
  Json::Value& order = by_id(u, 100)["children_election_info"]["natural_order"];
  order[0] = 102;
  order[1] = 101;
  ImportResult r = import_sequent(dump(u));
  const std::string& parent = r.files[P + "/election.yaml"];
  BOOST_TEST(section(parent, "children:", "categories:") ==
             "children:\n  - professors-election\n  - students-election\n");
  BOOST_TEST(parent.find("mappings[0]: election index 1 (101) question 0 -> parent question "
                         "0\n  - type: multipart_tally_plaintexts_append_joiner\n    "
                         "source_election: students-election\n") != std::string::npos);
  // A voter's children follow the natural order.
  BOOST_TEST(r.files[P + "/voters.yaml"].find(
                 "teaching.assistant@example.com\"\n    children: [professors-election, "
                 "students-election]\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(urna_loader_accepts_it) {
  urna::testing::TempDir dir;
  ImportResult r = import_sequent(fixture("university.json"));
  urna::meta::LoadResult l = load(r, dir);
  BOOST_TEST_INFO(l.report());
  BOOST_TEST(l.ok());
  const urna::core::Election* p = l.snapshot.find("electoral-process");
  BOOST_TEST_REQUIRE(p != nullptr);
  BOOST_TEST(p->children == (std::vector<std::string>{"electoral-process/students-election",
                                                      "electoral-process/professors-election"}),
             boost::test_tools::per_element());
  std::vector<std::string> titles;
  for (const auto& q : p->questions) titles.push_back(q.id + " " + q.title);
  BOOST_TEST(titles == (std::vector<std::string>{
                           "q1 Q1 all: Do you want John to be the University Dean?",
                           "q1-copy1 Q1 students: Do you want John to be the University Dean?",
                           "q1-copy2 Q1 professors: Do you want John to be the University Dean?",
                           "q2 Q2: Do you want Mary to be the Students' Representative?",
                           "q3 Q3: Do you want Robert to be the Faculty representative?"}),
             boost::test_tools::per_element());
  BOOST_TEST(p->pipes.size() == 11u);
  BOOST_TEST(p->voters.size() == 4u);
  BOOST_TEST(p->categories.size() == 1u);
  const urna::core::Election* s = l.snapshot.find("electoral-process/students-election");
  BOOST_TEST_REQUIRE(s != nullptr);
  BOOST_TEST(s->questions.size() == 2u);
  BOOST_TEST(l.snapshot.eligible(*s, "teaching.assistant@example.com"));
  BOOST_TEST(!l.snapshot.eligible(*s, "professor1@example.com"));

  urna::testing::TempDir dir2;
  urna::meta::LoadResult n = load(import_sequent(fixture("negative-ids.json")), dir2);
  BOOST_TEST_INFO(n.report());
  BOOST_TEST(n.ok());
}

BOOST_AUTO_TEST_CASE(order_of_the_list_does_not_matter) {
  for (const char* name : {"university.json", "negative-ids.json"}) {
    const Json::Value list = parse(fixture(name));
    const ImportResult first = import_sequent(dump(list));
    std::vector<Json::ArrayIndex> perm(list.size());
    for (Json::ArrayIndex i = 0; i < perm.size(); ++i) perm[i] = i;
    int n = 0;
    do {
      Json::Value shuffled(Json::arrayValue);
      for (auto i : perm) shuffled.append(list[i]);
      const ImportResult r = import_sequent(dump(shuffled));
      BOOST_TEST_INFO(name << " permutation " << n);
      BOOST_TEST((r.files == first.files));
      BOOST_TEST(r.not_carried == first.not_carried, boost::test_tools::per_element());
      ++n;
    } while (std::next_permutation(perm.begin(), perm.end()));
    BOOST_TEST(n == (list.size() == 3 ? 6 : 2));
  }
}

BOOST_AUTO_TEST_CASE(negative_ids_are_assigned_and_resolve) {
  ImportResult r = import_sequent(fixture("negative-ids.json"));
  const std::string P2 = "elections/parent-election";
  BOOST_TEST(r.elections == (std::vector<std::string>{
                                "-1 (assigned 1) -> " + P2 +
                                    " (parent; pipes' election indexes: 0 = this election, 1 "
                                    "= senate (-2))",
                                "-2 (assigned 2) -> " + P2 + "/senate (child of -1)"}),
             boost::test_tools::per_element());
  const std::string& parent = r.files[P2 + "/election.yaml"];
  BOOST_TEST(section(parent, "children:", "questions:") ==
             "children:\n  - senate\ncategories:\n  - title: \"Senate\"\n    children: "
             "[senate]\n");
  BOOST_TEST(r.files[P2 + "/voters.yaml"].find("  - id: \"john@example.com\"\n    children: "
                                               "[senate]\n") != std::string::npos);
  // No tallyPipesConfig: Sequent's default pipes, said out loud.
  BOOST_TEST(section(parent, "pipes:", "") ==
             "pipes:\n  - type: do_tallies\n  - type: sort_non_iterative\n");
  BOOST_TEST(has_line(r.not_carried,
                      "election -1: tallyPipesConfig: missing: nothing adds the children's "
                      "ballots to the parent's questions, so its results count no ballots, as "
                      "in Sequent (without questions: and pipes: urna would add up its "
                      "children's same-id questions)"));
  BOOST_TEST(has_line(r.not_carried,
                      "election -1: num_successful_logins_allowed: 1 (urna lets voters sign in "
                      "and re-cast until the end)"));
  BOOST_TEST(has_line(r.not_carried,
                      "election -1: census.voters[].metadata.name: on 1 voter(s) (urna's voter "
                      "list holds logins and children only)"));

  // Negative ids are assigned above the positive ones, -1 first.
  Json::Value list = parse(fixture("negative-ids.json"));
  Json::Value other = by_id(list, -2);
  other["id"] = 7;
  other.removeMember("parent_id");
  other["title"] = "Budget";
  list.append(other);
  r = import_sequent(dump(list));
  BOOST_TEST(r.elections[0] == "7 -> elections/budget");
  BOOST_TEST(r.elections[1].rfind("-1 (assigned 8) -> " + P2, 0) == 0);
  BOOST_TEST(r.elections[2] == "-2 (assigned 9) -> " + P2 + "/senate (child of -1)");
}

BOOST_AUTO_TEST_CASE(tally_pipes_config_as_object_or_json_text) {
  Json::Value u = university();
  // 102's is JSON text in the fixture; make it an object, and the parent's
  // text: the same import.
  Json::Value& prof = by_id(u, 102);
  prof["tallyPipesConfig"] = parse(prof["tallyPipesConfig"].asString());
  Json::Value& parent = by_id(u, 100);
  parent["tallyPipesConfig"] =
      Json::Value(Json::writeString(Json::StreamWriterBuilder(), parent["tallyPipesConfig"]));
  BOOST_TEST_REQUIRE(parent["tallyPipesConfig"].isString());
  const ImportResult a = import_sequent(fixture("university.json"));
  const ImportResult b = import_sequent(dump(u));
  BOOST_TEST((a.files == b.files));
  BOOST_TEST(a.not_carried == b.not_carried, boost::test_tools::per_element());

  // A child's pipe other than do_tallies / sort_non_iterative, in JSON text.
  prof["tallyPipesConfig"] =
      "{\"version\": \"1.0\", \"pipes\": [{\"type\": \"tally_pipes.pipes.pdf.configure_pdf\", "
      "\"params\": {\"title\": \"T\"}}]}";
  const ImportResult c = import_sequent(dump(u));
  BOOST_TEST(has_line(c.not_carried,
                      "election 102: tallyPipesConfig.pipes[0]: "
                      "{\"params\":{\"title\":\"T\"},\"type\":\"tally_pipes.pipes.pdf.configure_"
                      "pdf\"} (urna's pipes build only a parent's results; this election's "
                      "results are its own tally)"));
}

BOOST_AUTO_TEST_CASE(not_carried_over_is_listed) {
  ImportResult r = import_sequent(fixture("university.json"));
  for (const std::string& line : {
           std::string("election 100: authorities: [\"test-a2\"] (Sequent's trustees; urna "
                       "seals ballots to one key (urna-tally --keygen))"),
           std::string("election 100: director: \"test-a1\" (Sequent's tally authority; urna "
                       "counts with urna-tally on the key holder's host)"),
           std::string("election 100: presentation.theme: \"default\" (Sequent's page theme)"),
           std::string("election 100: children_election_info.presentation.categories[0]."
                       "events[0].title: \"Students\" (urna shows the child's own name)"),
           std::string("election 100: census.auth_method: \"email\" (urna's login is set for "
                       "the whole instance in urna.conf; the voter ids are written as logins)"),
           std::string("election 101: questions[1].layout: \"simple\" (Sequent's booth layout; "
                       "urna has one booth)"),
       })
    BOOST_TEST(has_line(r.not_carried, line), line);
  BOOST_TEST(r.report.find("## Not carried over\n") != std::string::npos);
  BOOST_TEST(r.files["sequent-import.md"] == r.report);
  // An empty field is named too (never dropped silently).
  bool empties = false;
  for (const auto& l : r.not_carried)
    empties |= l.rfind("election 102: empty, nothing to carry over: ", 0) == 0 &&
               l.find("logo_url") != std::string::npos;
  BOOST_TEST(empties);

  // Pipes urna cannot express: listed, and what depends on them refused.
  Json::Value u = university();
  Json::Value& pipes = by_id(u, 100)["tallyPipesConfig"]["pipes"];
  Json::Value ties;
  ties["type"] = "tally_pipes.pipes.ties.break_ties";
  ties["params"] = Json::objectValue;
  pipes.append(ties);
  pipes[3]["params"]["question_indexes"] = Json::arrayValue;
  pipes[3]["params"]["question_indexes"].append(0);
  r = import_sequent(dump(u));
  BOOST_TEST(has_line(r.not_carried,
                      "election 100: tallyPipesConfig.pipes[5]: {\"params\":{},\"type\":\"tally_"
                      "pipes.pipes.ties.break_ties\"} (urna has no such pipe; urna's pipes are "
                      "duplicate_questions, apply_modifications, "
                      "multipart_tally_plaintexts_append_joiner, do_tallies, "
                      "sort_non_iterative)"));
  BOOST_TEST(has_line(r.not_carried,
                      "election 100: tallyPipesConfig.pipes[3].params: "
                      "{\"question_indexes\":[0]} (urna's do_tallies takes none)"));
}

// duplicate_questions with ballots after a join: the copy gets the same
// joins; later modifications of the source are its own.
BOOST_AUTO_TEST_CASE(copy_with_ballots_replays_the_joins) {
  Json::Value u = university();
  Json::Value& pipes = by_id(u, 100)["tallyPipesConfig"]["pipes"];
  Json::Value dup = pipes[0];
  dup["params"]["duplications"][0]["zero_plaintexts"] = false;
  dup["params"]["duplications"][0]["duplicated_question_indexes"] = Json::arrayValue;
  dup["params"]["duplications"][0]["duplicated_question_indexes"].append(5);
  pipes.insert(3, dup);  // after the joiner: parent question 0 has both q1s
  ImportResult r = import_sequent(dump(u));
  const std::string& parent = r.files[P + "/election.yaml"];
  BOOST_TEST(parent.find("  - id: q1-copy3\n") != std::string::npos);
  const std::string tail = section(section(parent, "pipes:", ""), "  # tallyPipesConfig.pipes[3]",
                                   "  - type: do_tallies");
  BOOST_TEST(tail ==
             "  # tallyPipesConfig.pipes[3].params.duplications[0]: parent question 0 copied "
             "to 5, as it was changed so far\n"
             "  - type: apply_modifications\n"
             "    question: q1-copy3\n"
             "    action: set-title\n"
             "    value: \"Q1 all: Do you want John to be the University Dean?\"\n"
             "  # tallyPipesConfig.pipes[3].params.duplications[0]: parent question 0 copied "
             "to 5, as it was changed so far\n"
             "  - type: multipart_tally_plaintexts_append_joiner\n"
             "    source_election: students-election\n"
             "    source_question: q1\n"
             "    question: q1-copy3\n"
             "  # tallyPipesConfig.pipes[3].params.duplications[0]: parent question 0 copied "
             "to 5, as it was changed so far\n"
             "  - type: multipart_tally_plaintexts_append_joiner\n"
             "    source_election: professors-election\n"
             "    source_question: q1\n"
             "    question: q1-copy3\n");
  urna::testing::TempDir dir;
  urna::meta::LoadResult l = load(r, dir);
  BOOST_TEST_INFO(l.report());
  BOOST_TEST(l.ok());
}

BOOST_AUTO_TEST_CASE(methods) {
  Json::Value u = university();
  Json::Value& q = by_id(u, 101)["questions"][0];
  Json::Value third = q["answers"][1];
  third["id"] = 2;
  third["text"] = "Abstain";
  third["sort_order"] = -1;  // answers are written in sort_order
  q["answers"].append(third);
  q["max"] = 2;
  q["min"] = 1;
  q["num_winners"] = 2;
  // The parent adds this question to its own: keep the answers equal.
  for (int id : {100, 102}) by_id(u, id)["questions"][0]["answers"].append(third);
  ImportResult r = import_sequent(dump(u));
  BOOST_TEST(section(r.files[S + "/election.yaml"], "  - id: q1", "  - id: q2") ==
             "  - id: q1\n"
             "    title: \"Q1: Do you want John to be the University Dean?\"\n"
             "    method: approval\n"
             "    winners: 2\n"
             "    min_selections: 1\n"
             "    max_selections: 2\n"
             "    answers:\n"
             "      - id: \"2\"\n"
             "        text: \"Abstain\"\n"
             "      - id: \"0\"\n"
             "        text: \"Yes\"\n"
             "      - id: \"1\"\n"
             "        text: \"No\"\n");
  q["tally_type"] = "borda";
  r = import_sequent(dump(u));
  BOOST_TEST(r.files[S + "/election.yaml"].find(
                 "    method: borda\n    winners: 2\n    answers:") != std::string::npos);
  BOOST_TEST(has_line(r.not_carried,
                      "election 101: questions[0].max: 2 (urna's borda lets a "
                      "voter rank every answer)"));
}

BOOST_AUTO_TEST_CASE(write_tree_refuses_a_folder_in_use) {
  urna::testing::TempDir dir;
  urna::import::write_tree(dir / "out", {{"a/b.txt", "x"}});
  std::ifstream in(dir / "out/a/b.txt");
  std::string s;
  in >> s;
  BOOST_TEST(s == "x");
  BOOST_CHECK_EXCEPTION(urna::import::write_tree(dir / "out", {{"c.txt", "y"}}), std::runtime_error,
                        [&](const std::runtime_error& e) {
                          return std::string(e.what()) ==
                                 dir / "out" +
                                     ": the folder is not empty (the import writes a new one)";
                        });
  BOOST_CHECK_THROW(urna::import::write_tree(dir / "new", {{"../x", "y"}}), std::runtime_error);
}

// ---- broken inputs: each error names the election and the field ----

struct Broken {
  const char* what;
  std::function<void(Json::Value&)> change;
  std::string error;
};

BOOST_AUTO_TEST_CASE(broken_files) {
  const std::string order_msg =
      "not in ascending order (Sequent's validator requires it; the pipes' election indexes "
      "1.. follow it)";
  auto mapping = [](Json::Value& u, int m) -> Json::Value& {
    return by_id(u, 100)["tallyPipesConfig"]["pipes"][2]["params"]["mappings"][m];
  };
  const std::vector<Broken> cases = {
      {"not a list", [](Json::Value& u) { u = Json::objectValue; },
       "the file: expected a JSON list of elections"},
      {"empty list", [](Json::Value& u) { u = Json::arrayValue; },
       "the file: the list of elections is empty"},
      {"no id", [](Json::Value& u) { u[1].removeMember("id"); },
       "election at list position 1: id: missing"},
      {"id as text", [](Json::Value& u) { u[1]["id"] = "100"; },
       "election at list position 1: id: expected an election id (a whole number), got "
       "\"100\""},
      {"id twice", [](Json::Value& u) { u[2]["id"] = 102; },
       "election 102: id: used twice in the list (positions 0 and 2)"},
      {"no title", [](Json::Value& u) { by_id(u, 102).removeMember("title"); },
       "election 102: title: missing"},
      {"unknown parent", [](Json::Value& u) { by_id(u, 101)["parent_id"] = 999; },
       "election 101: parent_id: no election 999 in the list"},
      {"parent does not list the child",
       [](Json::Value& u) {
         Json::Value c = by_id(u, 101);
         c["id"] = 103;
         u.append(c);
       },
       "election 103: parent_id: election 100 does not list 103 in virtualSubelections"},
      {"grandchild",
       [](Json::Value& u) {
         Json::Value c = by_id(u, 101);
         c["id"] = 103;
         c["parent_id"] = 101;
         u.append(c);
         by_id(u, 101)["virtualSubelections"].append(103);
       },
       "election 103: parent_id: election 101 is itself a child; urna has one level of "
       "children"},
      {"subelection without parent_id",
       [](Json::Value& u) { by_id(u, 102).removeMember("parent_id"); },
       "election 100: virtualSubelections[1]: election 102 has no parent_id"},
      {"subelections unsorted",
       [](Json::Value& u) {
         Json::Value& s = by_id(u, 100)["virtualSubelections"];
         s[0] = 102;
         s[1] = 101;
       },
       "election 100: virtualSubelections[1]: " + order_msg},
      {"parent not virtual", [](Json::Value& u) { by_id(u, 100)["virtual"] = false; },
       "election 100: virtual: false, but the election has virtualSubelections (a parent is "
       "virtual)"},
      {"natural order misses a child",
       [](Json::Value& u) {
         Json::Value& o = by_id(u, 100)["children_election_info"]["natural_order"];
         o.resize(1);
       },
       "election 100: children_election_info.natural_order: election 102 (in "
       "virtualSubelections) is missing"},
      {"natural order names a stranger",
       [](Json::Value& u) { by_id(u, 100)["children_election_info"]["natural_order"][1] = 7; },
       "election 100: children_election_info.natural_order[1]: 7 is not in "
       "virtualSubelections"},
      {"category event unknown",
       [](Json::Value& u) {
         by_id(u, 100)["children_election_info"]["presentation"]["categories"][0]["events"][1]
                      ["event_id"] = 999;
       },
       "election 100: children_election_info.presentation.categories[0].events[1].event_id: 999 "
       "is not a child of election 100"},
      {"voter assigned to a stranger",
       [](Json::Value& u) {
         by_id(u, 100)["census"]["voters"][2]["metadata"]["children_event_id_list"][0] = 105;
       },
       "election 100: census.voters[2].metadata.children_event_id_list[0]: 105 is not a child "
       "of election 100"},
      {"voter without children",
       [](Json::Value& u) {
         by_id(u, 100)["census"]["voters"][1]["metadata"].removeMember("children_event_id_list");
       },
       "election 100: census.voters[1].metadata.children_event_id_list: missing or empty: in a "
       "parent every voter needs the children they vote in"},
      {"voter id with a space",
       [](Json::Value& u) {
         by_id(u, 100)["census"]["voters"][0]["metadata"]["email"] = "a b@example.com";
       },
       "election 100: census.voters[0].metadata.email: 'a b@example.com' has a space or "
       "control character; urna's logins have none"},
      {"voter twice",
       [](Json::Value& u) {
         by_id(u, 100)["census"]["voters"][3]["metadata"]["email"] = "Student1@example.com";
       },
       "election 100: census.voters[3].metadata.email: 'Student1@example.com' is already "
       "census.voters[0]"},
      {"voter without email",
       [](Json::Value& u) {
         by_id(u, 100)["census"]["voters"][2]["metadata"].removeMember("email");
       },
       "election 100: census.voters[2].metadata.email: missing"},
      {"bad date", [](Json::Value& u) { by_id(u, 100)["start_date"] = "2027-03-01 9:00"; },
       "election 100: start_date: '2027-03-01 9:00' is not a date (YYYY-MM-DDTHH:MM:SS)"},
      {"no start date", [](Json::Value& u) { by_id(u, 100).removeMember("start_date"); },
       "election 100: start_date: missing"},
      {"unknown tally type",
       [](Json::Value& u) { by_id(u, 101)["questions"][1]["tally_type"] = "cup"; },
       "election 101: questions[1].tally_type: 'cup' has no urna method (urna imports "
       "plurality-at-large and borda)"},
      {"one answer", [](Json::Value& u) { by_id(u, 101)["questions"][0]["answers"].resize(1); },
       "election 101: questions[0].answers: a question needs at least two answers"},
      {"too many winners", [](Json::Value& u) { by_id(u, 101)["questions"][0]["num_winners"] = 3; },
       "election 101: questions[0].num_winners: 3 but the question has 2 answers"},
      {"answer id twice",
       [](Json::Value& u) { by_id(u, 101)["questions"][0]["answers"][1]["id"] = 0; },
       "election 101: questions[0].answers[1].id: answer id 0 twice"},
      {"pipes text not JSON",
       [](Json::Value& u) { by_id(u, 102)["tallyPipesConfig"] = "{\"pipes\": ["; },
       "election 102: tallyPipesConfig: text that is not valid JSON: "},
      {"pipes text with a duplicate key",
       [](Json::Value& u) { by_id(u, 102)["tallyPipesConfig"] = "{\"pipes\": [], \"pipes\": []}"; },
       "election 102: tallyPipesConfig: text that is not valid JSON: Line 1, Column 15: "
       "Duplicate key: 'pipes'"},
      {"pipes not a list", [](Json::Value& u) { by_id(u, 100)["tallyPipesConfig"]["pipes"] = 3; },
       "election 100: tallyPipesConfig.pipes: expected a list, got 3"},
      {"joiner to a question that is not there",
       [&](Json::Value& u) { mapping(u, 0)["dst_question_num"] = 7; },
       "election 100: tallyPipesConfig.pipes[2].params.mappings[0].dst_question_num: 7 but "
       "there are 5 questions at this point"},
      {"joiner from a child question that is not there",
       [&](Json::Value& u) { mapping(u, 0)["source_question_num"] = 2; },
       "election 100: tallyPipesConfig.pipes[2].params.mappings[0].source_question_num: 2 but "
       "there are 2 questions at this point"},
      {"joiner from an election index past the last",
       [&](Json::Value& u) { mapping(u, 0)["source_election_id"] = 3; },
       "election 100: tallyPipesConfig.pipes[2].params.mappings[0].source_election_id: 3 but "
       "election 100 has 2 virtualSubelections (0 = the parent, 1.. = them in ascending id "
       "order)"},
      {"joiner twice", [&](Json::Value& u) { mapping(u, 1)["dst_question_num"] = 0; },
       "election 100: tallyPipesConfig.pipes[2].params.mappings[1]: election 101 question 0 is "
       "already added to parent question 0 (its ballots would be counted twice)"},
      {"joiner with other answers",
       [](Json::Value& u) {
         Json::Value& a = by_id(u, 101)["questions"][0]["answers"];
         a[0]["id"] = 5;
       },
       "election 100: tallyPipesConfig.pipes[2].params.mappings[0]: the answers of election 101 "
       "question 0 differ from those of parent question 0 (ids and order must match)"},
      {"duplicate into a question index past the end",
       [](Json::Value& u) {
         by_id(u, 100)["tallyPipesConfig"]["pipes"][0]["params"]["duplications"][0]
                      ["duplicated_question_indexes"][1] = 9;
       },
       "election 100: tallyPipesConfig.pipes[0].params.duplications[0]."
       "duplicated_question_indexes[1]: 9 but there are 4 questions at this point"},
      {"joiner from a child a pipe changed",
       [](Json::Value& u) {
         by_id(u, 100)["tallyPipesConfig"]["pipes"][0]["params"]["duplications"][0]
                      ["source_election_index"] = 1;
       },
       "election 100: tallyPipesConfig.pipes[2].params.mappings[0].source_election_id: "
       "election index 1's questions were changed by an earlier pipe that urna cannot carry "
       "over, so its question numbers do not match"},
      {"withdraw an answer the question lacks",
       [](Json::Value& u) {
         Json::Value& m =
             by_id(u, 100)["tallyPipesConfig"]["pipes"][1]["params"]["modifications"][0];
         m["action"] = "withdraw-candidates";
         m["answer_ids"] = Json::arrayValue;
         m["answer_ids"].append(4);
       },
       "election 100: tallyPipesConfig.pipes[1].params.modifications[0].answer_ids[0]: parent "
       "question 0 has no answer 4"},
  };
  for (const auto& c : cases) {
    Json::Value u = university();
    c.change(u);
    std::string got = "(no error)";
    try {
      import_sequent(dump(u));
    } catch (const ImportError& e) {
      got = e.what();
    }
    BOOST_TEST_INFO(c.what);
    if (c.error.back() == ' ')  // a parser's message follows
      BOOST_TEST(got.substr(0, c.error.size()) == c.error);
    else
      BOOST_TEST(got == c.error);
  }
  for (const char* bad : {"[{\"id\": 1,}]", "[{\"id\": 1", "[{\"id\": 1, \"id\": 2}]", "[] x"})
    BOOST_CHECK_EXCEPTION(import_sequent(bad), ImportError, [&](const ImportError& e) {
      BOOST_TEST_INFO(bad << ": " << e.what());
      return std::string(e.what()).rfind("the file: not valid JSON: Line 1, Column ", 0) == 0;
    });
}

// A child changed by Sequent's own pipes cannot be a source afterwards.
BOOST_AUTO_TEST_CASE(tainted_child_is_refused) {
  Json::Value u = university();
  Json::Value& pipes = by_id(u, 100)["tallyPipesConfig"]["pipes"];
  Json::Value dup = pipes[0];
  dup["params"]["duplications"][0]["source_election_index"] = 2;
  dup["params"]["duplications"][0]["duplicated_question_indexes"] = Json::arrayValue;
  dup["params"]["duplications"][0]["duplicated_question_indexes"].append(0);
  pipes.insert(0, dup);
  std::string got;
  try {
    import_sequent(dump(u));
  } catch (const ImportError& e) {
    got = e.what();
  }
  BOOST_TEST(got ==
             "election 100: tallyPipesConfig.pipes[3].params.mappings[2].source_election_id: "
             "election index 2's questions were changed by an earlier pipe that urna cannot "
             "carry over, so its question numbers do not match");
}

// Elections without parent: a plain voters.yaml, the id field by
// auth_method, --root and --officer, clashing names; a child's census.
BOOST_AUTO_TEST_CASE(standalone_elections_and_census) {
  Json::Value u = university();
  Json::Value e = by_id(u, 101);
  e.removeMember("parent_id");
  e["id"] = 5;
  e["title"] = "Board 2027";
  e["census"]["auth_method"] = "sms";
  e["census"]["voters"] = Json::arrayValue;
  for (const char* tlf : {"+34600000001", "+34600000002"}) {
    Json::Value v;
    v["metadata"]["tlf"] = tlf;
    e["census"]["voters"].append(v);
  }
  e["census"]["voters"][0]["metadata"]["name"] = "Ann";
  Json::Value list(Json::arrayValue);
  list.append(e);
  e["id"] = 3;  // same title, lower id: keeps the plain name
  list.append(e);
  ImportOptions opt;
  opt.root = "meta";
  opt.officers = {"olga"};
  ImportResult r = import_sequent(dump(list), opt);
  BOOST_TEST(keys(r) == (std::vector<std::string>{
                            "meta/board-2027-2/election.yaml", "meta/board-2027-2/voters.yaml",
                            "meta/board-2027/election.yaml", "meta/board-2027/voters.yaml",
                            "sequent-import.md"}),
             boost::test_tools::per_element());
  BOOST_TEST(
      r.elections == (std::vector<std::string>{"3 -> meta/board-2027", "5 -> meta/board-2027-2"}),
      boost::test_tools::per_element());
  BOOST_TEST(r.files["meta/board-2027-2/voters.yaml"] ==
             "# Imported by urna-import from the census of Sequent election 5.\n"
             "eligible_voters:\n"
             "  - \"+34600000001\"\n"
             "  - \"+34600000002\"\n");
  BOOST_TEST(section(r.files["meta/board-2027/election.yaml"], "name:", "questions:") ==
             "name: \"Board 2027\"\n"
             "start_datetime: \"2027-03-01T09:00:00\"\n"
             "end_datetime: \"2027-03-08T18:00:00\"\n"
             "election_officers:\n"
             "  - \"olga\"\n");
  BOOST_TEST(has_line(r.not_carried,
                      "election 5: census.voters[].metadata.name: on 1 voter(s) (urna's voter "
                      "list holds logins and children only)"));
  urna::testing::TempDir dir;
  urna::import::write_tree(dir / "repo", r.files);
  urna::meta::LoadResult l = urna::meta::load_repository(dir / "repo", "meta");
  BOOST_TEST_INFO(l.report());
  BOOST_TEST(l.ok());
  BOOST_TEST(l.snapshot.elections.size() == 2u);

  list[0]["census"]["voters"][0]["metadata"]["children_event_id_list"] = Json::arrayValue;
  std::string got;
  try {
    import_sequent(dump(list));
  } catch (const ImportError& x) {
    got = x.what();
  }
  BOOST_TEST(got ==
             "election 5: census.voters[0].metadata.children_event_id_list: election 5 has no "
             "virtualSubelections (it is not a parent)");

  // A child's census: listed, not written (the parent's list assigns).
  Json::Value v = university();
  by_id(v, 101)["census"]["voters"] = Json::arrayValue;
  by_id(v, 101)["census"]["voters"].append(by_id(v, 100)["census"]["voters"][0]);
  r = import_sequent(dump(v));
  BOOST_TEST(!r.files.count(S + "/voters.yaml"));
  BOOST_TEST(has_line(r.not_carried,
                      "election 101: census.voters: 1 voter(s) (urna's children have no voter "
                      "list; the parent's voters.yaml says who votes in which child)"));
}

// Every value of the fixture replaced, one at a time, by a value of each
// other JSON type: the import either succeeds or throws ImportError naming
// an election or the file; never another exception (a crash in urna-import).
BOOST_AUTO_TEST_CASE(any_value_of_any_type_is_an_error_or_fine) {
  const Json::Value u = university();
  std::vector<std::vector<Json::Value>> paths;  // keys (strings) or indexes (ints)
  std::function<void(const Json::Value&, std::vector<Json::Value>)> walk =
      [&](const Json::Value& v, std::vector<Json::Value> path) {
        paths.push_back(path);
        if (v.isObject())
          for (const auto& k : v.getMemberNames()) {
            auto p = path;
            p.push_back(Json::Value(k));
            walk(v[k], p);
          }
        else if (v.isArray())
          for (Json::ArrayIndex i = 0; i < v.size(); ++i) {
            auto p = path;
            p.push_back(Json::Value(i));
            walk(v[i], p);
          }
      };
  walk(u, {});
  Json::Value obj(Json::objectValue);
  obj["x"] = 1;
  Json::Value arr(Json::arrayValue);
  arr.append("x");
  const std::vector<Json::Value> others = {Json::Value(),
                                           Json::Value(true),
                                           Json::Value(-3),
                                           Json::Value(2.5),
                                           Json::Value("x"),
                                           Json::Value("{}"),
                                           obj,
                                           arr,
                                           Json::Value(Json::arrayValue)};
  size_t runs = 0, errors = 0;
  for (const auto& path : paths) {
    for (const auto& other : others) {
      Json::Value changed = u;
      Json::Value* at = &changed;
      for (const auto& k : path) at = k.isString() ? &(*at)[k.asString()] : &(*at)[k.asUInt()];
      *at = other;
      ++runs;
      try {
        import_sequent(dump(changed));
      } catch (const ImportError& e) {
        ++errors;
        const std::string w = e.what();
        BOOST_TEST_INFO(w);
        BOOST_TEST((w.rfind("election ", 0) == 0 || w.rfind("the file: ", 0) == 0));
      } catch (const std::exception& e) {
        std::string where;
        for (const auto& k : path) where += "/" + (k.isString() ? k.asString() : k.asString());
        BOOST_ERROR("not an ImportError at " << where << " = " << dump(other) << ": " << e.what());
      }
    }
  }
  BOOST_TEST(paths.size() > 200u);
  BOOST_TEST(errors > runs / 2);
  BOOST_TEST_MESSAGE(runs << " imports, " << errors << " refused");
}

// A child inherits its parent's dates unless it has others.
BOOST_AUTO_TEST_CASE(child_dates) {
  Json::Value u = university();
  by_id(u, 102)["end_date"] = "2027-03-05T12:00:00Z";
  by_id(u, 101).removeMember("start_date");
  ImportResult r = import_sequent(dump(u));
  BOOST_TEST(section(r.files[F + "/election.yaml"], "name:", "questions:") ==
             "name: \"Professors election\"\nend_datetime: \"2027-03-05T12:00:00Z\"\n");
  BOOST_TEST(section(r.files[S + "/election.yaml"], "name:", "questions:") ==
             "name: \"Students election\"\n");
  urna::testing::TempDir dir;
  urna::meta::LoadResult l = load(r, dir);
  BOOST_TEST_INFO(l.report());
  BOOST_TEST(l.ok());
  by_id(u, 102)["end_date"] = "2027-03-05T12:00:00.500";
  std::string got;
  try {
    import_sequent(dump(u));
  } catch (const ImportError& e) {
    got = e.what();
  }
  BOOST_TEST(got ==
             "election 102: end_date: '2027-03-05T12:00:00.500': urna's dates have whole seconds");
}
