#include "tally/ballot.h"

#include <algorithm>
#include <map>

namespace urna::tally {

std::vector<Ballot> compress(std::vector<Ballot> ballots) {
  // Sort by ranking, then merge runs; sorting (not hashing) keeps the output
  // order independent of the input order.
  std::sort(ballots.begin(), ballots.end(),
            [](const Ballot& a, const Ballot& b) { return a.rank < b.rank; });
  std::vector<Ballot> out;
  out.reserve(ballots.size());
  for (auto& b : ballots) {
    if (b.weight == 0) continue;
    if (!out.empty() && out.back().rank == b.rank) {
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

BallotCheck convert_ballot(const RawBallot& raw,
                           const std::vector<std::string>& answer_ids,
                           const BallotRules& rules, Ballot* out) {
  std::map<std::string, int> index;
  for (size_t i = 0; i < answer_ids.size(); ++i)
    index[answer_ids[i]] = static_cast<int>(i);
  Ballot b;
  b.weight = raw.weight;
  b.rank.assign(answer_ids.size(), kUnranked);
  std::vector<bool> seen(answer_ids.size(), false);
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
