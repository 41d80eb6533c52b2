// Condorcet methods: the pairwise matrix, Schulze (winning votes, as Elekto
// counts it; winners and tiers as Schulze 2011 §4 and Elekto's published
// results define them), ranked pairs with Zavist–Tideman's tie rule, and
// Debian's quorum / supermajority drops.
#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "tally/methods.h"

namespace urna::tally {

std::vector<std::vector<std::int64_t>> pairwise(const std::vector<Ballot>& ballots, int candidates,
                                                Unranked unranked) {
  const int n = candidates;
  // A flat matrix and per-ballot bucket sort by rank: O(pairs) per ballot
  // with no allocation inside the loop (1M ballots x 20 answers < 1 s).
  std::vector<std::int64_t> d(static_cast<size_t>(n) * n, 0);
  std::vector<int> order(n), group_end(n), count(n + 2), unranked_list(n);
  for (const Ballot& b : ballots) {
    if (static_cast<int>(b.rank.size()) != n)
      throw std::invalid_argument("pairwise: ballot size differs");
    std::fill(count.begin(), count.end(), 0);
    int m = 0, u = 0;
    for (int i = 0; i < n; ++i) {
      int r = b.rank[i];
      if (r > 0 && r <= n) {
        ++count[r + 1];
        ++m;
      } else {
        unranked_list[u++] = i;
      }
    }
    if (m == 0) continue;
    for (int r = 1; r <= n + 1; ++r) count[r] += count[r - 1];
    // count[r] = first slot of rank r.
    for (int i = 0; i < n; ++i) {
      int r = b.rank[i];
      if (r > 0 && r <= n) order[count[r]++] = i;
    }
    // After the fill count[r] = end of rank r's slots.
    for (int k = 0; k < m; ++k) group_end[k] = count[b.rank[order[k]]];
    const std::int64_t w = b.weight;
    for (int k = 0; k < m; ++k) {
      std::int64_t* row = &d[static_cast<size_t>(order[k]) * n];
      for (int l = group_end[k]; l < m; ++l) row[order[l]] += w;
      if (unranked == Unranked::kLast)
        for (int l = 0; l < u; ++l) row[unranked_list[l]] += w;
    }
  }
  std::vector<std::vector<std::int64_t>> out(n, std::vector<std::int64_t>(n));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) out[i][j] = d[static_cast<size_t>(i) * n + j];
  return out;
}

std::vector<std::vector<std::int64_t>> strongest_paths(
    const std::vector<std::vector<std::int64_t>>& d) {
  const int n = static_cast<int>(d.size());
  internal::Matrix p(n, std::vector<std::int64_t>(n, 0));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (i != j && d[i][j] > d[j][i]) p[i][j] = d[i][j];
  for (int k = 0; k < n; ++k)
    for (int i = 0; i < n; ++i) {
      if (i == k) continue;
      for (int j = 0; j < n; ++j) {
        if (j == k || j == i) continue;
        p[i][j] = std::max(p[i][j], std::min(p[i][k], p[k][j]));
      }
    }
  return p;
}

namespace internal {
namespace {

// Debian A.6 drops: quorum and majority ratio against the default option.
std::vector<bool> debian_drops(const Matrix& d, const CountOptions& opt, QuestionResult* r) {
  const int n = static_cast<int>(d.size());
  std::vector<bool> active(n, true);
  const int def = opt.default_option;
  if (def < 0) return active;
  if (def >= n) throw std::invalid_argument("default option out of range");
  for (int a = 0; a < n; ++a) {
    if (a == def) continue;
    const double over = static_cast<double>(d[a][def]);
    const double under = static_cast<double>(d[def][a]);
    const double ratio = a < static_cast<int>(opt.majority.size()) ? opt.majority[a] : 1.0;
    if (opt.quorum > 0 && over < opt.quorum) {
      active[a] = false;
      r->dropped.emplace_back(a, "quorum: " + std::to_string(d[a][def]) + " ballots prefer it to " +
                                     r->candidates[def] + ", fewer than the quorum");
    } else if (!(over > ratio * under)) {
      // V(A,D)/V(D,A) <= ratio, written without dividing by zero.
      active[a] = false;
      r->dropped.emplace_back(a, "majority: " + std::to_string(d[a][def]) + ":" +
                                     std::to_string(d[def][a]) + " against " + r->candidates[def] +
                                     " does not exceed " + std::to_string(ratio) + ":1");
    }
  }
  return active;
}

std::vector<int> active_list(const std::vector<bool>& active) {
  std::vector<int> out;
  for (int i = 0; i < static_cast<int>(active.size()); ++i)
    if (active[i]) out.push_back(i);
  return out;
}

void append_dropped(const std::vector<bool>& active, std::vector<std::vector<int>>* ranking) {
  std::vector<int> last;
  for (int i = 0; i < static_cast<int>(active.size()); ++i)
    if (!active[i]) last.push_back(i);
  if (!last.empty()) ranking->push_back(last);
}

}  // namespace

void count_schulze(const std::vector<Ballot>& ballots, const CountOptions& opt, QuestionResult* r) {
  const int n = static_cast<int>(r->candidates.size());
  r->d = pairwise(ballots, n, opt.unranked);
  std::vector<bool> active = debian_drops(r->d, opt, r);
  Matrix d = r->d;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (!active[i] || !active[j]) d[i][j] = 0;
  r->p = strongest_paths(d);
  r->ranking = schulze_tiers(r->p, active_list(active));
  append_dropped(active, &r->ranking);
  winners_from_ranking(opt, r, &ballots);
}

std::vector<std::vector<int>> schulze_tiers(const Matrix& p, const std::vector<int>& among) {
  // Schulze 2011 §4: X is a winner iff p[X][Y] >= p[Y][X] for every Y, i.e.
  // nobody beats X. The tiers are those of Elekto's published results:
  // candidates grouped by how many others beat them (p[Y][X] > p[X][Y]),
  // fewest first, so the first tier is exactly the winner set. (Grouping by
  // how many each one beats, as urna did before, puts a candidate alone
  // first when it beats one more candidate than another unbeaten one.)
  std::vector<double> beaten_by(p.size(), 0);
  for (int x : among)
    for (int y : among)
      if (x != y && p[y][x] > p[x][y]) beaten_by[x] -= 1;  // fewer = higher
  return tiers_by_score(beaten_by, among);
}

std::vector<std::vector<int>> ranked_pairs_tiers(const Matrix& d, const std::vector<int>& among_in,
                                                 std::vector<std::pair<int, int>>* locked,
                                                 const std::vector<int>& tbrc) {
  const int n = static_cast<int>(d.size());
  std::vector<int> among = among_in;
  if (among.empty()) {
    among.resize(n);
    std::iota(among.begin(), among.end(), 0);
  }
  // Position of each candidate in the TBRC (smaller = higher).
  std::vector<int> pos(n, n);
  for (size_t k = 0; k < tbrc.size(); ++k) pos.at(tbrc[k]) = static_cast<int>(k);
  for (int c : among)
    if (pos[c] == n) throw std::invalid_argument("ranked pairs: TBRC incomplete");
  std::vector<std::pair<int, int>> pairs;
  for (int i : among)
    for (int j : among)
      if (i != j && d[i][j] > d[j][i]) pairs.emplace_back(i, j);
  std::sort(pairs.begin(), pairs.end(), [&d, &pos](const auto& a, const auto& b) {
    if (d[a.first][a.second] != d[b.first][b.second])
      return d[a.first][a.second] > d[b.first][b.second];
    if (d[a.second][a.first] != d[b.second][b.first])
      return d[a.second][a.first] < d[b.second][b.first];
    // Equal strength: Zavist–Tideman's tie-breaking ranking of the pairs.
    if (a.first != b.first) return pos[a.first] < pos[b.first];
    return pos[a.second] > pos[b.second];
  });
  std::vector<std::vector<bool>> edge(n, std::vector<bool>(n, false));
  auto reaches = [&](int from, int to) {
    std::vector<bool> seen(n, false);
    std::vector<int> stack{from};
    seen[from] = true;
    while (!stack.empty()) {
      int x = stack.back();
      stack.pop_back();
      if (x == to) return true;
      for (int y = 0; y < n; ++y)
        if (edge[x][y] && !seen[y]) {
          seen[y] = true;
          stack.push_back(y);
        }
    }
    return false;
  };
  for (const auto& [i, j] : pairs) {
    if (reaches(j, i)) continue;  // would close a cycle
    edge[i][j] = true;
    if (locked) locked->emplace_back(i, j);
  }
  // Tiers: repeatedly the candidates nobody remaining beats in the graph.
  std::vector<std::vector<int>> tiers;
  std::vector<int> left = among;
  while (!left.empty()) {
    std::vector<int> top, rest;
    for (int c : left) {
      bool beaten = false;
      for (int o : left)
        if (edge[o][c]) beaten = true;
      (beaten ? rest : top).push_back(c);
    }
    if (top.empty()) throw std::logic_error("ranked pairs: cycle locked");
    tiers.push_back(top);
    left = rest;
  }
  return tiers;
}

namespace {

// True when two pairs (both directions counted once) have the same winning
// and losing votes: only then does the TBRC take part.
bool has_equal_pairs(const Matrix& d, const std::vector<int>& among) {
  std::vector<std::pair<std::int64_t, std::int64_t>> strengths;
  for (int i : among)
    for (int j : among)
      if (i != j && d[i][j] > d[j][i]) strengths.emplace_back(d[i][j], d[j][i]);
  std::sort(strengths.begin(), strengths.end());
  return std::adjacent_find(strengths.begin(), strengths.end()) != strengths.end();
}

}  // namespace

void count_ranked_pairs(const std::vector<Ballot>& ballots, const CountOptions& opt,
                        QuestionResult* r) {
  const int n = static_cast<int>(r->candidates.size());
  r->d = pairwise(ballots, n, opt.unranked);
  std::vector<bool> active = debian_drops(r->d, opt, r);
  const std::vector<int> among = active_list(active);
  std::vector<int> tbrc;
  if (has_equal_pairs(r->d, among)) {
    tbrc = tbrc_of(opt, r, &ballots);
    // Would the other order of the equal pairs have locked differently?
    std::vector<int> reversed(tbrc.rbegin(), tbrc.rend());
    if (ranked_pairs_tiers(r->d, among, nullptr, tbrc) !=
        ranked_pairs_tiers(r->d, among, nullptr, reversed))
      r->notes.push_back(
          "pairs of equal strength were locked in the order of the "
          "tie-breaking ranking of the candidates (TBRC, seed \"" +
          opt.seed + "\"), and that order changed the ranking");
  } else {
    // No two pairs are equal: the order below is never consulted.
    tbrc.resize(n);
    std::iota(tbrc.begin(), tbrc.end(), 0);
  }
  r->ranking = ranked_pairs_tiers(r->d, among, &r->locked, tbrc);
  append_dropped(active, &r->ranking);
  winners_from_ranking(opt, r, &ballots);
}

}  // namespace internal
}  // namespace urna::tally
