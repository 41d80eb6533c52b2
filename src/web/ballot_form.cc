#include "web/ballot_form.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/ranking_codec.h"

namespace urna::web {

namespace {

const char kRankPrefix[] = "rank/";
const char kPickPrefix[] = "pick/";

using core::parse_rank;

// The messages of a ballot with nothing on it, per kind of ballot (issue
// 10 §8: never "ranks nobody" on a Yes/No ballot). Every message here is
// an English msgid (N_, or trn() below), translated by the booth page.
constexpr char kEmptyRankedCandidates[] =
    N_("Your ballot ranks nobody, so it was not stored. Rank at least one candidate and "
       "submit again.");
constexpr char kEmptyChoice[] =
    N_("You have not chosen an answer, so your ballot was not stored. Choose an answer and "
       "submit again.");
constexpr char kEmptyChoices[] =
    N_("You have not chosen any answer, so your ballot was not stored. Choose an answer to at "
       "least one question and submit again.");
constexpr char kEmptyMixed[] =
    N_("Your ballot is empty, so it was not stored. Answer at least one question and submit "
       "again.");

// A plural msgid pair, translated later (the page calls ctx.trn). Named
// trn so that xgettext (keyword trn:1,2) extracts it as a plural entry;
// it translates nothing, so this file needs no catalog.
struct Plural {
  const char* singular;
  const char* plural;
  unsigned long n;
};
Plural trn(const char* singular, const char* plural, unsigned long n) {
  return {singular, plural, n};
}

std::string answer_name(const core::Answer& a) { return a.text.empty() ? a.id : a.text; }

// The question's name in messages, "" on a ballot of one question.
std::string question_name(const core::Election& e, const core::Question& q) {
  if (e.questions.size() == 1) return "";
  return q.title.empty() ? q.id : q.title;
}

const core::Answer* find_answer(const core::Question& q, const std::string& id) {
  for (const auto& a : q.answers)
    if (a.id == id) return &a;
  return nullptr;
}

struct Collector {
  const core::Election& e;
  BallotForm& out;
  void add(const core::Question& q, FormError err) {
    err.question = question_name(e, q);
    if (!err.question.empty()) err.message += " (" + err.question + ")";
    out.errors.push_back(std::move(err));
  }
  void error(const core::Question& q, const char* msgid, i18n::Args args = {}) {
    add(q, form_error(q.id, msgid, std::move(args)));
  }
  void error(const core::Question& q, const Plural& p, i18n::Args args = {}) {
    add(q, form_error_n(q.id, p.singular, p.plural, p.n, std::move(args)));
  }
};

void parse_ranked(const Params& form, const core::Election& e, const core::Question& q,
                  QuestionInput& in, Collector& c) {
  const int n = static_cast<int>(q.answers.size());
  const std::string prefix = kRankPrefix + q.id + "/";
  std::map<std::string, int> ranks;
  std::set<std::string> seen;
  for (auto it = form.lower_bound(prefix); it != form.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    const std::string aid = it->first.substr(prefix.size());
    const core::Answer* a = find_answer(q, aid);
    if (!a) {
      c.error(q, N_("The ballot names a candidate that is not on it"));
      continue;
    }
    if (!seen.insert(aid).second) {
      c.error(q, N_("{name} is ranked more than once"), {{"name", answer_name(*a)}});
      ranks.erase(aid);
      continue;
    }
    if (it->second.empty()) continue;  // no opinion
    // Fixed width (rank_value): "00" is no opinion, "03" is 3.
    const std::string& v = it->second;
    const size_t digits = v.find_first_not_of('0');
    if (digits == std::string::npos && v.size() <= 6) continue;  // no opinion
    auto r =
        digits == std::string::npos || digits > 6 ? std::nullopt : parse_rank(v.substr(digits), n);
    if (!r) {
      c.error(q, N_("The rank of {name} must be a number from 1 to {n}"),
              {{"name", answer_name(*a)}, {"n", std::to_string(n)}});
      continue;
    }
    ranks[aid] = *r;
  }
  if (form.count(kPickPrefix + q.id))
    c.error(q, N_("The ballot answers a ranked question as a choice"));
  in.marks.assign(ranks.begin(), ranks.end());
  if (!e.allow_no_opinion && !ranks.empty()) {
    std::vector<std::string> missing;
    for (const auto& a : q.answers)
      if (!ranks.count(a.id)) missing.push_back(answer_name(a));
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      c.error(q, N_("This election asks you to rank every candidate; not ranked: {names}"),
              {{"names", list}});
    }
  }
}

void parse_selection(const Params& form, const core::Question& q, QuestionInput& in, Collector& c) {
  const bool plurality = q.method == core::Method::kPlurality;
  const int n = static_cast<int>(q.answers.size());
  int max = q.max_selections > 0 ? std::min(q.max_selections, n) : n;
  if (plurality) max = 1;
  std::set<std::string> picked;
  bool bad = false;
  auto range = form.equal_range(kPickPrefix + q.id);
  for (auto it = range.first; it != range.second; ++it) {
    // Fixed width (pick_value): the id, then '*'s; only '*'s: left blank.
    const std::string& v = it->second;
    const size_t end = v.find_last_not_of('*');
    if (end == std::string::npos) continue;
    const core::Answer* a = find_answer(q, v.substr(0, end + 1));
    if (!a) {
      c.error(q, N_("The ballot names an answer that is not on it"));
      bad = true;
    } else if (!picked.insert(a->id).second) {
      c.error(q, N_("{name} is chosen more than once"), {{"name", answer_name(*a)}});
      bad = true;
    }
  }
  const std::string prefix = kRankPrefix + q.id + "/";
  auto r = form.lower_bound(prefix);
  if (r != form.end() && r->first.compare(0, prefix.size(), prefix) == 0)
    c.error(q, N_("The ballot ranks answers of a question that takes choices"));
  for (const auto& id : picked) in.marks.emplace_back(id, 1);
  if (bad) return;
  const int count = static_cast<int>(picked.size());
  if (count > max) {
    if (plurality)
      c.error(q, N_("Choose only one answer"));
    else if (max == 1)
      c.error(q, N_("Choose at most one answer"));
    else
      c.error(q, trn("Choose at most {n} answer", "Choose at most {n} answers", max),
              {{"n", std::to_string(max)}});
  } else if (count < q.min_selections && count > 0) {
    if (q.min_selections == 1)
      c.error(q, N_("Choose at least one answer"));
    else
      c.error(q,
              trn("Choose at least {n} answer", "Choose at least {n} answers",
                  static_cast<unsigned long>(q.min_selections)),
              {{"n", std::to_string(q.min_selections)}});
  }
}

// Which of the messages above fits `e`'s ballot.
const char* empty_ballot_message(const core::Election& e) {
  size_t ranked = 0;
  for (const auto& q : e.questions)
    if (core::method_is_ranked(q.method)) ++ranked;
  const size_t n = e.questions.size();
  if (ranked == n) return kEmptyRankedCandidates;
  if (ranked == 0) return n == 1 ? kEmptyChoice : kEmptyChoices;
  return kEmptyMixed;
}

}  // namespace

std::string rank_field(const std::string& question_id, const std::string& answer_id) {
  return kRankPrefix + question_id + "/" + answer_id;
}

std::string pick_field(const std::string& question_id) { return kPickPrefix + question_id; }

int rank_width(const core::Question& q) {
  return static_cast<int>(std::to_string(std::max<size_t>(q.answers.size(), 1)).size());
}

std::string rank_value(int rank, int width) {
  std::string v = std::to_string(rank);
  if (static_cast<int>(v.size()) < width) v.insert(0, width - v.size(), '0');
  return v;
}

size_t form_encoded_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '*' || c == '-' || c == '.' || c == '_' || c == ' ';
    n += keep ? 1 : 3;
  }
  return n;
}

size_t longest_answer_fields(const core::Election& e) {
  size_t n = 0;
  for (const auto& q : e.questions) {
    const size_t pick = form_encoded_length(pick_field(q.id)) + 2;  // '=' and '&'
    if (core::method_is_ranked(q.method)) {
      for (const auto& a : q.answers)
        n += form_encoded_length(rank_field(q.id, a.id)) + 2 + rank_width(q);
    } else if (q.method == core::Method::kPlurality) {
      n += pick + form_encoded_length(pick_value(q, ""));
    } else {
      for (const auto& a : q.answers) n += pick + form_encoded_length(a.id);
    }
  }
  return n;
}

std::string pick_value(const core::Question& q, const std::string& answer_id) {
  size_t widest = 1;
  for (const auto& a : q.answers) widest = std::max(widest, form_encoded_length(a.id));
  const size_t have = form_encoded_length(answer_id);
  return answer_id + std::string(widest > have ? widest - have : 0, '*');
}

std::string encode_marks(Marks marks) { return core::encode_ranking(std::move(marks)); }

std::optional<Marks> decode_marks(const std::string& text) { return core::decode_ranking(text); }

bool BallotForm::blank() const {
  for (const auto& q : questions)
    if (!q.marks.empty()) return false;
  return true;
}

std::vector<std::pair<std::string, std::string>> BallotForm::parts() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& q : questions) out.emplace_back(q.question_id, encode_marks(q.marks));
  return out;
}

const Marks& BallotForm::marks(const std::string& question_id) const {
  static const Marks kNone;
  for (const auto& q : questions)
    if (q.question_id == question_id) return q.marks;
  return kNone;
}

BallotForm parse_ballot_form(const Params& form, const core::Election& e) {
  BallotForm out;
  Collector c{e, out};
  std::set<std::string> qids;
  for (const auto& q : e.questions) {
    qids.insert(q.id);
    QuestionInput in;
    in.question_id = q.id;
    if (core::method_is_ranked(q.method))
      parse_ranked(form, e, q, in, c);
    else
      parse_selection(form, q, in, c);
    out.questions.push_back(std::move(in));
  }
  // A field for a question that is not on the ballot: a stale or forged form.
  for (const auto& [key, value] : form) {
    for (const char* prefix : {kRankPrefix, kPickPrefix}) {
      const std::string p = prefix;
      if (key.compare(0, p.size(), p) != 0) continue;
      std::string rest = key.substr(p.size());
      std::string qid = p == kRankPrefix ? rest.substr(0, rest.find('/')) : rest;
      if (!qids.count(qid)) {
        out.errors.push_back(form_error("", N_("The ballot answers a question that is not on it; "
                                               "reload the booth and vote again")));
        return out;
      }
    }
  }
  if (out.blank() && out.errors.empty()) {
    // Elekto #95: empty ballots were stored and counted as turnout.
    out.errors.push_back(form_error("", empty_ballot_message(e)));
  }
  return out;
}

std::vector<QuestionInput> decode_parts(
    const std::vector<std::pair<std::string, std::string>>& parts) {
  std::vector<QuestionInput> out;
  for (const auto& [qid, text] : parts) {
    auto m = decode_marks(text);
    if (m) out.push_back({qid, std::move(*m)});
  }
  return out;
}

std::optional<FormError> passcode_problem(const std::string& normalized, int min_length) {
  if (normalized.empty())
    return form_error("", N_("Enter a passcode (or keep the one suggested)."));
  long chars = 0;
  for (unsigned char c : normalized)
    if ((c & 0xC0) != 0x80) ++chars;
  if (chars < min_length) {
    const Plural p =
        trn("Your passcode is too short: use at least {n} character (or keep the "
            "one suggested).",
            "Your passcode is too short: use at least {n} characters (or keep the "
            "one suggested).",
            static_cast<unsigned long>(min_length));
    return form_error_n("", p.singular, p.plural, p.n, {{"n", std::to_string(min_length)}});
  }
  return std::nullopt;
}

FormError form_error(const std::string& question_id, const std::string& msgid, i18n::Args args) {
  FormError e;
  e.question_id = question_id;
  e.msgid = msgid;
  e.message = i18n::format(msgid, args);
  e.args = std::move(args);
  return e;
}

FormError form_error_n(const std::string& question_id, const std::string& singular,
                       const std::string& plural, unsigned long n, i18n::Args args) {
  FormError e = form_error(question_id, n == 1 ? singular : plural, std::move(args));
  e.msgid = singular;
  e.msgid_plural = plural;
  e.n = n;
  return e;
}

}  // namespace urna::web
