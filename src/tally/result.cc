#include "tally/result.h"

#include <algorithm>

#include <stdexcept>

namespace urna::tally {
namespace {

Json::Value ints(const std::vector<int>& v) {
  Json::Value a(Json::arrayValue);
  for (int x : v) a.append(x);
  return a;
}
Json::Value doubles(const std::vector<double>& v) {
  Json::Value a(Json::arrayValue);
  for (double x : v) a.append(x);
  return a;
}
Json::Value strings(const std::vector<std::string>& v) {
  Json::Value a(Json::arrayValue);
  for (const auto& x : v) a.append(x);
  return a;
}
Json::Value matrix(const std::vector<std::vector<std::int64_t>>& m) {
  Json::Value a(Json::arrayValue);
  for (const auto& row : m) {
    Json::Value r(Json::arrayValue);
    for (auto x : row) r.append(static_cast<Json::Int64>(x));
    a.append(r);
  }
  return a;
}

const Json::Value& field(const Json::Value& v, const char* name) {
  static const Json::Value kNull;
  if (!v.isObject()) throw std::runtime_error("result JSON: not an object");
  return v.isMember(name) ? v[name] : kNull;
}
std::vector<int> to_ints(const Json::Value& a) {
  std::vector<int> out;
  for (const auto& x : a) out.push_back(x.asInt());
  return out;
}
std::vector<double> to_doubles(const Json::Value& a) {
  std::vector<double> out;
  for (const auto& x : a) out.push_back(x.asDouble());
  return out;
}
std::vector<std::string> to_strings(const Json::Value& a) {
  std::vector<std::string> out;
  for (const auto& x : a) out.push_back(x.asString());
  return out;
}
std::vector<std::vector<std::int64_t>> to_matrix(const Json::Value& a) {
  std::vector<std::vector<std::int64_t>> m;
  for (const auto& row : a) {
    std::vector<std::int64_t> r;
    for (const auto& x : row) r.push_back(x.asInt64());
    m.push_back(r);
  }
  return m;
}

}  // namespace

Json::Value to_json(const QuestionResult& r) {
  Json::Value v(Json::objectValue);
  v["question_id"] = r.question_id;
  v["title"] = r.title;
  v["method"] = core::method_name(r.method);
  if (!r.variant.empty()) v["variant"] = r.variant;
  v["seats"] = r.seats;
  v["candidates"] = strings(r.candidates);
  v["names"] = strings(r.names);
  Json::Value b(Json::objectValue);
  b["cast"] = static_cast<Json::Int64>(r.ballots_cast);
  b["valid"] = static_cast<Json::Int64>(r.ballots_valid);
  b["blank"] = static_cast<Json::Int64>(r.ballots_blank);
  b["invalid"] = static_cast<Json::Int64>(r.ballots_invalid);
  Json::Value reasons(Json::arrayValue);
  for (const auto& [why, n] : r.invalid_reasons) {
    Json::Value e(Json::objectValue);
    e["reason"] = why;
    e["count"] = static_cast<Json::Int64>(n);
    reasons.append(e);
  }
  b["invalid_reasons"] = reasons;
  v["ballots"] = b;
  Json::Value ranking(Json::arrayValue);
  for (const auto& tier : r.ranking) ranking.append(ints(tier));
  v["ranking"] = ranking;
  Json::Value ranking_ids_v(Json::arrayValue);
  for (const auto& tier : ranking_ids(r)) ranking_ids_v.append(strings(tier));
  v["ranking_ids"] = ranking_ids_v;
  v["winners"] = ints(r.winners);
  v["winner_ids"] = strings(winner_ids(r));
  v["tie_at_boundary"] = r.tie_at_boundary;
  v["tied"] = ints(r.tied);
  v["tie_break"] = r.tie_break;
  if (!r.tbrc.empty()) {
    v["tbrc"] = ints(r.tbrc);
    std::vector<std::string> tbrc_ids;
    for (int i : r.tbrc) tbrc_ids.push_back(r.candidates.at(i));
    v["tbrc_ids"] = strings(tbrc_ids);
  }
  if (!r.d.empty()) v["d"] = matrix(r.d);
  if (!r.p.empty()) v["p"] = matrix(r.p);
  if (!r.locked.empty()) {
    Json::Value l(Json::arrayValue);
    for (const auto& [i, j] : r.locked) l.append(ints({i, j}));
    v["locked"] = l;
  }
  if (!r.dropped.empty()) {
    Json::Value l(Json::arrayValue);
    for (const auto& [i, why] : r.dropped) {
      Json::Value e(Json::objectValue);
      e["candidate"] = i;
      e["reason"] = why;
      l.append(e);
    }
    v["dropped"] = l;
  }
  if (!r.scores.empty()) v["scores"] = doubles(r.scores);
  if (!r.rounds.empty()) {
    Json::Value rounds(Json::arrayValue);
    for (const auto& rd : r.rounds) {
      Json::Value e(Json::objectValue);
      e["votes"] = doubles(rd.votes);
      e["exhausted"] = rd.exhausted;
      e["lost"] = rd.lost;
      e["elected"] = ints(rd.elected);
      e["excluded"] = ints(rd.excluded);
      e["surplus_of"] = rd.surplus_of;
      e["surplus"] = rd.surplus;
      e["transfers"] = doubles(rd.transfers);
      e["note"] = rd.note;
      rounds.append(e);
    }
    v["rounds"] = rounds;
  }
  v["quota"] = r.quota;
  v["notes"] = strings(r.notes);
  if (!r.sources.empty()) {
    Json::Value l(Json::arrayValue);
    for (const auto& [election, question] : r.sources) {
      Json::Value e(Json::objectValue);
      e["election"] = election;
      e["question"] = question;
      l.append(e);
    }
    v["sources"] = l;
  }
  if (!r.order.empty()) v["order"] = ints(r.order);
  return v;
}

QuestionResult question_result_from_json(const Json::Value& v) {
  QuestionResult r;
  r.question_id = field(v, "question_id").asString();
  r.title = field(v, "title").asString();
  auto m = core::parse_method(field(v, "method").asString());
  if (!m) throw std::runtime_error("result JSON: unknown method");
  r.method = *m;
  r.variant = field(v, "variant").asString();
  r.seats = field(v, "seats").asInt();
  r.candidates = to_strings(field(v, "candidates"));
  r.names = to_strings(field(v, "names"));
  const auto& b = field(v, "ballots");
  r.ballots_cast = field(b, "cast").asInt64();
  r.ballots_valid = field(b, "valid").asInt64();
  r.ballots_blank = field(b, "blank").asInt64();
  r.ballots_invalid = field(b, "invalid").asInt64();
  for (const auto& e : field(b, "invalid_reasons"))
    r.invalid_reasons.emplace_back(field(e, "reason").asString(),
                                   field(e, "count").asInt64());
  for (const auto& tier : field(v, "ranking")) r.ranking.push_back(to_ints(tier));
  r.winners = to_ints(field(v, "winners"));
  r.tie_at_boundary = field(v, "tie_at_boundary").asBool();
  r.tied = to_ints(field(v, "tied"));
  r.tie_break = field(v, "tie_break").asString();
  r.tbrc = to_ints(field(v, "tbrc"));
  r.d = to_matrix(field(v, "d"));
  r.p = to_matrix(field(v, "p"));
  for (const auto& e : field(v, "locked"))
    r.locked.emplace_back(e[0].asInt(), e[1].asInt());
  for (const auto& e : field(v, "dropped"))
    r.dropped.emplace_back(field(e, "candidate").asInt(),
                           field(e, "reason").asString());
  r.scores = to_doubles(field(v, "scores"));
  for (const auto& e : field(v, "rounds")) {
    Round rd;
    rd.votes = to_doubles(field(e, "votes"));
    rd.exhausted = field(e, "exhausted").asDouble();
    rd.lost = field(e, "lost").asDouble();
    rd.elected = to_ints(field(e, "elected"));
    rd.excluded = to_ints(field(e, "excluded"));
    rd.surplus_of = field(e, "surplus_of").asInt();
    rd.surplus = field(e, "surplus").asDouble();
    rd.transfers = to_doubles(field(e, "transfers"));
    rd.note = field(e, "note").asString();
    r.rounds.push_back(rd);
  }
  r.quota = field(v, "quota").asDouble();
  r.notes = to_strings(field(v, "notes"));
  for (const auto& e : field(v, "sources"))
    r.sources.emplace_back(field(e, "election").asString(), field(e, "question").asString());
  r.order = to_ints(field(v, "order"));
  const int n = static_cast<int>(r.candidates.size());
  auto check = [n](int i) {
    if (i < 0 || i >= n)
      throw std::runtime_error("result JSON: candidate index out of range");
  };
  for (const auto& tier : r.ranking)
    for (int i : tier) check(i);
  for (int i : r.winners) check(i);
  for (int i : r.tied) check(i);
  for (int i : r.tbrc) check(i);
  return r;
}

int tied_seats(const QuestionResult& r) {
  int outside = 0;
  for (int w : r.winners)
    if (std::find(r.tied.begin(), r.tied.end(), w) == r.tied.end()) ++outside;
  return r.seats - outside;
}

std::vector<std::string> winner_ids(const QuestionResult& r) {
  std::vector<std::string> out;
  for (int i : r.winners) out.push_back(r.candidates.at(i));
  return out;
}

std::vector<std::vector<std::string>> ranking_ids(const QuestionResult& r) {
  std::vector<std::vector<std::string>> out;
  for (const auto& tier : r.ranking) {
    std::vector<std::string> t;
    for (int i : tier) t.push_back(r.candidates.at(i));
    out.push_back(t);
  }
  return out;
}

}  // namespace urna::tally
