// urna-tally's scheduled mode, the parts without a database: the export
// (Elekto CSV, BLT, several questions, receipts, unreadable rows, the
// shuffle) and the definition fingerprint that decides what is stale.
#define BOOST_TEST_MODULE count
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <sstream>

#include "count/export.h"
#include "count/scheduled.h"
#include "tally/formats.h"
#include "tally/pipes.h"

using namespace urna;
using count::build_export;
using count::ExportRow;
using count::QuestionRows;

namespace {

core::Question ranked(const std::string& id, std::vector<std::string> answers, int seats = 1) {
  core::Question q;
  q.id = id;
  q.title = "Question " + id;
  q.winners = seats;
  for (const auto& a : answers) q.answers.push_back({a, "Name \"" + a + "\""});
  return q;
}

core::Election election(std::vector<core::Question> qs) {
  core::Election e;
  e.id = "x/2020";
  e.folder = "2020";
  e.name = "X";
  e.questions = std::move(qs);
  return e;
}

std::vector<ExportRow> rows(std::vector<std::string> rankings) {
  std::vector<ExportRow> out;
  for (auto& r : rankings) out.push_back({r, ""});
  return out;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(one_question_is_plain_elekto_csv_and_blt) {
  auto e = election({ranked("main", {"a", "b", "c"}, 2)});
  std::mt19937_64 rng(1);
  auto ex =
      build_export(e, {{"main", rows({"a=1&b=2", "", "a=1&b=1&c=3", "a%ZZ=1", "zz=1"})}}, rng);
  auto csv = lines(ex.csv);
  BOOST_TEST_REQUIRE(csv.size() == 6u);
  BOOST_TEST(csv[0] == "a,b,c");
  std::vector<std::string> body(csv.begin() + 1, csv.end());
  std::sort(body.begin(), body.end());
  const std::vector<std::string> want = {"0,0,0", "0,0,0", "1,1,3", "1,2,No opinion",
                                         "No opinion,No opinion,No opinion"};
  BOOST_TEST(body == want, boost::test_tools::per_element());

  // It reads back with urna-tally's own reader: 5 ballots, 2 of them with
  // rank 0 (invalid when counted).
  std::istringstream in(ex.csv);
  auto box = tally::read_elekto_csv(in);
  BOOST_TEST(box.ballots.size() == 5u);

  auto blt = lines(ex.blt);
  BOOST_TEST_REQUIRE(blt.size() == 3u + 3u + 3u);  // header, 3 ballots, 0, 3 names, title
  BOOST_TEST(blt[0] == "3 2");
  std::vector<std::string> ballots(blt.begin() + 1, blt.begin() + 4);
  std::sort(ballots.begin(), ballots.end());
  BOOST_TEST((ballots == std::vector<std::string>{"1 0", "1 1 2 0", "1 1=2 3 0"}));
  BOOST_TEST(blt[4] == "0");
  BOOST_TEST(blt[5] == "\"Name 'a'\"");
  BOOST_TEST(blt[8] == "\"Question main\"");
  std::istringstream bin(ex.blt);
  auto bbox = tally::read_blt(bin);
  BOOST_TEST(bbox.ballots.size() == 3u);
  BOOST_TEST(bbox.seats == 2);
}

BOOST_AUTO_TEST_CASE(several_questions_and_receipts) {
  core::Question yes_no = ranked("q1", {"no", "yes"});
  yes_no.method = core::Method::kPlurality;
  auto e = election({yes_no, ranked("q2", {"a", "b"})});
  e.receipts = true;
  std::mt19937_64 rng(2);
  QuestionRows r;
  r["q1"] = {{"yes=1", "r1"}};
  r["q2"] = {{"b=1", "r1"}};
  auto ex = build_export(e, r, rng);
  BOOST_TEST(ex.csv ==
             "# question: q1\nno,yes,receipt\nNo opinion,1,r1\n"
             "# question: q2\na,b,receipt\nNo opinion,1,r1\n");
  // Only q2 is ranked: one BLT, without a "# question" line.
  BOOST_TEST(ex.blt.rfind("2 1\n1 2 0\n0\n", 0) == 0u, ex.blt);
  // A question nobody answered still has its header.
  auto empty = build_export(e, {}, rng);
  BOOST_TEST(empty.csv == "# question: q1\nno,yes,receipt\n# question: q2\na,b,receipt\n");
}

BOOST_AUTO_TEST_CASE(rows_are_shuffled_not_lost) {
  auto e = election({ranked("main", {"a"})});
  std::vector<std::string> in;
  for (int i = 1; i <= 60; ++i) in.push_back("a=" + std::to_string(i));
  std::mt19937_64 rng(3);
  auto csv = lines(build_export(e, {{"main", rows(in)}}, rng).csv);
  std::vector<std::string> out(csv.begin() + 1, csv.end());
  std::vector<std::string> plain;
  for (int i = 1; i <= 60; ++i) plain.push_back(std::to_string(i));
  BOOST_TEST((out != plain));  // P(identity) = 1/60!
  std::sort(out.begin(), out.end());
  std::sort(plain.begin(), plain.end());
  BOOST_TEST((out == plain));
}

BOOST_AUTO_TEST_CASE(count_options_follow_the_definition) {
  core::Election e;
  BOOST_TEST((count::count_options(e).tie_break == tally::TieBreak::kNone));
  e.tie_break_seed = "draw";
  for (const auto& [name, want] : std::vector<std::pair<std::string, tally::TieBreak>>{
           {"tbrc", tally::TieBreak::kTbrc},
           {"seed", tally::TieBreak::kSeed},
           {"ranked-pairs", tally::TieBreak::kRankedPairs},
           {"", tally::TieBreak::kNone}}) {
    e.tie_break = name;
    BOOST_TEST((count::count_options(e).tie_break == want), name);
    BOOST_TEST(count::count_options(e).seed == "draw");
  }
}

BOOST_AUTO_TEST_CASE(fingerprint_follows_what_the_count_depends_on) {
  core::Snapshot snap;
  auto e = election({ranked("main", {"a", "b"})});
  snap.elections = {e};
  const std::string base = count::definition_fingerprint(snap, snap.elections[0]);
  BOOST_TEST(base.size() == 64u);

  auto same = [&](auto change) {
    core::Snapshot s = snap;
    change(s.elections[0]);
    return count::definition_fingerprint(s, s.elections[0]) == base;
  };
  // Not part of the count: no recount.
  BOOST_TEST(same([](core::Election& x) { x.description_html = "<p>new</p>"; }));
  BOOST_TEST(same([](core::Election& x) { x.results_html = "<p>published</p>"; }));
  BOOST_TEST(same([](core::Election& x) { x.end += 3600; }));
  BOOST_TEST(same([](core::Election& x) { x.officers = {"someone"}; }));
  // Part of it: recount.
  BOOST_TEST(!same([](core::Election& x) { x.questions[0].answers[1].text = "B!"; }));
  BOOST_TEST(!same([](core::Election& x) { x.questions[0].winners = 2; }));
  BOOST_TEST(!same([](core::Election& x) { x.questions[0].method = core::Method::kIrv; }));
  BOOST_TEST(!same([](core::Election& x) { x.delete_after = true; }));
  BOOST_TEST(!same([](core::Election& x) { x.receipts = true; }));
  BOOST_TEST(!same([](core::Election& x) { x.pipes.push_back({}); }));
  BOOST_TEST(!same([](core::Election& x) { x.tie_break = "tbrc"; }));
  BOOST_TEST(!same([](core::Election& x) { x.tie_break_seed = "s"; }));

  // A parent's fingerprint covers its children; a child's its parent's
  // delete_after.
  core::Snapshot fam;
  auto parent = election({});
  parent.id = "p";
  parent.children = {"p/c"};
  auto child = election({ranked("q1", {"yes", "no"})});
  child.id = "p/c";
  child.folder = "c";
  child.parent = "p";
  fam.elections = {parent, child};
  const std::string pf = count::definition_fingerprint(fam, fam.elections[0]);
  const std::string cf = count::definition_fingerprint(fam, fam.elections[1]);
  fam.elections[1].questions[0].title = "changed";
  BOOST_TEST(count::definition_fingerprint(fam, fam.elections[0]) != pf);
  fam.elections[0].delete_after = true;
  BOOST_TEST(count::definition_fingerprint(fam, fam.elections[1]) != cf);
}

// A parent's own questions: are where its pipes start (as urna-sync checks
// them); the questions duplicate_questions adds come after them in the
// snapshot. urna-tally used to start from none: "pipe 1: the parent has no
// question" for a repository urna-sync had accepted (found by
// t/e2e/import_test.py).
BOOST_AUTO_TEST_CASE(parent_pipes_start_from_its_own_questions) {
  core::Pipe dup, join, tally;
  dup.type = "duplicate_questions";
  dup.source_election = "kids";
  dup.source_question = "k";
  dup.question = "copy";
  dup.no_votes = true;
  join.type = "multipart_tally_plaintexts_append_joiner";
  join.source_election = "kids";
  join.source_question = "k";
  join.question = "own";
  tally.type = "do_tallies";
  // As src/meta lists them: own questions first, then one per duplicate.
  core::Election e =
      election({ranked("own", {"y", "n"}), ranked("own2", {"y", "n"}), ranked("copy", {"y", "n"})});
  e.children = {"x/2020/kids"};
  e.pipes = {dup, join, tally};
  std::vector<std::string> ids;
  for (const auto& q : count::parent_own_questions(e)) ids.push_back(q.id);
  BOOST_TEST(ids == (std::vector<std::string>{"own", "own2"}), boost::test_tools::per_element());

  tally::ElectionBoxes parent;
  for (const auto& q : count::parent_own_questions(e)) parent.questions.push_back({q, {}});
  tally::ElectionBoxes kids;
  kids.folder = "kids";
  tally::RawBallot yes, no;
  yes.marks = {{"y", 1}};
  no.marks = {{"n", 1}};
  kids.questions.push_back({ranked("k", {"y", "n"}), {yes, yes, no}});
  const auto results = tally::run_pipes(e.pipes, parent, {kids});
  std::vector<std::string> got;
  for (const auto& r : results) got.push_back(r.question_id + ":" + std::to_string(r.ballots_cast));
  BOOST_TEST(got == (std::vector<std::string>{"own:3", "own2:0", "copy:0"}),
             boost::test_tools::per_element());

  // Questions made by the pipes only, or no pipes at all: none are own.
  e.questions = {ranked("copy", {"y", "n"})};
  e.pipes = {dup, tally};
  BOOST_TEST(count::parent_own_questions(e).empty());
  e.questions = {ranked("own", {"y", "n"})};
  e.pipes.clear();
  BOOST_TEST(count::parent_own_questions(e).empty());
}
