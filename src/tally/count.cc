#include "tally/count.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

#include "crypto/crypto.h"
#include "tally/methods.h"

namespace urna::tally {

bool parse_tie_break(const std::string& name, TieBreak* out) {
  if (name == "none") *out = TieBreak::kNone;
  else if (name == "ranked-pairs") *out = TieBreak::kRankedPairs;
  else if (name == "seed") *out = TieBreak::kSeed;
  else if (name == "tbrc") *out = TieBreak::kTbrc;
  else return false;
  return true;
}

const char* tie_break_name(TieBreak t) {
  switch (t) {
    case TieBreak::kNone: return "none";
    case TieBreak::kRankedPairs: return "ranked-pairs";
    case TieBreak::kSeed: return "seed";
    case TieBreak::kTbrc: return "tbrc";
  }
  return "?";
}

std::vector<int> seed_order(const std::vector<int>& candidates,
                            const std::vector<std::string>& ids,
                            const std::string& seed) {
  std::vector<std::pair<std::string, int>> keyed;
  for (int c : candidates)
    keyed.emplace_back(crypto::hex_encode(crypto::sha256(seed + "\n" + ids.at(c))),
                       c);
  std::sort(keyed.begin(), keyed.end());
  std::vector<int> out;
  for (const auto& k : keyed) out.push_back(k.second);
  return out;
}

std::vector<Ballot> first_preferences(const std::vector<Ballot>& ballots) {
  std::vector<Ballot> out;
  out.reserve(ballots.size());
  for (const Ballot& b : ballots) {
    Ballot f;
    f.weight = b.weight;
    f.rank.assign(b.rank.size(), kUnranked);
    int best = 0;
    for (int r : b.rank)
      if (r > 0 && (best == 0 || r < best)) best = r;
    for (size_t i = 0; i < b.rank.size(); ++i)
      if (best > 0 && b.rank[i] == best) f.rank[i] = 1;
    out.push_back(std::move(f));
  }
  return out;
}

namespace internal {

std::vector<std::vector<int>> tiers_by_score(const std::vector<double>& score,
                                             const std::vector<int>& among) {
  std::vector<int> order = among;
  std::stable_sort(order.begin(), order.end(),
                   [&score](int a, int b) { return score[a] > score[b]; });
  std::vector<std::vector<int>> tiers;
  for (size_t k = 0; k < order.size(); ++k) {
    if (k == 0 || score[order[k]] != score[order[k - 1]]) tiers.emplace_back();
    tiers.back().push_back(order[k]);
  }
  return tiers;
}

const std::vector<int>& tbrc_of(const CountOptions& opt, QuestionResult* r,
                                const std::vector<Ballot>* ballots) {
  if (r->tbrc.empty()) {
    static const std::vector<Ballot> kNone;
    r->tbrc = tie_breaking_ranking(ballots ? *ballots : kNone, r->candidates,
                                   opt.seed);
  }
  return r->tbrc;
}

namespace {

std::string quoted_seed(const CountOptions& opt) {
  return "seed \"" + opt.seed + "\"";
}

// `tier` in the order of `ranking` (a strict order of every candidate).
std::vector<int> in_order_of(const std::vector<int>& tier,
                             const std::vector<int>& ranking) {
  std::vector<int> out;
  for (int c : ranking)
    if (std::find(tier.begin(), tier.end(), c) != tier.end()) out.push_back(c);
  return out;
}

}  // namespace

std::vector<int> break_tie(const std::vector<int>& tier,
                           const CountOptions& opt, QuestionResult* r,
                           const std::vector<Ballot>* ballots) {
  std::vector<int> out;
  if (opt.tie_break == TieBreak::kRankedPairs && !r->d.empty()) {
    const std::vector<int>& tbrc = tbrc_of(opt, r, ballots);
    for (const auto& sub : ranked_pairs_tiers(r->d, tier, nullptr, tbrc)) {
      auto part = in_order_of(sub, tbrc);
      out.insert(out.end(), part.begin(), part.end());
    }
    r->tie_break =
        "ranked pairs among the tied, then the tie-breaking ranking of the "
        "candidates (TBRC), " + quoted_seed(opt);
  } else if (opt.tie_break == TieBreak::kTbrc) {
    out = in_order_of(tier, tbrc_of(opt, r, ballots));
    r->tie_break =
        "the tie-breaking ranking of the candidates (TBRC: ballots in the "
        "random order of sha256(seed + \"\\n\" + ballot + \"\\n\" + k)), " +
        quoted_seed(opt);
  } else {
    out = seed_order(tier, r->candidates, opt.seed);
    r->tie_break = "sha256(seed + \"\\n\" + id) ascending, " + quoted_seed(opt);
  }
  return out;
}

void winners_from_ranking(const CountOptions& opt, QuestionResult* r,
                          const std::vector<Ballot>* ballots) {
  r->winners.clear();
  r->tied.clear();
  r->tie_at_boundary = false;
  int remaining = r->seats;
  for (const auto& tier : r->ranking) {
    if (remaining <= 0) break;
    if (static_cast<int>(tier.size()) <= remaining) {
      r->winners.insert(r->winners.end(), tier.begin(), tier.end());
      remaining -= static_cast<int>(tier.size());
      continue;
    }
    r->tie_at_boundary = true;
    r->tied = tier;
    const std::string what =
        std::to_string(tier.size()) + " candidates tied for " +
        (remaining == 1 ? std::string("the last seat")
                        : "the last " + std::to_string(remaining) + " seats");
    if (opt.tie_break != TieBreak::kNone) {
      std::vector<int> order = break_tie(tier, opt, r, ballots);
      r->winners.insert(r->winners.end(), order.begin(),
                        order.begin() + remaining);
      r->notes.push_back(what + "; broken by " + r->tie_break);
    } else {
      r->notes.push_back(what +
                         "; no tie-break configured: the officers decide, "
                         "seats left open");
    }
    break;
  }
}

void count_scores(core::Method method, const std::vector<Ballot>& ballots,
                  const CountOptions& opt, QuestionResult* r) {
  const int n = static_cast<int>(r->candidates.size());
  std::vector<double> score(n, 0);
  for (const Ballot& b : ballots)
    for (int i = 0; i < n; ++i) {
      int rank = b.rank[i];
      if (rank <= 0) continue;
      if (method == core::Method::kBorda)
        score[i] += static_cast<double>(b.weight) * (n - rank);
      else
        score[i] += static_cast<double>(b.weight);
    }
  r->scores = score;
  std::vector<int> all(n);
  std::iota(all.begin(), all.end(), 0);
  r->ranking = tiers_by_score(score, all);
  if (method == core::Method::kBorda)
    r->d = pairwise(ballots, n, Unranked::kLast);  // for the ranked-pairs tie-break
  winners_from_ranking(opt, r, &ballots);
}

}  // namespace internal

void count_valid(core::Method method, const std::vector<Ballot>& ballots,
                 const CountOptions& opt, QuestionResult* r) {
  r->method = method;
  switch (method) {
    case core::Method::kSchulze:
      internal::count_schulze(ballots, opt, r);
      break;
    case core::Method::kRankedPairs:
      internal::count_ranked_pairs(ballots, opt, r);
      break;
    case core::Method::kIrv:
      internal::count_irv(ballots, opt, r);
      break;
    case core::Method::kStv:
      internal::count_stv(ballots, opt, r);
      break;
    case core::Method::kPlurality:
    case core::Method::kApproval:
    case core::Method::kBorda:
      internal::count_scores(method, ballots, opt, r);
      break;
  }
}

namespace {

void set_variant(core::Method method, const CountOptions& opt, QuestionResult* r) {
  if (r->seats < 1) throw std::invalid_argument("seats must be at least 1");
  if (r->candidates.empty()) throw std::invalid_argument("no answers to count");
  if (method == core::Method::kStv)
    r->variant = opt.stv == StvVariant::kMinneapolis ? "minneapolis" : "scottish";
  if (method == core::Method::kSchulze || method == core::Method::kRankedPairs)
    r->variant = opt.unranked == Unranked::kLast ? "unranked-last"
                                                 : "unranked-ignored";
}

// Shared tail of count_question / count_box: `valid` holds the valid,
// non-blank ballots. Only IRV and STV gain from merging identical ballots
// (papers move round after round); the other methods make one pass.
void finish(core::Method method, const std::vector<Ballot>& valid,
            const CountOptions& opt, QuestionResult* r) {
  set_variant(method, opt, r);
  if (method == core::Method::kIrv || method == core::Method::kStv)
    count_valid(method, compress(valid), opt, r);
  else
    count_valid(method, valid, opt, r);
  // Elekto accepts no_winners above the number of candidates (urna-sync
  // warns): every seat that can be filled is, and the result says so.
  const size_t n = r->candidates.size();
  if (static_cast<size_t>(r->seats) > n)
    r->notes.push_back(std::to_string(r->seats) + " seats but only " + std::to_string(n) +
                       (n == 1 ? " candidate" : " candidates") + ": everyone ranked is elected");
}

void account(const BallotCheck& c, std::int64_t weight,
             std::map<std::string, std::int64_t>* reasons, QuestionResult* r) {
  r->ballots_cast += weight;
  switch (c.status) {
    case BallotStatus::kValid:
      r->ballots_valid += weight;
      break;
    case BallotStatus::kBlank:
      r->ballots_blank += weight;
      break;
    case BallotStatus::kInvalid:
      r->ballots_invalid += weight;
      (*reasons)[c.reason] += weight;
      break;
  }
}

BallotRules options_rules(BallotRules rules, const CountOptions& opt) {
  if (opt.max_selections > 0) rules.max_selections = opt.max_selections;
  if (opt.min_selections > 0) rules.min_selections = opt.min_selections;
  return rules;
}

}  // namespace

QuestionResult count_question(const core::Question& q,
                              const std::vector<RawBallot>& ballots,
                              const CountOptions& opt) {
  QuestionResult r;
  r.question_id = q.id;
  r.title = q.title;
  r.method = q.method;
  r.seats = opt.seats > 0 ? opt.seats : q.winners;
  for (const auto& a : q.answers) {
    r.candidates.push_back(a.id);
    r.names.push_back(a.text.empty() ? a.id : a.text);
  }
  if (r.candidates.empty()) throw std::invalid_argument("question has no answers");
  const BallotRules rules = options_rules(rules_for(q), opt);
  const AnswerIndex index = answer_index(r.candidates);
  std::map<std::string, std::int64_t> reasons;
  std::vector<Ballot> valid;
  valid.reserve(ballots.size());
  for (const RawBallot& raw : ballots) {
    Ballot b;
    BallotCheck c = convert_ballot(raw, index, rules, &b);
    account(c, raw.weight, &reasons, &r);
    if (c.status == BallotStatus::kValid) {
      b.weight = raw.weight;
      valid.push_back(std::move(b));
    }
  }
  r.invalid_reasons.assign(reasons.begin(), reasons.end());
  finish(q.method, valid, opt, &r);
  return r;
}

QuestionResult count_box(const BallotBox& box, core::Method method,
                         const CountOptions& opt) {
  QuestionResult r;
  r.title = box.title;
  r.method = method;
  r.seats = opt.seats > 0 ? opt.seats : (box.seats > 0 ? box.seats : 1);
  r.candidates = box.candidates;
  r.names = box.names;
  r.names.resize(r.candidates.size());
  for (size_t i = 0; i < r.names.size(); ++i)
    if (r.names[i].empty()) r.names[i] = r.candidates[i];
  if (r.candidates.empty()) throw std::invalid_argument("no answers to count");
  core::Question q;
  q.method = method;
  q.answers.resize(r.candidates.size());
  const BallotRules rules = options_rules(rules_for(q), opt);
  std::map<std::string, std::int64_t> reasons;
  std::vector<BallotStatus> status(box.ballots.size());
  bool all_valid = true;
  for (size_t i = 0; i < box.ballots.size(); ++i) {
    BallotCheck c = check_ballot(box.ballots[i], rules);
    account(c, box.ballots[i].weight, &reasons, &r);
    status[i] = c.status;
    if (c.status != BallotStatus::kValid) all_valid = false;
  }
  r.invalid_reasons.assign(reasons.begin(), reasons.end());
  if (all_valid) {
    finish(method, box.ballots, opt, &r);  // no copy in the common case
  } else {
    std::vector<Ballot> valid;
    for (size_t i = 0; i < box.ballots.size(); ++i)
      if (status[i] == BallotStatus::kValid) valid.push_back(box.ballots[i]);
    finish(method, valid, opt, &r);
  }
  return r;
}

}  // namespace urna::tally
