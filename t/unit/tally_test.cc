// Counting methods: textbook tables, ballot validation, ties, and
// properties over random elections.
#define BOOST_TEST_MODULE tally
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <numeric>
#include <random>
#include <iostream>

#include "tally/ballot.h"
#include "tally_fixture.h"
#include "tally/count.h"
#include "tally/result.h"

using namespace urna;
using namespace urna::tally;
using urna::testing::box;
using urna::testing::order;
using core::Method;

namespace {

BallotBox wikipedia45() {
  return box(5, {order("ACBED", 5, 5), order("ADECB", 5, 5),
                 order("BEDAC", 5, 8), order("CABED", 5, 3),
                 order("CAEBD", 5, 7), order("CBADE", 5, 2),
                 order("DCEBA", 5, 7), order("EBADC", 5, 8)});
}

// Memphis, Nashville, Chattanooga, Knoxville.
BallotBox tennessee() {
  return box(4, {order("ABCD", 4, 42), order("BCDA", 4, 26),
                 order("CDBA", 4, 15), order("DCBA", 4, 17)});
}

std::string ids(const std::vector<std::vector<std::string>>& tiers) {
  std::string s;
  for (const auto& t : tiers) {
    if (!s.empty()) s += ">";
    for (size_t i = 0; i < t.size(); ++i) s += (i ? "=" : "") + t[i];
  }
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(schulze_wikipedia_45) {
  QuestionResult r = count_box(wikipedia45(), Method::kSchulze);
  const std::vector<std::vector<std::int64_t>> d = {{0, 20, 26, 30, 22},
                                                    {25, 0, 16, 33, 18},
                                                    {19, 29, 0, 17, 24},
                                                    {15, 12, 28, 0, 14},
                                                    {23, 27, 21, 31, 0}};
  const std::vector<std::vector<std::int64_t>> p = {{0, 28, 28, 30, 24},
                                                    {25, 0, 28, 33, 24},
                                                    {25, 29, 0, 29, 24},
                                                    {25, 28, 28, 0, 24},
                                                    {25, 28, 28, 31, 0}};
  BOOST_TEST(r.d == d);
  BOOST_TEST(r.p == p);
  BOOST_TEST(ids(ranking_ids(r)) == "E>A>C>B>D");
  BOOST_TEST(winner_ids(r) == std::vector<std::string>{"E"});
  BOOST_TEST(!r.tie_at_boundary);
  BOOST_TEST(r.ballots_cast == 45);
  BOOST_TEST(r.ballots_valid == 45);
}

BOOST_AUTO_TEST_CASE(schulze_seats_and_boundary_tie) {
  // Four seats on the 45: E, A, C, B.
  CountOptions opt;
  opt.seats = 4;
  QuestionResult r = count_box(wikipedia45(), Method::kSchulze, opt);
  BOOST_TEST((winner_ids(r) == std::vector<std::string>{"E", "A", "C", "B"}));
  // A and B perfectly tied, one seat: the tie is reported, not decided.
  BallotBox b = box(3, {order("ABC", 3, 2), order("BAC", 3, 2)});
  r = count_box(b, Method::kSchulze);
  BOOST_TEST(r.tie_at_boundary);
  BOOST_TEST(r.winners.empty());
  BOOST_TEST((r.tied == std::vector<int>{0, 1}));
  BOOST_TEST(ids(ranking_ids(r)) == "A=B>C");
  // Opt-in seed tie-break: reproducible, documented in tie_break.
  opt.seats = 1;
  opt.tie_break = TieBreak::kSeed;
  opt.seed = "2026-lottery";
  QuestionResult r1 = count_box(b, Method::kSchulze, opt);
  QuestionResult r2 = count_box(b, Method::kSchulze, opt);
  BOOST_TEST(r1.winners.size() == 1u);
  BOOST_TEST(r1.winners == r2.winners);
  BOOST_TEST(r1.tie_at_boundary);
  BOOST_TEST(!r1.tie_break.empty());
  BOOST_TEST(r1.winners[0] == seed_order({0, 1}, b.candidates, opt.seed)[0]);
}

BOOST_AUTO_TEST_CASE(schulze_elekto_no_opinion) {
  // Elekto: an unranked candidate takes part in no comparison. B is
  // unranked on 3 ballots: those ballots count A>C only.
  BallotBox b = box(3, {order("AC", 3, 3), order("BCA", 3, 2)});
  QuestionResult r = count_box(b, Method::kSchulze);
  BOOST_TEST(r.d[0][1] == 0);  // A over B: nobody ranked both with A first
  BOOST_TEST(r.d[1][0] == 2);
  BOOST_TEST(r.d[0][2] == 3);
  BOOST_TEST(r.d[2][0] == 2);
  CountOptions last;
  last.unranked = Unranked::kLast;
  r = count_box(b, Method::kSchulze, last);
  BOOST_TEST(r.d[0][1] == 3);  // A ranked, B unranked: A preferred
  // Equal ranks are no preference either way.
  b = box(3, {order("(AB)C", 3, 1)});
  r = count_box(b, Method::kSchulze);
  BOOST_TEST(r.d[0][1] == 0);
  BOOST_TEST(r.d[1][0] == 0);
  BOOST_TEST(r.d[0][2] == 1);
}

BOOST_AUTO_TEST_CASE(tennessee_methods) {
  QuestionResult rp = count_box(tennessee(), Method::kRankedPairs);
  BOOST_TEST(ids(ranking_ids(rp)) == "B>C>D>A");  // Nashville>Chatt>Knox>Memphis
  BOOST_TEST(rp.d[1][0] == 58);
  BOOST_TEST(rp.d[2][3] == 83);
  QuestionResult irv = count_box(tennessee(), Method::kIrv);
  BOOST_TEST(winner_ids(irv) == std::vector<std::string>{"D"});  // Knoxville
  BOOST_TEST(irv.rounds.size() == 3u);
  BOOST_TEST((irv.rounds[0].excluded == std::vector<int>{2}));  // Chattanooga
  BOOST_TEST((irv.rounds[1].excluded == std::vector<int>{1}));  // Nashville
  BOOST_TEST(irv.rounds[2].votes[3] == 58);
  BOOST_TEST(irv.rounds[0].transfers[3] == 15);
  BallotBox first = tennessee();
  first.ballots = first_preferences(first.ballots);
  QuestionResult pl = count_box(first, Method::kPlurality);
  BOOST_TEST(winner_ids(pl) == std::vector<std::string>{"A"});  // Memphis
  BOOST_TEST((pl.scores == std::vector<double>{42, 26, 15, 17}));
  QuestionResult borda = count_box(tennessee(), Method::kBorda);
  BOOST_TEST(borda.scores[1] == 194);
  BOOST_TEST(borda.scores[0] == 126);
  BOOST_TEST(borda.scores[3] == 107);
  BOOST_TEST(winner_ids(borda) == std::vector<std::string>{"B"});
  QuestionResult sch = count_box(tennessee(), Method::kSchulze);
  BOOST_TEST(winner_ids(sch) == std::vector<std::string>{"B"});
}

BOOST_AUTO_TEST_CASE(validation_counts_every_ballot) {
  core::Question q;
  q.id = "main";
  q.method = Method::kSchulze;
  q.answers = {{"a", "Alice"}, {"b", "Bob"}, {"c", "Carol"}};
  std::vector<RawBallot> raw = {
      {{{"a", 1}, {"b", 2}}, 1},
      {{{"a", 1}, {"a", 2}}, 1},          // duplicate
      {{{"z", 1}}, 2},                    // unknown
      {{{"a", 4}}, 1},                    // out of range
      {{}, 3},                            // blank
      {{{"c", 1}, {"b", 1}, {"a", 2}}, 1},  // ties allowed
  };
  QuestionResult r = count_question(q, raw);
  BOOST_TEST(r.ballots_cast == 9);
  BOOST_TEST(r.ballots_valid == 2);
  BOOST_TEST(r.ballots_blank == 3);
  BOOST_TEST(r.ballots_invalid == 4);
  BOOST_TEST(r.invalid_reasons.size() == 3u);
  std::int64_t sum = 0;
  for (const auto& [why, n] : r.invalid_reasons) sum += n;
  BOOST_TEST(sum == 4);
  // Approval with a limit of 2: three selections is too many.
  q.method = Method::kApproval;
  q.max_selections = 2;
  raw = {{{{"a", 1}, {"b", 1}}, 1}, {{{"a", 1}, {"b", 1}, {"c", 1}}, 1}};
  r = count_question(q, raw);
  BOOST_TEST(r.ballots_valid == 1);
  BOOST_TEST(r.ballots_invalid == 1);
  BOOST_TEST(r.invalid_reasons[0].first.find("too many") != std::string::npos);
  // Plurality: one selection at most.
  q.method = Method::kPlurality;
  q.max_selections = 0;
  r = count_question(q, raw);
  BOOST_TEST(r.ballots_invalid == 2);
}

BOOST_AUTO_TEST_CASE(more_seats_than_candidates_elects_everyone_and_says_so) {
  // Elekto accepts no_winners above the candidate count; so does urna-sync
  // (with a warning), and the count elects everyone ranked.
  core::Question q;
  q.id = "main";
  q.winners = 4;
  q.answers = {{"a", "Alice"}, {"b", "Bob"}, {"c", "Carol"}};
  const std::vector<RawBallot> raw = {{{{"a", 1}, {"b", 2}}, 2}, {{{"c", 1}}, 1}};
  const std::string note = "4 seats but only 3 candidates: everyone ranked is elected";
  for (Method m :
       {Method::kSchulze, Method::kRankedPairs, Method::kStv, Method::kBorda, Method::kApproval}) {
    q.method = m;
    BOOST_TEST_CONTEXT(core::method_name(m)) {
      QuestionResult r = count_question(q, raw);
      BOOST_TEST(r.seats == 4);
      std::vector<std::string> w = winner_ids(r);
      std::sort(w.begin(), w.end());
      BOOST_TEST((w == std::vector<std::string>{"a", "b", "c"}));
      BOOST_TEST(!r.tie_at_boundary);
      BOOST_TEST(std::count(r.notes.begin(), r.notes.end(), note) == 1);
      // No ballots at all: still everyone, still said.
      r = count_question(q, {});
      BOOST_TEST(r.winners.size() == 3u);
      BOOST_TEST(std::count(r.notes.begin(), r.notes.end(), note) == 1);
    }
  }
  // As many seats as candidates: no note.
  q.method = Method::kSchulze;
  q.winners = 3;
  QuestionResult r = count_question(q, raw);
  BOOST_TEST(r.winners.size() == 3u);
  for (const auto& n : r.notes) BOOST_TEST(n.find("everyone ranked") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(stv_simple) {
  // 3 seats, 100 ballots: quota 26. A has 40 -> surplus 14 to B.
  BallotBox b = box(5, {order("AB", 5, 40), order("B", 5, 10), order("C", 5, 20),
                        order("D", 5, 18), order("EC", 5, 12)},
                    3);
  QuestionResult r = count_box(b, Method::kStv);
  BOOST_TEST(r.quota == 26);
  BOOST_TEST(r.variant == "scottish");
  BOOST_TEST(r.rounds[0].surplus_of == 0);
  BOOST_TEST(r.rounds[0].surplus == 14);
  BOOST_TEST(r.rounds[1].votes[1] == 24);
  // Then B (24) ... E excluded (12) -> C 32 elected; B and D remain for
  // one seat: B 24 > D 18 after exclusions.
  BOOST_TEST((winner_ids(r) == std::vector<std::string>{"A", "C", "B"}));
}

BOOST_AUTO_TEST_CASE(json_round_trip) {
  QuestionResult r = count_box(tennessee(), Method::kIrv);
  r.question_id = "main";
  QuestionResult back = question_result_from_json(to_json(r));
  BOOST_TEST(to_json(back) == to_json(r));
  r = count_box(wikipedia45(), Method::kSchulze);
  back = question_result_from_json(to_json(r));
  BOOST_TEST(back.p == r.p);
  BOOST_TEST(back.ranking == r.ranking);
  BOOST_CHECK_THROW(question_result_from_json(Json::Value(3)), std::runtime_error);
}

// --- properties over random elections -------------------------------------

namespace {

BallotBox random_election(std::mt19937& rng, int n, int voters) {
  BallotBox b = box(n, {});
  std::vector<int> perm(n);
  for (int v = 0; v < voters; ++v) {
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng);
    int len = 1 + static_cast<int>(rng() % n);
    Ballot ballot;
    ballot.rank.assign(n, kUnranked);
    for (int k = 0; k < len; ++k) ballot.rank[perm[k]] = k + 1;
    b.ballots.push_back(ballot);
  }
  return b;
}

int condorcet_winner(const QuestionResult& r) {
  const int n = static_cast<int>(r.d.size());
  for (int i = 0; i < n; ++i) {
    bool all = true;
    for (int j = 0; j < n; ++j)
      if (i != j && r.d[i][j] <= r.d[j][i]) all = false;
    if (all) return i;
  }
  return -1;
}

}  // namespace

BOOST_AUTO_TEST_CASE(property_condorcet_winner_wins) {
  std::mt19937 rng(42);
  int found = 0;
  for (int t = 0; t < 300; ++t) {
    BallotBox b = random_election(rng, 3 + t % 5, 5 + t % 40);
    QuestionResult s = count_box(b, Method::kSchulze);
    int cw = condorcet_winner(s);
    if (cw < 0) continue;
    ++found;
    BOOST_TEST((s.winners == std::vector<int>{cw}));
    QuestionResult rp = count_box(b, Method::kRankedPairs);
    BOOST_TEST((rp.winners == std::vector<int>{cw}));
  }
  BOOST_TEST(found > 50);
}

BOOST_AUTO_TEST_CASE(property_ballot_order_irrelevant) {
  std::mt19937 rng(7);
  for (int t = 0; t < 60; ++t) {
    BallotBox b = random_election(rng, 3 + t % 6, 20 + t);
    BallotBox shuffled = b;
    std::shuffle(shuffled.ballots.begin(), shuffled.ballots.end(), rng);
    for (Method m : {Method::kSchulze, Method::kRankedPairs, Method::kIrv,
                     Method::kStv, Method::kBorda}) {
      CountOptions opt;
      opt.seats = m == Method::kIrv ? 1 : 2;
      Json::Value a = to_json(count_box(b, m, opt));
      Json::Value c = to_json(count_box(shuffled, m, opt));
      BOOST_TEST(a == c, "method " << core::method_name(m) << " election " << t);
    }
  }
}

// Adding a ballot that ranks the winner first and expresses no other
// preference never makes it lose (Schulze's mono-add-plump). The stronger
// claim, "any ballot ranking the winner first", is FALSE for Schulze (it
// fails mono-add-top): the rest of the added ballot can break a link on the
// winner's only strong path. schulze_mono_add_top_counterexample pins the
// case that the random search found.
BOOST_AUTO_TEST_CASE(property_schulze_monotone_on_added_first_preference) {
  std::mt19937 rng(11);
  int checked = 0;
  for (int t = 0; t < 300; ++t) {
    const int n = 3 + t % 5;
    BallotBox b = random_election(rng, n, 5 + t % 30);
    for (Unranked u : {Unranked::kIgnore, Unranked::kLast}) {
      CountOptions opt;
      opt.unranked = u;
      QuestionResult r = count_box(b, Method::kSchulze, opt);
      if (r.winners.size() != 1) continue;
      const int w = r.winners[0];
      Ballot extra;
      // kLast: the winner alone (bullet vote); kIgnore: the winner first,
      // everyone else tied second.
      extra.rank.assign(n, u == Unranked::kLast ? kUnranked : 2);
      extra.rank[w] = 1;
      BallotBox more = b;
      more.ballots.push_back(extra);
      QuestionResult after = count_box(more, Method::kSchulze, opt);
      ++checked;
      BOOST_TEST((after.winners == std::vector<int>{w}),
                 "election " << t << ": " << ids(ranking_ids(r)) << " then "
                             << ids(ranking_ids(after)));
    }
  }
  BOOST_TEST(checked > 200);
}

BOOST_AUTO_TEST_CASE(schulze_mono_add_top_counterexample) {
  // Pairwise matrix of a random election where D wins; one more ballot
  // C>A>B>E with D first (D C A B E) makes B win: its B>E breaks the 9:8
  // link E>B on D's strongest path to B.
  std::vector<std::vector<std::int64_t>> d = {{0, 5, 5, 7, 7},
                                              {9, 0, 12, 9, 8},
                                              {8, 5, 0, 7, 8},
                                              {11, 7, 9, 0, 10},
                                              {9, 9, 7, 8, 0}};
  auto p = strongest_paths(d);
  BOOST_TEST(p[3][1] == 9);  // D beats B through E
  BOOST_TEST(p[1][3] == 9);  // ...only as strongly: a tie
  d[3][0]++, d[3][1]++, d[3][2]++, d[3][4]++;  // D first
  d[2][0]++, d[2][1]++, d[2][4]++, d[0][1]++, d[0][4]++, d[1][4]++;
  p = strongest_paths(d);
  BOOST_TEST(p[3][1] == 0);
  BOOST_TEST(p[1][3] == 9);  // now B beats D
}

// --- readers ---------------------------------------------------------------

#include <sstream>

#include "tally/formats.h"

BOOST_AUTO_TEST_CASE(read_elekto_csv_as_elekto_writes_it) {
  // Elekto's /admin/download: header of candidate ids, ranks or No opinion.
  std::istringstream in(
      "alice,bob,carol\n1,2,No opinion\nNo opinion,1,2\r\n3,1,2\n"
      "No opinion,No opinion,No opinion\n1,2,7\n");
  BallotBox b = read_elekto_csv(in);
  BOOST_TEST((b.candidates == std::vector<std::string>{"alice", "bob", "carol"}));
  BOOST_REQUIRE(b.ballots.size() == 5u);
  BOOST_TEST((b.ballots[0].rank == std::vector<int>{1, 2, kUnranked}));
  BOOST_TEST((b.ballots[1].rank == std::vector<int>{kUnranked, 1, 2}));
  QuestionResult r = count_box(b, Method::kSchulze);
  BOOST_TEST(r.ballots_blank == 1);
  BOOST_TEST(r.ballots_invalid == 1);  // rank 7 of 3
  BOOST_TEST(r.ballots_valid == 3);
  BOOST_TEST(winner_ids(r) == std::vector<std::string>{"bob"});
  // Not the format: a bad cell, a short row, a duplicate id.
  for (const char* bad : {"a,b\n1,x\n", "a,b\n1\n", "a,a\n1,2\n", ""}) {
    std::istringstream s(bad);
    BOOST_CHECK_THROW(read_elekto_csv(s), FormatError);
  }
}

BOOST_AUTO_TEST_CASE(read_blt_file) {
  std::istringstream in(
      "4 2\n-4\n3 1 2 0\n2 2=3 1 0\n1 3 - 1 0\n0\n\"Ann\"\n\"Bob\"\n\"Cy\"\n\"Dee\"\n"
      "\"Board 2026\"\n");
  BallotBox b = read_blt(in);
  BOOST_TEST(b.seats == 2);
  BOOST_TEST(b.title == "Board 2026");
  BOOST_TEST((b.names == std::vector<std::string>{"Ann", "Bob", "Cy"}));  // Dee withdrawn
  BOOST_REQUIRE(b.ballots.size() == 3u);
  BOOST_TEST(b.ballots[0].weight == 3);
  BOOST_TEST((b.ballots[0].rank == std::vector<int>{1, 2, kUnranked}));
  BOOST_TEST((b.ballots[1].rank == std::vector<int>{2, 1, 1}));
  BOOST_TEST((b.ballots[2].rank == std::vector<int>{2, kUnranked, 1}));
  for (const char* bad : {"", "x y\n", "2 1\n1 1 2\n0\n\"a\"\n\"b\"\n",
                          "2 1\n1 3 0\n0\n\"a\"\n\"b\"\n", "2 1\n1 1 0\n"}) {
    std::istringstream s(bad);
    BOOST_CHECK_THROW(read_blt(s), FormatError);
  }
}

// Found by t/fuzz/ballot_files_fuzz: an option number past INT_MAX made
// std::stoi throw std::out_of_range out of read_debian_tally: urna-tally
// said only "urna-tally: stoi", naming neither file nor line. Now a
// FormatError naming the line.
BOOST_AUTO_TEST_CASE(read_debian_tally_refuses_huge_option_numbers) {
  for (const char* bad : {"   Option 1:  A\n   | Option 5555555555555555555555:  B\nV: 12\n",
                          "   Option 1:  A\n   | Option 1234567--->: B\nV: 12\n"}) {
    std::istringstream s(bad);
    try {
      read_debian_tally(s);
      BOOST_ERROR("read");
    } catch (const FormatError& e) {
      BOOST_TEST(e.line() == 2);
      BOOST_TEST(std::string(e.what()).find("is too large") != std::string::npos, e.what());
    }
  }
  // Six digits still read.
  std::istringstream six("   Option 1:  A\n   | Option 000002:  B\nV: 12\n");
  BOOST_TEST(read_debian_tally(six).names == (std::vector<std::string>{"A", "B"}));
}

BOOST_AUTO_TEST_CASE(read_preflib_and_debian) {
  std::istringstream soi(
      "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: \"X\"\n"
      "# ALTERNATIVE NAME 2: Y\n# ALTERNATIVE NAME 3: Z\n4: 2,1\n1: 3\n");
  BallotBox b = read_preflib(soi, Format::kSoi);
  BOOST_TEST((b.names == std::vector<std::string>{"X", "Y", "Z"}));
  BOOST_TEST(b.ballots[0].weight == 4);
  BOOST_TEST((b.ballots[0].rank == std::vector<int>{2, 1, kUnranked}));
  std::istringstream toc("# NUMBER ALTERNATIVES: 3\n2: {1,3},2\n");
  b = read_preflib(toc, Format::kToc);
  BOOST_TEST((b.ballots[0].rank == std::vector<int>{1, 2, 1}));
  for (std::pair<const char*, Format> bad :
       {std::pair<const char*, Format>{"# NUMBER ALTERNATIVES: 3\n1: 1,2\n", Format::kSoc},
        {"# NUMBER ALTERNATIVES: 3\n1: {1,2},3\n", Format::kSoc},
        {"# NUMBER ALTERNATIVES: 3\n1: 1,4\n", Format::kSoi},
        {"# NUMBER ALTERNATIVES: 3\n1: 1,1\n", Format::kSoi},
        {"1: 1,2\n", Format::kSoi}}) {
    std::istringstream s(bad.first);
    BOOST_CHECK_THROW(read_preflib(s, bad.second), FormatError);
  }
  std::istringstream deb(
      "   Option 1:     Alpha\n   | Option 2:   Beta\n   |/ Option 3:  NOTA\n"
      "V: 13-\t abc\nV: 2-1\n");
  b = read_debian_tally(deb);
  BOOST_TEST((b.names == std::vector<std::string>{"Alpha", "Beta", "NOTA"}));
  BOOST_TEST((b.ballots[0].rank == std::vector<int>{1, 2, kUnranked}));
  BOOST_TEST((b.ballots[1].rank == std::vector<int>{2, kUnranked, 1}));
  BOOST_TEST((format_from_path("x/2005_tally.txt") == Format::kDebian));
  BOOST_TEST((format_from_path("ballots.csv") == Format::kElekto));
  BOOST_TEST((format_from_path("a.TOI") == Format::kToi));
  BOOST_TEST(!format_from_path("notes.txt").has_value());
}
