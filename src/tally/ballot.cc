#include "tally/ballot.h"

#include <algorithm>
#include <map>

namespace urna::tally {

namespace {

std::uint64_t ranking_hash(const std::vector<int>& rank) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the ranks
  for (int r : rank) {
    h ^= static_cast<std::uint32_t>(r);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::vector<Ballot> compress(std::vector<Ballot> ballots) {
  // Sort (hash, ranking) keys rather than the ballots themselves: cheap
  // to move, and the order depends only on the rankings.
  std::vector<std::pair<std::uint64_t, std::size_t>> keys;
  keys.reserve(ballots.size());
  for (std::size_t i = 0; i < ballots.size(); ++i)
    if (ballots[i].weight != 0) keys.emplace_back(ranking_hash(ballots[i].rank), i);
  std::sort(keys.begin(), keys.end(), [&ballots](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return ballots[a.second].rank < ballots[b.second].rank;
  });
  std::vector<Ballot> out;
  out.reserve(keys.size());
  for (std::size_t k = 0; k < keys.size(); ++k) {
    Ballot& b = ballots[keys[k].second];
    if (k > 0 && keys[k].first == keys[k - 1].first &&
        out.back().rank == b.rank) {
      out.back().weight += b.weight;
    } else {
      out.push_back(std::move(b));
    }
  }
  return out;
}

std::int64_t total_weight(const std::vector<Ballot>& ballots) {
  std::int64_t n = 0;
  for (const auto& b : ballots) n += b.weight;
  return n;
}

bool is_blank(const Ballot& b) {
  for (int r : b.rank)
    if (r != kUnranked) return false;
  return true;
}

BallotRules rules_for(const core::Question& q) {
  BallotRules r;
  r.method = q.method;
  r.answers = static_cast<int>(q.answers.size());
  r.min_selections = q.min_selections;
  r.max_selections = q.max_selections;
  if (q.method == core::Method::kPlurality && r.max_selections == 0)
    r.max_selections = 1;
  return r;
}

BallotCheck check_ballot(const Ballot& b, const BallotRules& rules) {
  BallotCheck c;
  if (static_cast<int>(b.rank.size()) != rules.answers) {
    c.status = BallotStatus::kInvalid;
    c.reason = "the ballot has " + std::to_string(b.rank.size()) +
               " answers, the question " + std::to_string(rules.answers);
    return c;
  }
  int selected = 0;
  for (int r : b.rank) {
    if (r < 0 || r > rules.answers) {
      c.status = BallotStatus::kInvalid;
      c.reason = "rank " + std::to_string(r) + " is out of range 1.." +
                 std::to_string(rules.answers);
      return c;
    }
    if (r != kUnranked) ++selected;
  }
  if (selected == 0) {
    c.status = BallotStatus::kBlank;
    return c;
  }
  if (core::method_is_ranked(rules.method)) {
    if (!rules.allow_ties) {
      std::vector<int> seen;
      for (int r : b.rank)
        if (r != kUnranked) seen.push_back(r);
      std::sort(seen.begin(), seen.end());
      if (std::adjacent_find(seen.begin(), seen.end()) != seen.end()) {
        c.status = BallotStatus::kInvalid;
        c.reason = "two answers share a rank, which this question forbids";
        return c;
      }
    }
  } else {
    int max = rules.max_selections > 0 ? rules.max_selections : rules.answers;
    if (rules.method == core::Method::kPlurality && rules.max_selections == 0)
      max = 1;
    if (selected > max) {
      c.status = BallotStatus::kInvalid;
      c.reason = "too many selections: " + std::to_string(selected) +
                 " (at most " + std::to_string(max) + ")";
      return c;
    }
    if (selected < rules.min_selections) {
      c.status = BallotStatus::kInvalid;
      c.reason = "too few selections: " + std::to_string(selected) +
                 " (at least " + std::to_string(rules.min_selections) + ")";
      return c;
    }
  }
  return c;
}

AnswerIndex answer_index(const std::vector<std::string>& answer_ids) {
  AnswerIndex index;
  for (size_t i = 0; i < answer_ids.size(); ++i)
    index.emplace(answer_ids[i], static_cast<int>(i));
  return index;
}

BallotCheck convert_ballot(const RawBallot& raw,
                           const std::vector<std::string>& answer_ids,
                           const BallotRules& rules, Ballot* out) {
  return convert_ballot(raw, answer_index(answer_ids), rules, out);
}

BallotCheck convert_ballot(const RawBallot& raw, const AnswerIndex& index,
                           const BallotRules& rules, Ballot* out) {
  Ballot b;
  b.weight = raw.weight;
  b.rank.assign(index.size(), kUnranked);
  std::vector<bool> seen(index.size(), false);
  for (const auto& [id, rank] : raw.marks) {
    auto it = index.find(id);
    if (it == index.end())
      return {BallotStatus::kInvalid, "unknown answer \"" + id + "\""};
    if (seen[it->second])
      return {BallotStatus::kInvalid,
              "answer \"" + id + "\" appears more than once"};
    seen[it->second] = true;
    b.rank[it->second] = rank;
  }
  BallotCheck c = check_ballot(b, rules);
  if (c.status != BallotStatus::kInvalid && out) *out = std::move(b);
  return c;
}

}  // namespace urna::tally
