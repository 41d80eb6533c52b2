// The tie-breaking ranking of the candidates (TBRC), as count.h defines it.
// Only the first ballot of each distinct ranking can order anything (a
// second copy orders the same candidates the same way), so each distinct
// ranking is placed at the smallest key among its copies.
#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <string>

#include "crypto/crypto.h"
#include "tally/count.h"

namespace urna::tally {
namespace {

// `id=rank&id=rank`, ids sorted, unranked left out: the stored form of a
// ranking (DESIGN.md §4), so a count from the database and a count of the
// published export give the same text.
std::string canonical(const Ballot& b, const std::vector<int>& by_id,
                      const std::vector<std::string>& ids) {
  std::string s;
  for (int i : by_id) {
    if (b.rank[i] <= 0) continue;
    if (!s.empty()) s += '&';
    s += ids[i];
    s += '=';
    s += std::to_string(b.rank[i]);
  }
  return s;
}

}  // namespace

std::vector<int> tie_breaking_ranking(const std::vector<Ballot>& ballots,
                                      const std::vector<std::string>& ids,
                                      const std::string& seed) {
  const int n = static_cast<int>(ids.size());
  std::vector<int> by_id(n);
  std::iota(by_id.begin(), by_id.end(), 0);
  std::sort(by_id.begin(), by_id.end(), [&ids](int a, int b) { return ids[a] < ids[b]; });

  // Distinct ranking -> (smallest key of its copies, one ballot with it).
  struct Seen {
    std::int64_t copies = 0;
    std::string best_key;
    const Ballot* ballot = nullptr;
  };
  std::map<std::string, Seen> seen;
  for (const Ballot& b : ballots) {
    if (b.weight <= 0 || static_cast<int>(b.rank.size()) != n) continue;
    const std::string c = canonical(b, by_id, ids);
    if (c.empty()) continue;  // a blank ballot orders nothing
    Seen& s = seen[c];
    for (std::int64_t k = 0; k < b.weight; ++k) {
      std::string key =
          crypto::hex_encode(crypto::sha256(seed + "\n" + c + "\n" + std::to_string(s.copies + k)));
      if (!s.ballot || key < s.best_key) s.best_key = std::move(key);
      s.ballot = &b;
    }
    s.copies += b.weight;
  }
  std::vector<const Seen*> order;
  order.reserve(seen.size());
  for (const auto& e : seen) order.push_back(&e.second);
  std::sort(order.begin(), order.end(),
            [](const Seen* a, const Seen* b) { return a->best_key < b->best_key; });

  // Groups of still-tied candidates, best group first.
  std::vector<std::vector<int>> groups{std::vector<int>(n)};
  std::iota(groups[0].begin(), groups[0].end(), 0);
  auto all_single = [&groups] {
    for (const auto& g : groups)
      if (g.size() > 1) return false;
    return true;
  };
  for (const Seen* s : order) {
    if (all_single()) break;
    const Ballot& b = *s->ballot;
    std::vector<std::vector<int>> next;
    for (auto& g : groups) {
      if (g.size() == 1) {
        next.push_back(std::move(g));
        continue;
      }
      // Ranked first, by rank (equal ranks together); unranked last.
      auto rank_of = [&b](int c) {
        return b.rank[c] > 0 ? b.rank[c] : std::numeric_limits<int>::max();
      };
      std::stable_sort(g.begin(), g.end(), [&](int x, int y) { return rank_of(x) < rank_of(y); });
      for (size_t k = 0; k < g.size(); ++k) {
        if (k == 0 || rank_of(g[k]) != rank_of(g[k - 1])) next.emplace_back();
        next.back().push_back(g[k]);
      }
    }
    groups = std::move(next);
  }
  std::vector<int> out;
  out.reserve(n);
  for (const auto& g : groups) {
    if (g.size() == 1) {
      out.push_back(g[0]);
    } else {
      std::vector<int> part = seed_order(g, ids, seed);
      out.insert(out.end(), part.begin(), part.end());
    }
  }
  return out;
}

}  // namespace urna::tally
