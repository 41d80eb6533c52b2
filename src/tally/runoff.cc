// IRV and STV: papers move between candidates' piles round by round.
// Values are fixed-point integers (1 for IRV; 10^-5 for Scottish STV,
// 10^-4 for Minneapolis) so that every total is exact and reproducible.
//
// A ballot that ranks several continuing candidates equally at the point
// where it is next read is an overvote: it becomes non-transferable (and
// stays so). This reproduces Burlington's official 2009 IRV rounds.
#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "tally/methods.h"

namespace urna::tally::internal {
namespace {

// No valid ballot: nothing to transfer; everyone ties.
bool no_ballots(const std::vector<Ballot>& ballots, const CountOptions& opt,
                QuestionResult* r) {
  if (total_weight(ballots) > 0) return false;
  std::vector<int> all(r->candidates.size());
  std::iota(all.begin(), all.end(), 0);
  r->ranking = {all};
  r->notes.push_back("no valid ballots");
  winners_from_ranking(opt, r);
  return true;
}

enum class Status { kHopeful, kElected, kExcluded };

struct Parcel {
  int ballot;
  int pos;  // index into Papers::cand of the group holding the candidate
  std::int64_t weight;
  std::int64_t value;  // per paper, fixed-point
};

// Every ballot's ranked candidates in rank order, flattened.
struct Papers {
  std::vector<int> cand;
  std::vector<int> rank;
  std::vector<std::size_t> start;  // size ballots + 1
};

Papers flatten(const std::vector<Ballot>& ballots, int n) {
  Papers p;
  p.start.reserve(ballots.size() + 1);
  p.start.push_back(0);
  std::vector<int> count(n + 2);
  std::vector<int> order(n);
  for (const Ballot& b : ballots) {
    std::fill(count.begin(), count.end(), 0);
    int m = 0;
    for (int i = 0; i < n; ++i)
      if (b.rank[i] > 0 && b.rank[i] <= n) {
        ++count[b.rank[i] + 1];
        ++m;
      }
    for (int r = 1; r <= n + 1; ++r) count[r] += count[r - 1];
    for (int i = 0; i < n; ++i)
      if (b.rank[i] > 0 && b.rank[i] <= n) order[count[b.rank[i]]++] = i;
    for (int k = 0; k < m; ++k) {
      p.cand.push_back(order[k]);
      p.rank.push_back(b.rank[order[k]]);
    }
    p.start.push_back(p.cand.size());
  }
  return p;
}

class Count {
 public:
  Count(const std::vector<Ballot>& ballots, const CountOptions& opt,
        QuestionResult* r, std::int64_t scale)
      : opt_(opt),
        r_(r),
        n_(static_cast<int>(r->candidates.size())),
        scale_(scale),
        papers_(flatten(ballots, n_)),
        status_(n_, Status::kHopeful),
        votes_(n_, 0),
        piles_(n_) {
    for (int b = 0; b < static_cast<int>(ballots.size()); ++b) {
      Parcel p{b, static_cast<int>(papers_.start[b]), ballots[b].weight, scale_};
      place(p);
    }
  }

  // Moves a parcel to its next continuing preference (or exhausts it).
  void place(Parcel p) {
    const int end = static_cast<int>(papers_.start[p.ballot + 1]);
    int pos = p.pos;
    while (pos < end) {
      int group_end = pos;
      int found = -1, continuing = 0;
      while (group_end < end && papers_.rank[group_end] == papers_.rank[pos]) {
        int c = papers_.cand[group_end];
        if (status_[c] == Status::kHopeful) {
          ++continuing;
          found = c;
        }
        ++group_end;
      }
      if (continuing == 1) {
        p.pos = pos;
        votes_[found] += p.weight * p.value;
        piles_[found].push_back(p);
        return;
      }
      if (continuing > 1) break;  // overvote
      pos = group_end;
    }
    exhausted_ += p.weight * p.value;
  }

  double to_double(std::int64_t v) const {
    return static_cast<double>(v) / static_cast<double>(scale_);
  }

  Round snapshot() const {
    Round rd;
    for (int c = 0; c < n_; ++c) rd.votes.push_back(to_double(votes_[c]));
    rd.exhausted = to_double(exhausted_);
    rd.lost = to_double(lost_);
    return rd;
  }

  std::vector<int> hopefuls() const {
    std::vector<int> out;
    for (int c = 0; c < n_; ++c)
      if (status_[c] == Status::kHopeful) out.push_back(c);
    return out;
  }

  // Among `tied` (equal now), the candidates that come out lowest (or
  // highest) by earlier rounds: forward from the first round (Scottish
  // rules) or backward from the last (IRV). Then seed order; `note` says.
  int pick(std::vector<int> tied, bool lowest, bool forward, std::string* note) {
    const int rounds = static_cast<int>(r_->rounds.size());
    for (int k = 0; k < rounds && tied.size() > 1; ++k) {
      const auto& v = r_->rounds[forward ? k : rounds - 1 - k].votes;
      double best = v[tied[0]];
      for (int c : tied) best = lowest ? std::min(best, v[c]) : std::max(best, v[c]);
      std::vector<int> keep;
      for (int c : tied)
        if (v[c] == best) keep.push_back(c);
      if (keep.size() < tied.size() && note)
        *note += "tie decided by the totals of an earlier round; ";
      tied = keep;
    }
    if (tied.size() == 1) return tied[0];
    std::vector<int> order = seed_order(tied, r_->candidates, opt_.seed);
    if (note)
      *note += "tie decided by lot: sha256(seed + \"\\n\" + id) order, seed \"" +
               opt_.seed + "\"; ";
    r_->tie_break = "lot: sha256(seed + \"\\n\" + id) ascending, seed \"" +
                    opt_.seed + "\"";
    r_->tie_at_boundary = true;
    r_->tied = tied;
    return lowest ? order.back() : order.front();
  }

  // Lowest first, ties ordered by pick().
  std::vector<int> by_votes(std::vector<int> cands, bool lowest_first) {
    std::sort(cands.begin(), cands.end(), [&](int a, int b) {
      return lowest_first ? votes_[a] < votes_[b] : votes_[a] > votes_[b];
    });
    return cands;
  }

  // Candidates to exclude now: with `batch`, every lowest group whose sum
  // is below the next candidate's votes (capped at `max`), else the lowest.
  std::vector<int> to_exclude(bool batch, int max, bool forward,
                              std::string* note) {
    std::vector<int> h = by_votes(hopefuls(), true);
    if (batch) {
      std::int64_t sum = 0;
      int k_best = 0;
      for (int k = 1; k < static_cast<int>(h.size()) && k <= max; ++k) {
        sum += votes_[h[k - 1]];
        if (sum < votes_[h[k]]) k_best = k;
      }
      if (k_best > 0) return std::vector<int>(h.begin(), h.begin() + k_best);
    }
    std::vector<int> tied;
    for (int c : h)
      if (votes_[c] == votes_[h[0]]) tied.push_back(c);
    return {pick(tied, true, forward, note)};
  }

  void exclude(const std::vector<int>& cands) {
    for (int c : cands) status_[c] = Status::kExcluded;
    for (int c : cands) {
      std::vector<Parcel> pile;
      pile.swap(piles_[c]);
      votes_[c] = 0;
      for (const Parcel& p : pile) place(p);
    }
  }

  // Weighted inclusive Gregory: every paper of `c` goes on at
  // value * surplus / total, truncated to the scale.
  void transfer_surplus(int c, std::int64_t quota) {
    const std::int64_t total = votes_[c];
    const std::int64_t surplus = total - quota;
    std::vector<Parcel> pile;
    pile.swap(piles_[c]);
    votes_[c] = quota;
    std::int64_t moved = 0;
    const std::int64_t exhausted_before = exhausted_;
    for (Parcel p : pile) {
      p.value = static_cast<std::int64_t>(static_cast<__int128>(p.value) *
                                          surplus / total);
      std::int64_t before = exhausted_;
      place(p);
      if (exhausted_ == before) moved += p.weight * p.value;
    }
    lost_ += surplus - moved - (exhausted_ - exhausted_before);
  }

  void finish_rounds() {
    auto& rounds = r_->rounds;
    for (size_t k = 0; k + 1 < rounds.size(); ++k) {
      rounds[k].transfers.resize(n_);
      for (int c = 0; c < n_; ++c)
        rounds[k].transfers[c] = rounds[k + 1].votes[c] - rounds[k].votes[c];
    }
    if (!rounds.empty()) r_->scores = rounds.back().votes;
  }

  // Ranking: elected in order, then the still-hopeful by votes, then the
  // excluded, last excluded first.
  void build_ranking(const std::vector<std::vector<int>>& excluded) {
    r_->ranking.clear();
    for (int c : r_->winners) r_->ranking.push_back({c});
    std::vector<double> v(n_);
    for (int c = 0; c < n_; ++c) v[c] = static_cast<double>(votes_[c]);
    for (const auto& tier : tiers_by_score(v, hopefuls())) r_->ranking.push_back(tier);
    for (auto it = excluded.rbegin(); it != excluded.rend(); ++it)
      r_->ranking.push_back(*it);
  }

  const CountOptions& opt_;
  QuestionResult* r_;
  const int n_;
  const std::int64_t scale_;
  Papers papers_;
  std::vector<Status> status_;
  std::vector<std::int64_t> votes_;
  std::vector<std::vector<Parcel>> piles_;
  std::int64_t exhausted_ = 0;
  std::int64_t lost_ = 0;
};

}  // namespace

void count_irv(const std::vector<Ballot>& ballots, const CountOptions& opt,
               QuestionResult* r) {
  if (r->seats != 1)
    throw std::invalid_argument("IRV elects one candidate; use STV for " +
                                std::to_string(r->seats) + " seats");
  if (no_ballots(ballots, opt, r)) return;
  Count k(ballots, opt, r, 1);
  std::vector<std::vector<int>> excluded;
  while (true) {
    Round rd = k.snapshot();
    std::vector<int> h = k.hopefuls();
    std::int64_t continuing = 0;
    for (int c : h) continuing += k.votes_[c];
    r->quota = static_cast<double>(continuing / 2 + 1);
    std::vector<int> top = k.by_votes(h, false);
    if (h.size() == 1 || (!top.empty() && k.votes_[top[0]] * 2 > continuing)) {
      if (h.empty()) break;
      k.status_[top[0]] = Status::kElected;
      r->winners = {top[0]};
      rd.elected = {top[0]};
      r->rounds.push_back(rd);
      break;
    }
    std::vector<int> out = k.to_exclude(opt.irv_batch_exclusion,
                                        static_cast<int>(h.size()) - 1,
                                        /*forward=*/false, &rd.note);
    rd.excluded = out;
    r->rounds.push_back(rd);
    std::vector<double> v;
    for (int c = 0; c < k.n_; ++c) v.push_back(static_cast<double>(k.votes_[c]));
    for (const auto& tier : tiers_by_score(v, out)) excluded.push_back(tier);
    k.exclude(out);
  }
  k.finish_rounds();
  k.build_ranking(excluded);
}

void count_stv(const std::vector<Ballot>& ballots, const CountOptions& opt,
               QuestionResult* r) {
  if (no_ballots(ballots, opt, r)) return;
  const bool mpls = opt.stv == StvVariant::kMinneapolis;
  const std::int64_t scale = mpls ? 10000 : 100000;
  Count k(ballots, opt, r, scale);
  const std::int64_t valid = total_weight(ballots);
  const std::int64_t quota = (valid / (r->seats + 1) + 1) * scale;
  r->quota = static_cast<double>(quota / scale);
  std::vector<int> pending;  // elected, surplus not yet transferred
  std::vector<std::vector<int>> excluded;
  auto remaining = [&] { return r->seats - static_cast<int>(r->winners.size()); };
  while (true) {
    Round rd = k.snapshot();
    // Elect everyone at or above the quota, highest first.
    std::vector<int> reached;
    for (int c : k.hopefuls())
      if (k.votes_[c] >= quota) reached.push_back(c);
    reached = k.by_votes(reached, false);
    for (int c : reached) {
      if (remaining() == 0) break;
      k.status_[c] = Status::kElected;
      r->winners.push_back(c);
      rd.elected.push_back(c);
      pending.push_back(c);
    }
    std::vector<int> h = k.hopefuls();
    if (remaining() == 0) {
      r->rounds.push_back(rd);
      break;
    }
    if (static_cast<int>(h.size()) <= remaining()) {
      for (int c : k.by_votes(h, false)) {
        k.status_[c] = Status::kElected;
        r->winners.push_back(c);
        rd.elected.push_back(c);
      }
      rd.note += "as many candidates left as seats: all elected; ";
      r->rounds.push_back(rd);
      break;
    }
    // Transfer the largest surplus, if any.
    std::vector<int> with_surplus;
    for (int c : pending)
      if (k.votes_[c] > quota) with_surplus.push_back(c);
    pending.clear();
    if (!with_surplus.empty()) {
      std::vector<int> ordered = k.by_votes(with_surplus, false);
      std::vector<int> tied;
      for (int c : ordered)
        if (k.votes_[c] == k.votes_[ordered[0]]) tied.push_back(c);
      int c = k.pick(tied, /*lowest=*/false, /*forward=*/true, &rd.note);
      rd.surplus_of = c;
      rd.surplus = k.to_double(k.votes_[c] - quota);
      for (int o : ordered)
        if (o != c) pending.push_back(o);
      r->rounds.push_back(rd);
      k.transfer_surplus(c, quota);
      continue;
    }
    const int max = static_cast<int>(h.size()) - remaining();
    std::vector<int> out = k.to_exclude(mpls, max, /*forward=*/true, &rd.note);
    rd.excluded = out;
    r->rounds.push_back(rd);
    std::vector<double> v;
    for (int c = 0; c < k.n_; ++c) v.push_back(static_cast<double>(k.votes_[c]));
    for (const auto& tier : tiers_by_score(v, out)) excluded.push_back(tier);
    k.exclude(out);
  }
  k.finish_rounds();
  k.build_ranking(excluded);
}

}  // namespace urna::tally::internal
