// Parent consolidation pipes: a pure function over ballot boxes.
#define BOOST_TEST_MODULE tally_pipes
#include <boost/test/unit_test.hpp>

#include <map>

#include "tally/pipes.h"

using namespace urna;
using namespace urna::tally;

namespace {

core::Question question(const std::string& id, const std::string& title,
                        std::vector<std::string> answers) {
  core::Question q;
  q.id = id;
  q.title = title;
  for (const auto& a : answers) q.answers.push_back({a, a});
  return q;
}

RawBallot ranking(std::vector<std::string> order, std::int64_t weight = 1) {
  RawBallot b;
  b.weight = weight;
  int r = 0;
  for (const auto& id : order) b.marks.emplace_back(id, ++r);
  return b;
}

core::Pipe pipe(std::string type, std::string source_election = "",
                std::string source_question = "", std::string q = "") {
  core::Pipe p;
  p.type = std::move(type);
  p.source_election = std::move(source_election);
  p.source_question = std::move(source_question);
  p.question = std::move(q);
  return p;
}

// Students prefer a, professors b; together a wins 5:4.
std::vector<ElectionBoxes> children() {
  ElectionBoxes students{"students", {{question("main", "Rector", {"a", "b", "c"}),
                                       {ranking({"a", "b", "c"}, 5)}}}};
  ElectionBoxes professors{"professors", {{question("main", "Rector", {"c", "b", "a"}),
                                           {ranking({"b", "a", "c"}, 4)}}}};
  return {students, professors};
}

}  // namespace

BOOST_AUTO_TEST_CASE(default_pipes_consolidate_shared_titles) {
  auto r = run_pipes({}, ElectionBoxes{}, children());
  BOOST_REQUIRE(r.size() == 1u);
  BOOST_TEST(r[0].ballots_cast == 9);
  BOOST_TEST(winner_ids(r[0]) == std::vector<std::string>{"a"});
  BOOST_TEST(r[0].d[0][1] == 5);
  BOOST_TEST(r[0].d[1][0] == 4);
  BOOST_TEST((r[0].order == std::vector<int>{0, 1, 2}));
}

// Without pipes every question id of the children appears once on the
// parent: shared ids add their ballots, the others are copied (the
// university example: q1 in both children, q2 and q3 in one each).
BOOST_AUTO_TEST_CASE(default_pipes_keep_every_question_id) {
  ElectionBoxes students{"students",
                         {{question("q1", "Q1?", {"yes", "no"}), {ranking({"yes"}, 3)}},
                          {question("q2", "Q2?", {"yes", "no"}), {ranking({"no"}, 2)}}}};
  ElectionBoxes professors{"professors",
                           {{question("q1", "Q1?", {"yes", "no"}), {ranking({"no"}, 4)}},
                            {question("q3", "Q3?", {"yes", "no"}), {ranking({"yes"}, 1)}}}};
  for (auto& box : students.questions) box.question.method = core::Method::kPlurality;
  for (auto& box : professors.questions) box.question.method = core::Method::kPlurality;
  auto r = run_pipes({}, ElectionBoxes{}, {students, professors});
  BOOST_REQUIRE(r.size() == 3u);
  std::map<std::string, const QuestionResult*> by_id;
  for (const auto& q : r) by_id[q.question_id] = &q;
  BOOST_REQUIRE(by_id.count("q1") + by_id.count("q2") + by_id.count("q3") == 3u);
  BOOST_TEST(by_id["q1"]->ballots_cast == 7);  // 3 + 4, each once
  BOOST_TEST(winner_ids(*by_id["q1"]) == std::vector<std::string>{"no"});
  BOOST_TEST(by_id["q2"]->ballots_cast == 2);
  BOOST_TEST(by_id["q3"]->ballots_cast == 1);
  // Which boxes each question counts, as data (the results page names
  // them "Counts the ballots of: Professors, Students"), not as a note of
  // folder/question ids ("ballots from: professors/q1, students/q1").
  using Sources = std::vector<std::pair<std::string, std::string>>;
  BOOST_TEST((by_id["q1"]->sources == Sources{{"professors", "q1"}, {"students", "q1"}}));
  BOOST_TEST((by_id["q3"]->sources == Sources{{"professors", "q3"}}));
  for (const auto& q : r)
    for (const auto& n : q.notes) BOOST_TEST(n.find("ballots from") == std::string::npos, n);
  // ... and kept through the stored JSON.
  BOOST_TEST((question_result_from_json(to_json(*by_id["q1"])).sources == by_id["q1"]->sources));
}

BOOST_AUTO_TEST_CASE(explicit_pipes_by_name_and_index) {
  std::vector<core::Pipe> pipes = {
      pipe("duplicate_questions", "1", "main", "rector"),
      pipe("multipart_tally_plaintexts_append_joiner", "professors", "main", "rector"),
      pipe("apply_modifications", "", "", "rector"),
      pipe("do_tallies"),
      pipe("sort_non_iterative")};
  pipes[2].action = "set-title";
  pipes[2].value = "Rector (consolidated)";
  auto r = run_pipes(pipes, ElectionBoxes{}, children());
  BOOST_REQUIRE(r.size() == 1u);
  BOOST_TEST(r[0].question_id == "rector");
  BOOST_TEST(r[0].title == "Rector (consolidated)");
  BOOST_TEST(r[0].ballots_cast == 9);
}

// An election index of any length is a PipeError naming the step, never
// an exception from std::stoul (found by reading what the fuzzer found in
// the Debian reader: the same pattern).
BOOST_AUTO_TEST_CASE(huge_election_index_is_a_pipe_error) {
  for (const std::string ref : {"3", "99999999999999999999999", "18446744073709551616"}) {
    std::vector<core::Pipe> pipes = {pipe("duplicate_questions", ref, "main", "rector")};
    try {
      run_pipes(pipes, ElectionBoxes{}, children());
      BOOST_ERROR("no error for " << ref);
    } catch (const PipeError& e) {
      BOOST_TEST(std::string(e.what()).find("no child election number " + ref) !=
                 std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(no_ballot_counted_twice) {
  // Joining the same child question twice.
  std::vector<core::Pipe> twice = {
      pipe("duplicate_questions", "students", "main", "rector"),
      pipe("multipart_tally_plaintexts_append_joiner", "professors", "main", "rector"),
      pipe("multipart_tally_plaintexts_append_joiner", "2", "main", "rector")};
  BOOST_CHECK_THROW(run_pipes(twice, ElectionBoxes{}, children()), PipeError);
  // Duplicating with votes and then joining the same source.
  std::vector<core::Pipe> dup = {
      pipe("duplicate_questions", "students", "main", "rector"),
      pipe("multipart_tally_plaintexts_append_joiner", "students", "main", "rector")};
  try {
    run_pipes(dup, ElectionBoxes{}, children());
    BOOST_FAIL("no error");
  } catch (const PipeError& e) {
    BOOST_TEST(e.step() == 1u);
    BOOST_TEST(std::string(e.what()).find("counted twice") != std::string::npos);
  }
  // With no_votes the duplicate carries no ballots, so joining is fine and
  // every ballot is counted exactly once.
  dup[0].no_votes = true;
  dup.push_back(pipe("multipart_tally_plaintexts_append_joiner", "professors", "main", "rector"));
  auto r = run_pipes(dup, ElectionBoxes{}, children());
  BOOST_TEST(r[0].ballots_cast == 9);
}

BOOST_AUTO_TEST_CASE(joiner_answers_must_match) {
  auto kids = children();
  kids[1].questions[0].question.answers.pop_back();  // professors: c, b
  std::vector<core::Pipe> pipes = {
      pipe("duplicate_questions", "students", "main", "rector"),
      pipe("multipart_tally_plaintexts_append_joiner", "professors", "main", "rector")};
  try {
    run_pipes(pipes, ElectionBoxes{}, kids);
    BOOST_FAIL("no error");
  } catch (const PipeError& e) {
    BOOST_TEST(std::string(e.what()).find("differ") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(modifications) {
  std::vector<core::Pipe> pipes = {
      pipe("duplicate_questions", "students", "main", "rector"),
      pipe("multipart_tally_plaintexts_append_joiner", "professors", "main", "rector"),
      pipe("apply_modifications", "", "", "rector"),
      pipe("apply_modifications", "", "", "rector")};
  pipes[2].action = "withdraw-candidates";
  pipes[2].answers = {"a"};
  pipes[3].action = "set-winners";
  pipes[3].value = "2";
  auto r = run_pipes(pipes, ElectionBoxes{}, children());
  BOOST_REQUIRE(r.size() == 1u);
  BOOST_TEST((r[0].candidates == std::vector<std::string>{"b", "c"}));
  BOOST_TEST(r[0].ballots_valid == 9);  // ranks renumbered, still valid
  BOOST_TEST(r[0].seats == 2);
  BOOST_TEST((winner_ids(r[0]) == std::vector<std::string>{"b", "c"}));
  pipes[3].value = "two";
  BOOST_CHECK_THROW(run_pipes(pipes, ElectionBoxes{}, children()), PipeError);
  pipes[3].action = "set-colour";
  BOOST_CHECK_THROW(run_pipes(pipes, ElectionBoxes{}, children()), PipeError);
  BOOST_CHECK_THROW(run_pipes({pipe("shuffle")}, ElectionBoxes{}, children()), PipeError);
  BOOST_CHECK_THROW(run_pipes({pipe("duplicate_questions", "nobody", "main", "x")},
                              ElectionBoxes{}, children()),
                    PipeError);
  BOOST_CHECK_THROW(run_pipes({pipe("duplicate_questions", "3", "main", "x")},
                              ElectionBoxes{}, children()),
                    PipeError);
}
