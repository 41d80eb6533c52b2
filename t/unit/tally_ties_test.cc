// Ties in the Condorcet methods (issue 13): Schulze's winner set and tiers
// against a brute-force reference written from the definitions, hand-made
// profiles where strongest paths tie, the tie-breaking ranking of the
// candidates (TBRC), and ranked pairs' tie rule under permuted candidates.
#define BOOST_TEST_MODULE tally_ties
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <functional>
#include <map>
#include <numeric>
#include <random>

#include "crypto/crypto.h"
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

std::string tiers(const QuestionResult& r) {
  std::string s;
  for (const auto& t : ranking_ids(r)) {
    if (!s.empty()) s += ">";
    for (size_t i = 0; i < t.size(); ++i) s += (i ? "=" : "") + t[i];
  }
  return s;
}

using Matrix = std::vector<std::vector<std::int64_t>>;

// --- the reference, from the definitions only -----------------------------

// d[i][j]: ballots ranking both with i strictly better (Elekto: unranked
// takes part in no comparison).
Matrix reference_d(const std::vector<Ballot>& ballots, int n) {
  Matrix d(n, std::vector<std::int64_t>(n, 0));
  for (const Ballot& b : ballots)
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (i != j && b.rank[i] > 0 && b.rank[j] > 0 && b.rank[i] < b.rank[j]) d[i][j] += b.weight;
  return d;
}

// Strongest paths by trying every simple path (no Floyd–Warshall): a link
// x->y exists when d[x][y] > d[y][x], with strength d[x][y]; a path is as
// strong as its weakest link; no path = 0.
Matrix reference_p(const Matrix& d) {
  const int n = static_cast<int>(d.size());
  Matrix p(n, std::vector<std::int64_t>(n, 0));
  std::vector<bool> on_path(n, false);
  std::function<void(int, int, std::int64_t)> walk = [&](int from, int at, std::int64_t weakest) {
    for (int next = 0; next < n; ++next) {
      if (on_path[next] || d[at][next] <= d[next][at]) continue;
      std::int64_t w = std::min(weakest, d[at][next]);
      p[from][next] = std::max(p[from][next], w);
      on_path[next] = true;
      walk(from, next, w);
      on_path[next] = false;
    }
  };
  for (int x = 0; x < n; ++x) {
    on_path.assign(n, false);
    on_path[x] = true;
    walk(x, x, INT64_MAX);
  }
  return p;
}

// Winner set (Schulze 2011 §4): every X with p[X][Y] >= p[Y][X] for all Y.
std::vector<int> reference_winners(const Matrix& p) {
  const int n = static_cast<int>(p.size());
  std::vector<int> w;
  for (int x = 0; x < n; ++x) {
    bool ok = true;
    for (int y = 0; y < n; ++y)
      if (y != x && p[x][y] < p[y][x]) ok = false;
    if (ok) w.push_back(x);
  }
  return w;
}

// Elekto's published tiers: grouped by how many others beat each one,
// fewest first; inside a tier in index order.
std::vector<std::vector<int>> reference_tiers(const Matrix& p) {
  const int n = static_cast<int>(p.size());
  std::map<int, std::vector<int>> by;
  for (int x = 0; x < n; ++x) {
    int beaten = 0;
    for (int y = 0; y < n; ++y)
      if (y != x && p[y][x] > p[x][y]) ++beaten;
    by[beaten].push_back(x);
  }
  std::vector<std::vector<int>> out;
  for (auto& [k, v] : by) out.push_back(v);
  return out;
}

std::vector<std::vector<int>> sorted_tiers(std::vector<std::vector<int>> t) {
  for (auto& tier : t) std::sort(tier.begin(), tier.end());
  return t;
}

// Small random profiles that tie often: few voters, partial rankings,
// equal ranks, weights 1-3.
BallotBox random_small(std::mt19937& rng, int n) {
  BallotBox b = box(n, {});
  const int voters = 1 + static_cast<int>(rng() % 9);
  std::vector<int> perm(n);
  for (int v = 0; v < voters; ++v) {
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng);
    const int len = 1 + static_cast<int>(rng() % n);
    Ballot ballot;
    ballot.weight = 1 + static_cast<int>(rng() % 3);
    ballot.rank.assign(n, kUnranked);
    int rank = 0;
    for (int k = 0; k < len; ++k) {
      if (k == 0 || rng() % 4 != 0) ++rank;  // sometimes equal to the last
      ballot.rank[perm[k]] = rank;
    }
    b.ballots.push_back(ballot);
  }
  return b;
}

}  // namespace

// The published-committee shape: A beats C, nobody beats B and A and B have
// p = 0 both ways. Both are unbeaten: a tie for the one seat. urna used to
// rank A alone first (it beats one candidate, B none) and elect it.
BOOST_AUTO_TEST_CASE(schulze_zero_paths_both_ways_is_a_tie) {
  BallotBox b = box(3, {order("AC", 3, 1)});
  QuestionResult r = count_box(b, Method::kSchulze);
  BOOST_TEST(r.p[0][1] == 0);
  BOOST_TEST(r.p[1][0] == 0);
  BOOST_TEST(r.p[0][2] == 1);
  BOOST_TEST(tiers(r) == "A=B>C");
  BOOST_TEST(r.winners.empty());
  BOOST_TEST(r.tie_at_boundary);
  BOOST_TEST((r.tied == std::vector<int>{0, 1}));
  BOOST_TEST(r.tie_break.empty());
  BOOST_TEST_REQUIRE(!r.notes.empty());
  BOOST_TEST(r.notes.back().find("the officers decide") != std::string::npos);
  // Two seats: no tie, both elected.
  CountOptions two;
  two.seats = 2;
  r = count_box(b, Method::kSchulze, two);
  BOOST_TEST((winner_ids(r) == std::vector<std::string>{"A", "B"}));
  BOOST_TEST(!r.tie_at_boundary);
}

// Equal non-zero strengths: p[A][D] = p[D][A] = 1. D beats two candidates
// and A one, but nobody beats either, so they are tied first.
BOOST_AUTO_TEST_CASE(schulze_equal_nonzero_paths_is_a_tie) {
  BallotBox b = box(4, {order("DC", 4, 2), order("CB", 4, 2), order("BCAD", 4, 1)});
  QuestionResult r = count_box(b, Method::kSchulze);
  BOOST_TEST(r.p[0][3] == 1);
  BOOST_TEST(r.p[3][0] == 1);
  BOOST_TEST(tiers(r) == "A=D>C>B");
  BOOST_TEST(r.winners.empty());
  BOOST_TEST((r.tied == std::vector<int>{0, 3}));
  // The same with a tie-break: one winner, from the tied two, said how.
  for (TieBreak t : {TieBreak::kSeed, TieBreak::kTbrc, TieBreak::kRankedPairs}) {
    CountOptions opt;
    opt.tie_break = t;
    opt.seed = "published-2026";
    QuestionResult w = count_box(b, Method::kSchulze, opt);
    BOOST_TEST_REQUIRE(w.winners.size() == 1u);
    BOOST_TEST((w.winners[0] == 0 || w.winners[0] == 3));
    BOOST_TEST(w.tie_at_boundary);  // still reported
    BOOST_TEST(!w.tie_break.empty());
    BOOST_TEST(w.tie_break.find("published-2026") != std::string::npos);
    BOOST_TEST(tiers(w) == "A=D>C>B");  // the ranking itself is not changed
  }
}

// A tier crossing the seat boundary: 2 seats, A alone first, then three
// tied. A is elected, the second seat is open and the three are reported.
BOOST_AUTO_TEST_CASE(schulze_multi_seat_boundary_tie) {
  BallotBox b = box(4, {order("AB", 4), order("AC", 4), order("AD", 4)});
  CountOptions opt;
  opt.seats = 2;
  QuestionResult r = count_box(b, Method::kSchulze, opt);
  BOOST_TEST(tiers(r) == "A>B=C=D");
  BOOST_TEST((winner_ids(r) == std::vector<std::string>{"A"}));
  BOOST_TEST(r.tie_at_boundary);
  BOOST_TEST((r.tied == std::vector<int>{1, 2, 3}));
  BOOST_TEST_REQUIRE(!r.notes.empty());
  BOOST_TEST(r.notes.back().find("3 candidates tied for the last seat") == 0u);
  // Four seats: everyone, no tie.
  opt.seats = 4;
  r = count_box(b, Method::kSchulze, opt);
  BOOST_TEST(r.winners.size() == 4u);
  BOOST_TEST(!r.tie_at_boundary);
}

// 10,000 random small profiles: Floyd–Warshall equals every-path search,
// the first tier is exactly the unbeaten set, the tiers are the "beaten
// by" grouping, and the winners are the unbeaten set or a reported tie.
BOOST_AUTO_TEST_CASE(schulze_matches_brute_force_reference) {
  std::mt19937 rng(20261201);
  int ties = 0, multi = 0;
  for (int t = 0; t < 10000; ++t) {
    const int n = 2 + t % 5;  // 2..6 candidates
    BallotBox b = random_small(rng, n);
    QuestionResult r = count_box(b, Method::kSchulze);
    const Matrix d = reference_d(b.ballots, n);
    const Matrix p = reference_p(d);
    BOOST_TEST_REQUIRE(r.d == d, "profile " << t);
    BOOST_TEST_REQUIRE(r.p == p, "profile " << t);
    const std::vector<int> w = reference_winners(p);
    BOOST_TEST_REQUIRE(!w.empty(), "profile " << t);  // Schulze: never empty
    BOOST_TEST_REQUIRE(sorted_tiers(r.ranking) == reference_tiers(p),
                       "profile " << t << ": " << tiers(r));
    std::vector<int> first = r.ranking.at(0);
    std::sort(first.begin(), first.end());
    BOOST_TEST_REQUIRE(first == w, "profile " << t);
    if (w.size() == 1) {
      BOOST_TEST_REQUIRE(r.winners == w, "profile " << t);
      BOOST_TEST_REQUIRE(!r.tie_at_boundary, "profile " << t);
    } else {
      ++ties;
      BOOST_TEST_REQUIRE(r.winners.empty(), "profile " << t);
      BOOST_TEST_REQUIRE(r.tie_at_boundary, "profile " << t);
      std::vector<int> tied = r.tied;
      std::sort(tied.begin(), tied.end());
      BOOST_TEST_REQUIRE(tied == w, "profile " << t);
    }
    if (reference_tiers(p).size() > 2) ++multi;
  }
  // The profiles really do tie (and really do have several tiers).
  BOOST_TEST(ties > 1000);
  BOOST_TEST(multi > 1000);
}

// --- TBRC -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(tbrc_is_the_first_random_ballot_then_the_next) {
  // Keys written out here from the definition in count.h.
  const std::vector<std::string> ids = {"A", "B", "C", "D"};
  std::vector<Ballot> ballots = {order("BA", 4), order("(CD)A", 4), order("DC", 4)};
  const std::string seed = "s";
  auto key = [&](const std::string& c, int k) {
    return crypto::hex_encode(crypto::sha256(seed + "\n" + c + "\n" + std::to_string(k)));
  };
  std::vector<std::pair<std::string, std::string>> keyed = {
      {key("A=2&B=1", 0), "BA"}, {key("A=2&C=1&D=1", 0), "(CD)A"}, {key("C=2&D=1", 0), "DC"}};
  std::sort(keyed.begin(), keyed.end());
  // Apply the ballots in key order by hand.
  std::vector<std::vector<int>> groups{{0, 1, 2, 3}};
  for (const auto& [k, s] : keyed) {
    Ballot b = order(s, 4);
    std::vector<std::vector<int>> next;
    for (auto g : groups) {
      std::stable_sort(g.begin(), g.end(), [&](int x, int y) {
        int rx = b.rank[x] > 0 ? b.rank[x] : 99, ry = b.rank[y] > 0 ? b.rank[y] : 99;
        return rx < ry;
      });
      for (size_t i = 0; i < g.size(); ++i) {
        auto rk = [&](int c) { return b.rank[c] > 0 ? b.rank[c] : 99; };
        if (i == 0 || rk(g[i]) != rk(g[i - 1])) next.emplace_back();
        next.back().push_back(g[i]);
      }
    }
    groups = next;
  }
  std::vector<int> expected;
  for (const auto& g : groups) {
    auto part = g.size() == 1 ? g : seed_order(g, ids, seed);
    expected.insert(expected.end(), part.begin(), part.end());
  }
  BOOST_TEST(tie_breaking_ranking(ballots, ids, seed) == expected);
}

BOOST_AUTO_TEST_CASE(tbrc_does_not_depend_on_listing_order) {
  std::mt19937 rng(99);
  for (int t = 0; t < 300; ++t) {
    const int n = 2 + t % 6;
    BallotBox b = random_small(rng, n);
    const std::string seed = "seed-" + std::to_string(t);
    std::vector<int> tbrc = tie_breaking_ranking(b.ballots, b.candidates, seed);
    // A strict order of every candidate.
    std::vector<int> sorted = tbrc;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int> all(n);
    std::iota(all.begin(), all.end(), 0);
    BOOST_TEST_REQUIRE(sorted == all);
    // Ballots shuffled, weights spelled out as copies: the same.
    std::vector<Ballot> copies;
    for (const Ballot& x : b.ballots)
      for (int k = 0; k < x.weight; ++k) {
        Ballot one = x;
        one.weight = 1;
        copies.push_back(one);
      }
    std::shuffle(copies.begin(), copies.end(), rng);
    BOOST_TEST_REQUIRE(tie_breaking_ranking(copies, b.candidates, seed) == tbrc);
    // Candidates listed in another order: the same ids in the same order.
    std::vector<int> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng);  // new index k = old perm[k]
    std::vector<std::string> ids2(n);
    for (int k = 0; k < n; ++k) ids2[k] = b.candidates[perm[k]];
    std::vector<Ballot> ballots2;
    for (const Ballot& x : b.ballots) {
      Ballot y = x;
      for (int k = 0; k < n; ++k) y.rank[k] = x.rank[perm[k]];
      ballots2.push_back(y);
    }
    std::vector<std::string> a, c;
    for (int i : tbrc) a.push_back(b.candidates[i]);
    for (int i : tie_breaking_ranking(ballots2, ids2, seed)) c.push_back(ids2[i]);
    BOOST_TEST_REQUIRE(a == c);
  }
  // Another seed gives (in general) another order.
  BallotBox b = box(6, {});
  BOOST_TEST(tie_breaking_ranking(b.ballots, b.candidates, "x") !=
             tie_breaking_ranking(b.ballots, b.candidates, "y"));
}

// --- ranked pairs -------------------------------------------------------------

namespace {

// `b` with the candidates listed in the order perm (new k = old perm[k]).
BallotBox permuted(const BallotBox& b, const std::vector<int>& perm) {
  const int n = static_cast<int>(perm.size());
  BallotBox out = b;
  for (int k = 0; k < n; ++k) {
    out.candidates[k] = b.candidates[perm[k]];
    out.names[k] = b.names[perm[k]];
  }
  for (size_t v = 0; v < b.ballots.size(); ++v)
    for (int k = 0; k < n; ++k) out.ballots[v].rank[k] = b.ballots[v].rank[perm[k]];
  return out;
}

bool equal_strengths(const Matrix& d) {
  std::vector<std::pair<std::int64_t, std::int64_t>> s;
  for (size_t i = 0; i < d.size(); ++i)
    for (size_t j = 0; j < d.size(); ++j)
      if (i != j && d[i][j] > d[j][i]) s.emplace_back(d[i][j], d[j][i]);
  std::sort(s.begin(), s.end());
  return std::adjacent_find(s.begin(), s.end()) != s.end();
}

bool exact_pair_ties(const Matrix& d) {
  for (size_t i = 0; i < d.size(); ++i)
    for (size_t j = i + 1; j < d.size(); ++j)
      if (d[i][j] == d[j][i]) return true;
  return false;
}

}  // namespace

// Permuting the candidate order never changes the result: without equal
// pairs trivially, and with equal pairs because the TBRC (from the seed and
// the ballots, by id) orders them, never the file order.
BOOST_AUTO_TEST_CASE(ranked_pairs_candidate_order_irrelevant) {
  std::mt19937 rng(4242);
  int with_equal = 0, without = 0, order_mattered = 0;
  for (int t = 0; t < 3000; ++t) {
    const int n = 3 + t % 4;
    BallotBox b = random_small(rng, n);
    CountOptions opt;
    opt.seed = "rp-" + std::to_string(t % 7);
    QuestionResult r = count_box(b, Method::kRankedPairs, opt);
    if (exact_pair_ties(r.d)) continue;  // genuine ties stay ties
    (equal_strengths(r.d) ? with_equal : without) += 1;
    for (int k = 0; k < 3; ++k) {
      std::vector<int> perm(n);
      std::iota(perm.begin(), perm.end(), 0);
      std::shuffle(perm.begin(), perm.end(), rng);
      QuestionResult q = count_box(permuted(b, perm), Method::kRankedPairs, opt);
      BOOST_TEST_REQUIRE(tiers(q) == tiers(r), "profile " << t);
      BOOST_TEST_REQUIRE(winner_ids(q) == winner_ids(r), "profile " << t);
    }
    for (const auto& note : r.notes)
      if (note.find("changed the ranking") != std::string::npos) ++order_mattered;
  }
  BOOST_TEST(with_equal > 200);
  BOOST_TEST(without > 200);
  BOOST_TEST(order_mattered > 10);  // the rule really decided something
}

// Equal pairs decided by the TBRC, checked by hand: a 3-cycle of equal
// strength (A>B, B>C, C>A each 2:1). The pair won by the TBRC's first is
// locked first, then the pair won by its second; the third pair would close
// the cycle and is skipped.
BOOST_AUTO_TEST_CASE(ranked_pairs_equal_cycle_follows_tbrc) {
  BallotBox b = box(3, {order("ABC", 3), order("BCA", 3), order("CAB", 3)});
  for (const std::string seed : {"a", "b", "c", "d", "e", "f"}) {
    CountOptions opt;
    opt.seed = seed;
    QuestionResult r = count_box(b, Method::kRankedPairs, opt);
    BOOST_TEST_REQUIRE(r.tbrc.size() == 3u);
    // Pairs (winner>loser): A>B, B>C, C>A; the TBRC's first x locks its
    // own win first, then the pair won by the next in the TBRC; the third
    // pair would close the cycle. So x's win and the next one's hold.
    const int x = r.tbrc[0], y = r.tbrc[1];
    const int beaten_by_x = (x + 1) % 3, beaten_by_y = (y + 1) % 3;
    BOOST_TEST_REQUIRE(r.locked.size() == 2u, "seed " << seed);
    BOOST_TEST((r.locked[0] == std::make_pair(x, beaten_by_x)));
    BOOST_TEST((r.locked[1] == std::make_pair(y, beaten_by_y)));
    BOOST_TEST(r.winners.size() == 1u);
    BOOST_TEST(r.ranking.size() == 3u);  // a complete order
    BOOST_TEST(!r.notes.empty());
    // The TBRC is in the JSON, and reads back.
    QuestionResult back = question_result_from_json(to_json(r));
    BOOST_TEST(back.tbrc == r.tbrc);
  }
}
