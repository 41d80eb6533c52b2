#include "import/sequent.h"

#include <json/json.h>

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>

namespace urna::import {
namespace {

using Json::Value;

[[noreturn]] void fail(const std::string& who, const std::string& field, const std::string& what) {
  throw ImportError(who + ": " + field + ": " + what);
}

std::string compact(const Value& v) {
  Json::StreamWriterBuilder b;
  b["indentation"] = "";
  b["emitUTF8"] = true;
  std::string s = Json::writeString(b, v);
  if (s.size() > 120) s = s.substr(0, 117) + "...";
  return s;
}

bool empty_value(const Value& v) {
  if (v.isNull()) return true;
  if (v.isString()) return v.asString().empty() || v.asString() == "{}";
  if (v.isArray() || v.isObject()) return v.empty();
  return false;
}

// jsoncpp's "* Line 1, Column 12\n  Duplicate key: 'id'\n" on one line.
std::string one_line(std::string errs) {
  std::string out;
  for (size_t i = 0; i < errs.size(); ++i) {
    if (errs.compare(i, 2, "* ") == 0 && (i == 0 || errs[i - 1] == '\n')) {
      if (!out.empty()) out += "; ";
      ++i;
      continue;
    }
    if (errs[i] == '\n') {
      while (i + 1 < errs.size() && errs[i + 1] == ' ') ++i;
      if (i + 1 < errs.size() && errs[i + 1] != '*') out += ": ";
      continue;
    }
    out += errs[i];
  }
  return out;
}

std::string idx(const std::string& base, size_t i) { return base + "[" + std::to_string(i) + "]"; }

// Why a field of Sequent's has no place in urna (looked up by its last key).
std::string reason(const std::string& key) {
  static const std::map<std::string, std::string> why = {
      {"director",
       "Sequent's tally authority; urna counts with urna-tally on the key holder's host"},
      {"authorities", "Sequent's trustees; urna seals ballots to one key (urna-tally --keygen)"},
      {"layout", "Sequent's booth layout; urna has one booth"},
      {"theme", "Sequent's page theme"},
      {"theme_css", "Sequent's page theme"},
      {"share_text", "share buttons; urna has none"},
      {"urls", "links; urna has no place for them"},
      {"real", "Sequent's real/test flag"},
      {"resultsConfig", "Sequent's results page configuration"},
      {"logo_url", "urna shows no per-election logo"},
      {"extra_data", "Sequent's extra data"},
      {"num_successful_logins_allowed", "urna lets voters sign in and re-cast until the end"},
      {"randomize_answer_order", "urna lists answers in the order given"},
      {"answer_total_votes_percentage", "urna's results pages compute their own percentages"},
      {"details", "urna's answers have a text only"},
      {"category", "urna's answers have no categories"},
      {"extra_options", "Sequent's per-question options"},
      {"census", "Sequent's census mode; urna's voter list is closed"},
      {"has_ballot_boxes", "Sequent's in-person ballot boxes"},
      {"extra_fields", "Sequent's registration fields"},
      {"admin_fields", "Sequent's admin fields"},
      {"id", "urna's categories have no ids"},
      {"title", "urna shows the child's own name"},
  };
  auto it = why.find(key);
  return it == why.end() ? "urna has no such field" : it->second;
}

// What one election does not carry over.
struct Notes {
  std::vector<std::string> items;    // "field: value (why)"
  std::vector<std::string> empties;  // fields that were empty anyway

  void add(const std::string& field, const std::string& what) {
    items.push_back(field + ": " + what);
  }
};

// Lists every member of `obj` not in `used`; objects are listed member by
// member so a leaf's path is named.
void leftovers(const Value& obj, const std::set<std::string>& used, const std::string& path,
               Notes* n) {
  if (!obj.isObject()) return;
  for (const auto& k : obj.getMemberNames()) {
    if (used.count(k)) continue;
    const Value& v = obj[k];
    const std::string f = path + k;
    if (empty_value(v))
      n->empties.push_back(f);
    else if (v.isObject())
      leftovers(v, {}, f + ".", n);
    else
      n->add(f, compact(v) + " (" + reason(k) + ")");
  }
}

// ---- typed reading, every failure naming the election and the field ----

long long election_id(const Value& v, const std::string& who, const std::string& field) {
  if (!v.isInt64() || v.isBool())
    fail(who, field, "expected an election id (a whole number), got " + compact(v));
  if (v.asInt64() == 0) fail(who, field, "0 is not an election id");
  return v.asInt64();
}

long long whole(const Value& obj, const char* key, const std::string& who, const std::string& field,
                long long dflt, long long lo, long long hi) {
  if (!obj.isMember(key) || obj[key].isNull()) return dflt;
  const Value& v = obj[key];
  if (!v.isInt64() || v.isBool()) fail(who, field, "expected a whole number, got " + compact(v));
  if (v.asInt64() < lo || v.asInt64() > hi)
    fail(who, field,
         std::to_string(v.asInt64()) + " is out of range " + std::to_string(lo) + ".." +
             std::to_string(hi));
  return v.asInt64();
}

std::string text(const Value& obj, const char* key, const std::string& who,
                 const std::string& field, bool required) {
  if (!obj.isMember(key) || obj[key].isNull()) {
    if (required) fail(who, field, "missing");
    return "";
  }
  if (!obj[key].isString()) fail(who, field, "expected text, got " + compact(obj[key]));
  std::string s = obj[key].asString();
  if (required && s.empty()) fail(who, field, "empty");
  return s;
}

const Value& list(const Value& obj, const char* key, const std::string& who,
                  const std::string& field) {
  static const Value kEmpty(Json::arrayValue);
  if (!obj.isMember(key) || obj[key].isNull()) return kEmpty;
  if (!obj[key].isArray()) fail(who, field, "expected a list, got " + compact(obj[key]));
  return obj[key];
}

const Value& object(const Value& v, const std::string& who, const std::string& field) {
  if (!v.isObject()) fail(who, field, "expected an object, got " + compact(v));
  return v;
}

// "2027-03-01T09:00:00.000" (Sequent) -> "2027-03-01T09:00:00" (urna, UTC
// unless an offset is given). Fractions of a second must be zero.
std::string date(const std::string& s, const std::string& who, const std::string& field) {
  auto digits = [&](size_t from, size_t n) {
    if (s.size() < from + n) return false;
    for (size_t i = from; i < from + n; ++i)
      if (s[i] < '0' || s[i] > '9') return false;
    return true;
  };
  bool ok = s.size() >= 19 && digits(0, 4) && s[4] == '-' && digits(5, 2) && s[7] == '-' &&
            digits(8, 2) && (s[10] == 'T' || s[10] == ' ') && digits(11, 2) && s[13] == ':' &&
            digits(14, 2) && s[16] == ':' && digits(17, 2);
  size_t i = 19;
  if (ok && i < s.size() && s[i] == '.') {
    size_t j = i + 1;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') {
      if (s[j] != '0') fail(who, field, "'" + s + "': urna's dates have whole seconds");
      ++j;
    }
    if (j == i + 1) ok = false;
    i = j;
  }
  std::string zone = ok ? s.substr(i) : "";
  if (ok && !zone.empty() && zone != "Z" &&
      !(zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
        std::all_of(zone.begin() + 1, zone.end(),
                    [](char c) { return c == ':' || (c >= '0' && c <= '9'); })))
    ok = false;
  if (!ok) fail(who, field, "'" + s + "' is not a date (YYYY-MM-DDTHH:MM:SS)");
  return s.substr(0, 10) + "T" + s.substr(11, 8) + zone;
}

// A double-quoted YAML scalar (JSON escapes are valid YAML ones).
std::string yq(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string slug(const std::string& title) {
  std::string s;
  for (unsigned char c : title) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      s += static_cast<char>(c);
    else if (c >= 'A' && c <= 'Z')
      s += static_cast<char>(c - 'A' + 'a');
    else if (!s.empty() && s.back() != '-')
      s += '-';
  }
  if (s.size() > 48) s.resize(48);
  while (!s.empty() && s.back() == '-') s.pop_back();
  return s;
}

// ---- the model read from the file ----

struct Answer {
  std::string id, text;
  long long sort = 0;
};

struct Question {
  std::string comment;  // where a parent's copy comes from
  std::string id, title, description, method;
  long long winners = 1, min = 0, max = 0;
  std::vector<Answer> answers;
};

std::vector<std::string> answer_ids(const Question& q) {
  std::vector<std::string> ids;
  for (const auto& a : q.answers) ids.push_back(a.id);
  return ids;
}

struct Election {
  const Value* v = nullptr;
  long long wid = 0;  // id as written
  long long id = 0;   // assigned id (= wid unless negative)
  std::string who;    // "election 100"
  std::string title, description, start, end;
  bool has_parent = false;
  long long parent_wid = 0;
  bool is_virtual = false;
  std::vector<long long> subs;  // virtualSubelections as written
  std::vector<Question> questions;
  Notes notes;
  int parent = -1;            // index into the sorted elections
  std::vector<int> children;  // natural order
  std::vector<int> by_id;     // ascending id: the pipes' election indexes 1..
  std::string folder, path;
};

// One pipe of urna's (docs/metadata.md "Result pipes").
struct Pipe {
  std::string comment, type, source_election, source_question, question, action, value;
  std::vector<std::string> answers;
  bool has_value = false;
};

std::string pipe_yaml(const Pipe& p) {
  std::string y;
  if (!p.comment.empty()) y += "  # " + p.comment + "\n";
  y += "  - type: " + p.type + "\n";
  if (!p.source_election.empty()) y += "    source_election: " + p.source_election + "\n";
  if (!p.source_question.empty()) y += "    source_question: " + p.source_question + "\n";
  if (!p.question.empty()) y += "    question: " + p.question + "\n";
  if (!p.action.empty()) y += "    action: " + p.action + "\n";
  if (p.has_value) y += "    value: " + yq(p.value) + "\n";
  if (!p.answers.empty()) {
    y += "    answers: [";
    for (size_t i = 0; i < p.answers.size(); ++i) y += (i ? ", " : "") + yq(p.answers[i]);
    y += "]\n";
  }
  return y;
}

class Importer {
 public:
  Importer(const Value& root, const ImportOptions& opt) : root_(root), opt_(opt) {}

  ImportResult run() {
    read_ids();
    for (auto& e : es_) read_election(e);
    link();
    name_folders();
    ImportResult r;
    for (size_t i = 0; i < es_.size(); ++i) write_election(static_cast<int>(i), &r);
    report(&r);
    return r;
  }

 private:
  const Value& root_;
  const ImportOptions& opt_;
  std::vector<Election> es_;                // ascending assigned id
  std::map<long long, int> by_wid_;         // written id -> index
  std::map<int, std::string> voters_yaml_;  // election index -> voters.yaml
  std::map<int, std::vector<Pipe>> pipes_;  // parent index -> urna pipes
  std::map<int, std::vector<Question>> parent_questions_;

  int find(long long wid) const {
    auto it = by_wid_.find(wid);
    return it == by_wid_.end() ? -1 : it->second;
  }

  // Ids first: negative ids are assigned above every positive one, -1 first,
  // so the assignment (and the order of everything after) does not depend on
  // the order of the list.
  void read_ids() {
    if (!root_.isArray()) throw ImportError("the file: expected a JSON list of elections");
    if (root_.empty()) throw ImportError("the file: the list of elections is empty");
    std::map<long long, size_t> seen;
    for (Json::ArrayIndex i = 0; i < root_.size(); ++i) {
      const std::string who = "election at list position " + std::to_string(i);
      const Value& v = object(root_[i], who, "(the election)");
      if (!v.isMember("id")) fail(who, "id", "missing");
      Election e;
      e.v = &v;
      e.wid = election_id(v["id"], who, "id");
      e.who = "election " + std::to_string(e.wid);
      auto [it, fresh] = seen.emplace(e.wid, i);
      if (!fresh)
        fail(e.who, "id",
             "used twice in the list (positions " + std::to_string(it->second) + " and " +
                 std::to_string(i) + ")");
      es_.push_back(std::move(e));
    }
    long long top = 0;
    for (const auto& e : es_) top = std::max(top, e.wid);
    std::vector<long long> negative;
    for (const auto& e : es_)
      if (e.wid < 0) negative.push_back(e.wid);
    std::sort(negative.rbegin(), negative.rend());  // -1, -2, ...
    std::map<long long, long long> assigned;
    for (long long w : negative) assigned[w] = ++top;
    for (auto& e : es_) e.id = e.wid < 0 ? assigned[e.wid] : e.wid;
    std::sort(es_.begin(), es_.end(),
              [](const Election& a, const Election& b) { return a.id < b.id; });
    for (size_t i = 0; i < es_.size(); ++i) by_wid_[es_[i].wid] = static_cast<int>(i);
  }

  void read_election(Election& e) {
    const Value& v = *e.v;
    e.title = text(v, "title", e.who, "title", true);
    e.description = text(v, "description", e.who, "description", false);
    if (v.isMember("start_date") && !v["start_date"].isNull())
      e.start = date(text(v, "start_date", e.who, "start_date", true), e.who, "start_date");
    if (v.isMember("end_date") && !v["end_date"].isNull())
      e.end = date(text(v, "end_date", e.who, "end_date", true), e.who, "end_date");
    if (v.isMember("parent_id") && !v["parent_id"].isNull()) {
      e.has_parent = true;
      e.parent_wid = election_id(v["parent_id"], e.who, "parent_id");
    }
    if (v.isMember("virtual") && !v["virtual"].isNull()) {
      if (!v["virtual"].isBool()) fail(e.who, "virtual", "expected true or false");
      e.is_virtual = v["virtual"].asBool();
    }
    const Value& subs = list(v, "virtualSubelections", e.who, "virtualSubelections");
    for (Json::ArrayIndex i = 0; i < subs.size(); ++i)
      e.subs.push_back(election_id(subs[i], e.who, idx("virtualSubelections", i)));
    const Value& qs = list(v, "questions", e.who, "questions");
    if (qs.empty()) fail(e.who, "questions", "missing (an election needs at least one question)");
    for (Json::ArrayIndex i = 0; i < qs.size(); ++i)
      e.questions.push_back(read_question(e, qs[i], idx("questions", i), i));
    leftovers(v,
              {"id", "title", "description", "start_date", "end_date", "parent_id", "virtual",
               "virtualSubelections", "questions", "children_election_info", "census",
               "tallyPipesConfig"},
              "", &e.notes);
  }

  Question read_question(Election& e, const Value& qv, const std::string& f, size_t i) {
    const Value& o = object(qv, e.who, f);
    Question q;
    q.id = "q" + std::to_string(i + 1);
    q.title = text(o, "title", e.who, f + ".title", true);
    q.description = text(o, "description", e.who, f + ".description", false);
    const std::string tally = text(o, "tally_type", e.who, f + ".tally_type", true);
    const Value& as = list(o, "answers", e.who, f + ".answers");
    if (as.size() < 2) fail(e.who, f + ".answers", "a question needs at least two answers");
    std::set<std::string> ids;
    for (Json::ArrayIndex j = 0; j < as.size(); ++j) {
      const std::string af = idx(f + ".answers", j);
      const Value& a = object(as[j], e.who, af);
      Answer ans;
      if (!a.isMember("id")) fail(e.who, af + ".id", "missing");
      ans.id = std::to_string(whole(a, "id", e.who, af + ".id", 0, 0, 1000000000));
      if (!ids.insert(ans.id).second) fail(e.who, af + ".id", "answer id " + ans.id + " twice");
      ans.text = text(a, "text", e.who, af + ".text", true);
      ans.sort = whole(a, "sort_order", e.who, af + ".sort_order", j, -1000000000, 1000000000);
      leftovers(a, {"id", "text", "sort_order"}, af + ".", &e.notes);
      q.answers.push_back(ans);
    }
    std::stable_sort(q.answers.begin(), q.answers.end(),
                     [](const Answer& a, const Answer& b) { return a.sort < b.sort; });
    const long long n = static_cast<long long>(q.answers.size());
    q.winners = whole(o, "num_winners", e.who, f + ".num_winners", 1, 1, 1000);
    if (q.winners > n)
      fail(e.who, f + ".num_winners",
           std::to_string(q.winners) + " but the question has " + std::to_string(n) + " answers");
    const long long mn = whole(o, "min", e.who, f + ".min", 0, 0, 1000);
    const long long mx = whole(o, "max", e.who, f + ".max", n, 1, 1000);
    if (mn > mx) fail(e.who, f + ".min", "larger than max");
    if (mx > n)
      fail(e.who, f + ".max",
           std::to_string(mx) + " but the question has " + std::to_string(n) + " answers");
    if (tally == "plurality-at-large") {
      // One mark per selected answer, the num_winners most marked win:
      // plurality when one may be picked, approval (capped) otherwise.
      q.method = mx == 1 ? "plurality" : "approval";
      q.min = mn;
      q.max = mx == 1 ? 0 : mx;
    } else if (tally == "borda") {
      q.method = "borda";
      if (mx < n)
        e.notes.add(f + ".max",
                    std::to_string(mx) + " (urna's borda lets a voter rank every answer)");
      if (mn > 0)
        e.notes.add(f + ".min",
                    std::to_string(mn) + " (urna's borda ballots may rank fewer answers)");
      e.notes.add(f + ".tally_type",
                  "\"borda\" became urna's borda: C - rank points over C answers, 0 when "
                  "unranked (docs/tally.md); check it is the scoring this election used");
    } else {
      fail(e.who, f + ".tally_type",
           "'" + tally + "' has no urna method (urna imports plurality-at-large and borda)");
    }
    leftovers(o, {"title", "description", "tally_type", "answers", "num_winners", "min", "max"},
              f + ".", &e.notes);
    return q;
  }

  // Parents and children, checked from both sides.
  void link() {
    for (size_t i = 0; i < es_.size(); ++i) {
      Election& c = es_[i];
      if (!c.has_parent) continue;
      int p = find(c.parent_wid);
      if (p < 0)
        fail(c.who, "parent_id", "no election " + std::to_string(c.parent_wid) + " in the list");
      if (p == static_cast<int>(i))
        fail(c.who, "parent_id", "an election cannot be its own parent");
      Election& pe = es_[p];
      if (pe.has_parent)
        fail(c.who, "parent_id",
             "election " + std::to_string(pe.wid) +
                 " is itself a child; urna has one level of children");
      if (std::find(pe.subs.begin(), pe.subs.end(), c.wid) == pe.subs.end())
        fail(c.who, "parent_id",
             "election " + std::to_string(pe.wid) + " does not list " + std::to_string(c.wid) +
                 " in virtualSubelections");
      c.parent = p;
    }
    for (size_t i = 0; i < es_.size(); ++i) {
      Election& p = es_[i];
      const Value& v = *p.v;
      if (p.subs.empty()) {
        if (p.is_virtual)
          fail(p.who, "virtualSubelections", "empty, but the election is virtual (a parent)");
        if (v.isMember("children_election_info") && !empty_value(v["children_election_info"]))
          fail(p.who, "children_election_info", "the election has no virtualSubelections");
        continue;
      }
      if (!p.is_virtual)
        fail(p.who, "virtual",
             "false, but the election has virtualSubelections (a parent is virtual)");
      std::set<long long> seen;
      for (size_t k = 0; k < p.subs.size(); ++k) {
        const std::string f = idx("virtualSubelections", k);
        int c = find(p.subs[k]);
        if (c < 0) fail(p.who, f, "no election " + std::to_string(p.subs[k]) + " in the list");
        if (!seen.insert(p.subs[k]).second) fail(p.who, f, std::to_string(p.subs[k]) + " twice");
        if (es_[c].parent != static_cast<int>(i))
          fail(p.who, f,
               "election " + std::to_string(p.subs[k]) +
                   (es_[c].has_parent ? " has parent_id " + std::to_string(es_[c].parent_wid)
                                      : " has no parent_id"));
        if (k > 0 && es_[c].id < es_[find(p.subs[k - 1])].id)
          fail(p.who, f,
               "not in ascending order (Sequent's validator requires it; the pipes' election "
               "indexes 1.. follow it)");
        p.by_id.push_back(c);
      }
      p.children.clear();
      const Value& info = v.isMember("children_election_info") ? v["children_election_info"]
                                                               : Value(Json::nullValue);
      if (info.isNull()) {
        p.children = p.by_id;
        p.notes.add("children_election_info", "missing: natural order = virtualSubelections");
        continue;
      }
      object(info, p.who, "children_election_info");
      const Value& order =
          list(info, "natural_order", p.who, "children_election_info.natural_order");
      std::set<int> in_order;
      for (Json::ArrayIndex k = 0; k < order.size(); ++k) {
        const std::string f = idx("children_election_info.natural_order", k);
        long long w = election_id(order[k], p.who, f);
        int c = find(w);
        if (c < 0 || es_[c].parent != static_cast<int>(i))
          fail(p.who, f, std::to_string(w) + " is not in virtualSubelections");
        if (!in_order.insert(c).second) fail(p.who, f, std::to_string(w) + " twice");
        p.children.push_back(c);
      }
      for (int c : p.by_id)
        if (!in_order.count(c))
          fail(p.who, "children_election_info.natural_order",
               "election " + std::to_string(es_[c].wid) + " (in virtualSubelections) is missing");
      leftovers(info, {"natural_order", "presentation"}, "children_election_info.", &p.notes);
    }
    for (auto& e : es_)
      if (e.has_parent && e.is_virtual)
        fail(e.who, "virtual", "true for a child; urna has one level of children");
  }

  // Folder names from titles; a clash among siblings gets -2, -3, ... in
  // ascending id order.
  void name_folders() {
    std::map<int, std::set<std::string>> taken;  // parent index (-1 = top) -> names
    for (size_t i = 0; i < es_.size(); ++i) {
      Election& e = es_[i];
      std::string base = slug(e.title);
      if (base.empty()) base = "election-" + std::to_string(e.id);
      std::string name = base;
      for (int k = 2; taken[e.parent].count(name); ++k) name = base + "-" + std::to_string(k);
      taken[e.parent].insert(name);
      e.folder = name;
    }
    const std::string root = opt_.root.empty() || opt_.root == "." ? "" : opt_.root + "/";
    for (auto& e : es_)
      e.path = root + (e.parent >= 0 ? es_[e.parent].folder + "/" : "") + e.folder;
  }

  std::string child_list(const std::vector<int>& cs) const {
    std::string s = "[";
    for (size_t k = 0; k < cs.size(); ++k) s += (k ? ", " : "") + es_[cs[k]].folder;
    return s + "]";
  }

  void read_categories(int pi, std::string* yaml) {
    Election& p = es_[pi];
    const Value& info = (*p.v)["children_election_info"];
    if (!info.isMember("presentation") || info["presentation"].isNull()) return;
    const Value& pres = object(info["presentation"], p.who, "children_election_info.presentation");
    const std::string base = "children_election_info.presentation.";
    const Value& cats = list(pres, "categories", p.who, base + "categories");
    leftovers(pres, {"categories"}, base, &p.notes);
    if (cats.empty()) return;
    *yaml += "categories:\n";
    for (Json::ArrayIndex k = 0; k < cats.size(); ++k) {
      const std::string f = idx(base + "categories", k);
      const Value& c = object(cats[k], p.who, f);
      const std::string title = text(c, "title", p.who, f + ".title", true);
      const Value& evs = list(c, "events", p.who, f + ".events");
      std::vector<int> members;
      for (Json::ArrayIndex j = 0; j < evs.size(); ++j) {
        const std::string ef = idx(f + ".events", j);
        const Value& ev = object(evs[j], p.who, ef);
        if (!ev.isMember("event_id")) fail(p.who, ef + ".event_id", "missing");
        long long w = election_id(ev["event_id"], p.who, ef + ".event_id");
        int c = find(w);
        if (c < 0 || es_[c].parent != pi)
          fail(p.who, ef + ".event_id", std::to_string(w) + " is not a child of " + p.who);
        if (std::find(members.begin(), members.end(), c) != members.end())
          fail(p.who, ef + ".event_id", std::to_string(w) + " twice in the category");
        members.push_back(c);
        leftovers(ev, {"event_id"}, ef + ".", &p.notes);
      }
      if (members.empty()) fail(p.who, f + ".events", "empty");
      leftovers(c, {"title", "events"}, f + ".", &p.notes);
      *yaml += "  - title: " + yq(title) + "\n    children: " + child_list(members) + "\n";
    }
  }

  // census.voters -> voters.yaml (parent or top level); a child's census is
  // listed as not carried over (urna's children have no voter list).
  void read_census(int ei) {
    Election& e = es_[ei];
    const Value& v = *e.v;
    if (!v.isMember("census") || v["census"].isNull()) return;
    const Value& census = object(v["census"], e.who, "census");
    const Value& voters = list(census, "voters", e.who, "census.voters");
    std::string method = text(census, "auth_method", e.who, "census.auth_method", false);
    if (!method.empty())
      e.notes.add("census.auth_method",
                  compact(census["auth_method"]) +
                      " (urna's login is set for the whole instance in urna.conf; the voter "
                      "ids are written as logins)");
    leftovers(census, {"voters", "auth_method"}, "census.", &e.notes);
    if (e.parent >= 0) {
      if (!voters.empty())
        e.notes.add("census.voters",
                    std::to_string(voters.size()) +
                        " voter(s) (urna's children have no voter list; the parent's "
                        "voters.yaml says who votes in which child)");
      return;
    }
    std::string key;
    if (method == "email" || method == "email-otp")
      key = "email";
    else if (method == "sms" || method == "sms-otp")
      key = "tlf";
    else if (method == "user-and-password")
      key = "username";
    const bool parent = !e.children.empty();
    std::map<std::string, size_t> seen;          // lower-cased login -> position
    std::map<std::string, size_t> other_fields;  // metadata key -> voters having it
    std::string y = "# Imported by urna-import from the census of Sequent " + e.who + ".\n";
    y += "eligible_voters:\n";
    for (Json::ArrayIndex i = 0; i < voters.size(); ++i) {
      const std::string f = idx("census.voters", i);
      const Value& voter = object(voters[i], e.who, f);
      if (!voter.isMember("metadata")) fail(e.who, f + ".metadata", "missing");
      const Value& md = object(voter["metadata"], e.who, f + ".metadata");
      std::string k = key;
      if (k.empty())
        for (const char* c : {"email", "tlf", "username"})
          if (md.isMember(c)) {
            k = c;
            break;
          }
      if (k.empty() || !md.isMember(k))
        fail(e.who, f + ".metadata" + (k.empty() ? "" : "." + k),
             k.empty() ? "no voter id (email, tlf or username)" : "missing");
      const std::string login = text(md, k.c_str(), e.who, f + ".metadata." + k, true);
      if (login.size() > 100) fail(e.who, f + ".metadata." + k, "longer than 100 bytes");
      for (unsigned char c : login)
        if (c <= 0x20 || c == 0x7f)
          fail(e.who, f + ".metadata." + k,
               "'" + login + "' has a space or control character; urna's logins have none");
      std::string lower = login;
      for (auto& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      auto [it, fresh] = seen.emplace(lower, i);
      if (!fresh)
        fail(e.who, f + ".metadata." + k,
             "'" + login + "' is already census.voters[" + std::to_string(it->second) + "]");
      for (const auto& m : md.getMemberNames())
        if (m != k && m != "children_event_id_list") ++other_fields[m];
      leftovers(voter, {"metadata"}, f + ".", &e.notes);
      const std::string lf = f + ".metadata.children_event_id_list";
      if (!parent) {
        if (md.isMember("children_event_id_list"))
          fail(e.who, lf, e.who + " has no virtualSubelections (it is not a parent)");
        y += "  - " + yq(login) + "\n";
        continue;
      }
      const Value& ids = list(md, "children_event_id_list", e.who, lf);
      if (ids.empty())
        fail(e.who, lf,
             "missing or empty: in a parent every voter needs the children they vote in");
      std::set<int> mine;
      for (Json::ArrayIndex j = 0; j < ids.size(); ++j) {
        long long w = election_id(ids[j], e.who, idx(lf, j));
        int c = find(w);
        if (c < 0 || es_[c].parent != ei)
          fail(e.who, idx(lf, j), std::to_string(w) + " is not a child of " + e.who);
        mine.insert(c);
      }
      std::vector<int> ordered;
      for (int c : e.children)
        if (mine.count(c)) ordered.push_back(c);
      y += "  - id: " + yq(login) + "\n    children: " + child_list(ordered) + "\n";
    }
    for (const auto& [m, n] : other_fields)
      e.notes.add("census.voters[].metadata." + m,
                  "on " + std::to_string(n) +
                      " voter(s) (urna's voter list holds logins and children only)");
    voters_yaml_[ei] = y;
  }

  // tallyPipesConfig: an object, or the same as JSON-encoded text.
  bool pipes_config(const Election& e, Value* out) {
    const Value& v = *e.v;
    if (!v.isMember("tallyPipesConfig") || empty_value(v["tallyPipesConfig"])) return false;
    const Value& raw = v["tallyPipesConfig"];
    if (raw.isString()) {
      Json::CharReaderBuilder b;
      Json::CharReaderBuilder::strictMode(&b.settings_);
      b["allowTrailingCommas"] = false;
      std::unique_ptr<Json::CharReader> r(b.newCharReader());
      std::string errs;
      const std::string s = raw.asString();
      if (!r->parse(s.data(), s.data() + s.size(), out, &errs)) {
        fail(e.who, "tallyPipesConfig", "text that is not valid JSON: " + one_line(errs));
      }
    } else {
      *out = raw;
    }
    object(*out, e.who, "tallyPipesConfig");
    list(*out, "pipes", e.who, "tallyPipesConfig.pipes");
    return true;
  }

  // "tally_pipes.pipes.results.do_tallies" -> "do_tallies".
  static std::string pipe_name(const std::string& type) {
    for (const char* prefix : {"tally_pipes.pipes.", "agora_results.pipes."})
      if (type.rfind(prefix, 0) == 0) return type.substr(type.rfind('.') + 1);
    return "";
  }

  // A non-parent's pipes: its results are its own tally in urna.
  void child_pipes(Election& e) {
    Value cfg;
    if (!pipes_config(e, &cfg)) return;
    const Value& ps = cfg["pipes"];
    for (Json::ArrayIndex i = 0; i < ps.size(); ++i) {
      const std::string f = idx("tallyPipesConfig.pipes", i);
      const Value& p = object(ps[i], e.who, f);
      const std::string type = text(p, "type", e.who, f + ".type", true);
      const std::string name = pipe_name(type);
      const bool plain = (name == "do_tallies" || name == "sort_non_iterative") &&
                         (!p.isMember("params") || empty_value(p["params"]));
      if (!plain)
        e.notes.add(f, compact(p) +
                           " (urna's pipes build only a parent's results; this election's "
                           "results are its own tally)");
      leftovers(p, {"type", "params"}, f + ".", &e.notes);
    }
    leftovers(cfg, {"pipes", "version"}, "tallyPipesConfig.", &e.notes);
  }

  // A parent question while the pipes run (Sequent indexes them by
  // position, urna by id).
  struct Working {
    std::string id;
    Question declared;                 // as written into questions:
    std::vector<std::string> answers;  // answer ids now
    std::vector<Pipe> history;         // urna pipes applied to it so far
    std::set<std::string> sources;     // child/question keys of its ballots
  };

  // The parent's pipes, simulated over the parent's question list so that
  // Sequent's positions become urna's question ids. duplicate_questions of
  // a parent question is a question declared in the parent's questions:
  // (the parent holds no ballots of its own), followed by the source's
  // modifications and, unless zero_plaintexts, its joins.
  void parent_pipes(int pi) {
    Election& p = es_[pi];
    std::vector<Working> qs;
    for (const auto& q : p.questions) {
      Working w;
      w.id = q.id;
      w.declared = q;
      w.answers = answer_ids(q);
      qs.push_back(w);
    }
    std::vector<Pipe> out;
    std::set<int> tainted;  // children whose questions Sequent's pipes changed
    auto add = [&](Working& w, Pipe pipe) {
      pipe.question = w.id;
      w.history.push_back(pipe);
      out.push_back(pipe);
    };
    Value cfg;
    const bool has = pipes_config(p, &cfg);
    if (!has) {
      p.notes.add("tallyPipesConfig",
                  "missing: nothing adds the children's ballots to the parent's questions, so "
                  "its results count no ballots, as in Sequent (without questions: and "
                  "pipes: urna would add up its children's same-id questions)");
    }
    const Value& ps = has ? cfg["pipes"] : Value(Json::arrayValue);
    const int nchildren = static_cast<int>(p.by_id.size());
    auto child = [&](const Value& v, const std::string& f, bool allow_parent) {
      long long i = whole(v, f.substr(f.rfind('.') + 1).c_str(), p.who, f, -1, 0, 1000000);
      if (i < 0) fail(p.who, f, "missing");
      if (i == 0 && allow_parent) return 0;
      if (i < 1 || i > nchildren)
        fail(p.who, f,
             std::to_string(i) + " but " + p.who + " has " + std::to_string(nchildren) +
                 " virtualSubelections (0 = the parent, 1.. = them in ascending id order)");
      return static_cast<int>(i);
    };
    auto question_at = [&](const Value& v, const char* key, const std::string& f, size_t n) {
      long long i = whole(v, key, p.who, f, -1, 0, 1000000);
      if (i < 0) fail(p.who, f, "missing");
      if (static_cast<size_t>(i) >= n)
        fail(
            p.who, f,
            std::to_string(i) + " but there are " + std::to_string(n) + " questions at this point");
      return static_cast<size_t>(i);
    };
    for (Json::ArrayIndex s = 0; s < ps.size(); ++s) {
      const std::string f = idx("tallyPipesConfig.pipes", s);
      const Value& pv = object(ps[s], p.who, f);
      const std::string type = text(pv, "type", p.who, f + ".type", true);
      const std::string name = pipe_name(type);
      const Value params = pv.isMember("params") && !pv["params"].isNull()
                               ? object(pv["params"], p.who, f + ".params")
                               : Value(Json::objectValue);
      leftovers(pv, {"type", "params"}, f + ".", &p.notes);
      const std::string pf = f + ".params.";
      if (name == "duplicate_questions") {
        const Value& ds = list(params, "duplications", p.who, pf + "duplications");
        leftovers(params, {"duplications"}, pf, &p.notes);
        for (Json::ArrayIndex d = 0; d < ds.size(); ++d) {
          const std::string df = idx(pf + "duplications", d);
          const Value& dv = object(ds[d], p.who, df);
          int from = child(dv, df + ".source_election_index", true);
          bool zero = false;
          if (dv.isMember("zero_plaintexts")) {
            if (!dv["zero_plaintexts"].isBool())
              fail(p.who, df + ".zero_plaintexts", "expected true or false");
            zero = dv["zero_plaintexts"].asBool();
          }
          const Value& dest =
              list(dv, "duplicated_question_indexes", p.who, df + ".duplicated_question_indexes");
          leftovers(dv,
                    {"source_election_index", "base_question_index", "duplicated_question_indexes",
                     "zero_plaintexts"},
                    df + ".", &p.notes);
          if (from != 0) {
            // Sequent copies inside the child: its own results change.
            tainted.insert(from);
            p.notes.add(df, compact(dv) + " (copies a question inside election index " +
                                std::to_string(from) +
                                "; urna's pipes build only the parent's results and a "
                                "child's results are its own tally)");
            continue;
          }
          const size_t base_i =
              question_at(dv, "base_question_index", df + ".base_question_index", qs.size());
          const Working base = qs[base_i];
          for (Json::ArrayIndex k = 0; k < dest.size(); ++k) {
            const std::string kf = idx(df + ".duplicated_question_indexes", k);
            if (!dest[k].isInt64() || dest[k].isBool() || dest[k].asInt64() < 0)
              fail(p.who, kf, "expected a question index, got " + compact(dest[k]));
            const size_t at = static_cast<size_t>(dest[k].asInt64());
            if (at > qs.size())
              fail(p.who, kf,
                   std::to_string(at) + " but there are " + std::to_string(qs.size()) +
                       " questions at this point");
            Working copy;
            std::set<std::string> ids;
            for (const auto& w : qs) ids.insert(w.id);
            for (int n = 1;; ++n)
              if (!ids.count(copy.id = base.id + "-copy" + std::to_string(n))) break;
            copy.declared = base.declared;
            copy.declared.id = copy.id;
            copy.declared.comment = df + ": parent question " + std::to_string(base_i) +
                                    " copied to " + std::to_string(at) +
                                    (zero ? " with no ballots" : "");
            copy.answers = answer_ids(base.declared);
            for (const Pipe& h : base.history) {
              if (zero && h.type == "multipart_tally_plaintexts_append_joiner") continue;
              Pipe again = h;
              again.comment = df + ": parent question " + std::to_string(base_i) + " copied to " +
                              std::to_string(at) + (zero ? " (no ballots)" : "") +
                              ", as it was changed so far";
              add(copy, again);
            }
            if (!zero) copy.sources = base.sources;
            copy.answers = base.answers;
            qs.insert(qs.begin() + static_cast<long>(at), copy);
          }
        }
      } else if (name == "multipart_tally_plaintexts_append_joiner") {
        const Value& ms = list(params, "mappings", p.who, pf + "mappings");
        leftovers(params, {"mappings"}, pf, &p.notes);
        for (Json::ArrayIndex m = 0; m < ms.size(); ++m) {
          const std::string mf = idx(pf + "mappings", m);
          const Value& mv = object(ms[m], p.who, mf);
          leftovers(
              mv,
              {"source_election_id", "source_question_num", "dst_election_id", "dst_question_num"},
              mf + ".", &p.notes);
          int src = child(mv, mf + ".source_election_id", true);
          int dst = child(mv, mf + ".dst_election_id", true);
          if (dst != 0) {
            tainted.insert(dst);
            p.notes.add(mf, compact(mv) + " (adds ballots to election index " +
                                std::to_string(dst) +
                                "; urna's pipes build only the parent's results)");
            continue;
          }
          if (src == 0) {
            p.notes.add(mf, compact(mv) +
                                " (adds the parent's question to itself; urna's joiner takes "
                                "a child's ballots)");
            continue;
          }
          if (tainted.count(src))
            fail(p.who, mf + ".source_election_id",
                 "election index " + std::to_string(src) +
                     "'s questions were changed by an earlier pipe that urna cannot carry "
                     "over, so its question numbers do not match");
          const Election& c = es_[p.by_id[src - 1]];
          const size_t sq = question_at(mv, "source_question_num", mf + ".source_question_num",
                                        c.questions.size());
          const size_t dq =
              question_at(mv, "dst_question_num", mf + ".dst_question_num", qs.size());
          const Question& cq = c.questions[sq];
          Working& w = qs[dq];
          if (answer_ids(cq) != w.answers)
            fail(p.who, mf,
                 "the answers of election " + std::to_string(c.wid) + " question " +
                     std::to_string(sq) + " differ from those of parent question " +
                     std::to_string(dq) + " (ids and order must match)");
          const std::string key = c.folder + "/" + cq.id;
          if (!w.sources.insert(key).second)
            fail(p.who, mf,
                 "election " + std::to_string(c.wid) + " question " + std::to_string(sq) +
                     " is already added to parent question " + std::to_string(dq) +
                     " (its ballots would be counted twice)");
          Pipe j;
          j.comment = mf + ": election index " + std::to_string(src) + " (" +
                      std::to_string(c.wid) + ") question " + std::to_string(sq) +
                      " -> parent question " + std::to_string(dq);
          j.type = "multipart_tally_plaintexts_append_joiner";
          j.source_election = c.folder;
          j.source_question = cq.id;
          add(w, j);
        }
      } else if (name == "apply_modifications") {
        const Value& ms = list(params, "modifications", p.who, pf + "modifications");
        leftovers(params, {"modifications"}, pf, &p.notes);
        for (Json::ArrayIndex m = 0; m < ms.size(); ++m) {
          const std::string mf = idx(pf + "modifications", m);
          const Value& mv = object(ms[m], p.who, mf);
          const std::string action = text(mv, "action", p.who, mf + ".action", true);
          Pipe mod;
          mod.type = "apply_modifications";
          mod.comment = mf + ": " + action;
          std::set<std::string> used = {"action", "question_index"};
          if (action == "set-title") {
            mod.action = "set-title";
            mod.value = text(mv, "title", p.who, mf + ".title", true);
            mod.has_value = true;
            used.insert("title");
          } else if (action == "set-min" || action == "set-max" || action == "set-num-winners") {
            const char* key = action == "set-min"   ? "min"
                              : action == "set-max" ? "max"
                                                    : "num_winners";
            if (!mv.isMember(key)) fail(p.who, mf + "." + key, "missing");
            mod.action = action == "set-num-winners" ? "set-winners" : action;
            mod.value = std::to_string(whole(mv, key, p.who, mf + "." + key, 0, 0, 1000));
            mod.has_value = true;
            used.insert(key);
          } else if (action == "withdraw-candidates") {
            mod.action = "withdraw-candidates";
            const Value& ids = list(mv, "answer_ids", p.who, mf + ".answer_ids");
            if (ids.empty()) fail(p.who, mf + ".answer_ids", "missing");
            for (Json::ArrayIndex k = 0; k < ids.size(); ++k) {
              if (!ids[k].isInt64() || ids[k].isBool())
                fail(p.who, idx(mf + ".answer_ids", k),
                     "expected an answer id, got " + compact(ids[k]));
              mod.answers.push_back(std::to_string(ids[k].asInt64()));
            }
            used.insert("answer_ids");
          } else {
            p.notes.add(mf, compact(mv) +
                                " (urna's apply_modifications has set-title, "
                                "withdraw-candidates, set-min, set-max, set-winners)");
            continue;
          }
          leftovers(mv, used, mf + ".", &p.notes);
          const size_t qi = question_at(mv, "question_index", mf + ".question_index", qs.size());
          Working& w = qs[qi];
          for (size_t k = 0; k < mod.answers.size(); ++k) {
            auto it = std::find(w.answers.begin(), w.answers.end(), mod.answers[k]);
            if (it == w.answers.end())
              fail(p.who, idx(mf + ".answer_ids", k),
                   "parent question " + std::to_string(qi) + " has no answer " + mod.answers[k]);
            w.answers.erase(it);
          }
          mod.comment += " on parent question " + std::to_string(qi);
          add(w, mod);
        }
      } else if (name == "do_tallies" || name == "sort_non_iterative") {
        if (!params.empty())
          p.notes.add(f + ".params", compact(params) + " (urna's " + name + " takes none)");
        Pipe t;
        t.type = name;
        out.push_back(t);
      } else {
        p.notes.add(f, compact(pv) +
                           " (urna has no such pipe; urna's pipes are "
                           "duplicate_questions, apply_modifications, "
                           "multipart_tally_plaintexts_append_joiner, do_tallies, "
                           "sort_non_iterative)");
      }
    }
    if (has) leftovers(cfg, {"pipes", "version"}, "tallyPipesConfig.", &p.notes);
    if (!has) {
      Pipe t;
      t.type = "do_tallies";
      out.push_back(t);
      t.type = "sort_non_iterative";
      out.push_back(t);
    }
    std::vector<Question> final_questions;
    for (const auto& w : qs) final_questions.push_back(w.declared);
    parent_questions_[pi] = final_questions;
    pipes_[pi] = out;
  }

  static std::string questions_yaml(const std::vector<Question>& qs) {
    std::string y = "questions:\n";
    for (const auto& q : qs) {
      if (!q.comment.empty()) y += "  # " + q.comment + "\n";
      y += "  - id: " + q.id + "\n    title: " + yq(q.title) + "\n";
      if (!q.description.empty()) y += "    description: " + yq(q.description) + "\n";
      y += "    method: " + q.method + "\n";
      if (q.winners != 1) y += "    winners: " + std::to_string(q.winners) + "\n";
      if (q.min > 0) y += "    min_selections: " + std::to_string(q.min) + "\n";
      if (q.max > 0) y += "    max_selections: " + std::to_string(q.max) + "\n";
      y += "    answers:\n";
      for (const auto& a : q.answers)
        y += "      - id: " + yq(a.id) + "\n        text: " + yq(a.text) + "\n";
    }
    return y;
  }

  void write_election(int ei, ImportResult* r) {
    Election& e = es_[ei];
    std::string y = "# Imported by urna-import from Sequent " + e.who + ".\n";
    y += "name: " + yq(e.title) + "\n";
    const Election* parent = e.parent >= 0 ? &es_[e.parent] : nullptr;
    if (!parent && e.start.empty()) fail(e.who, "start_date", "missing");
    if (!parent && e.end.empty()) fail(e.who, "end_date", "missing");
    // A child inherits its parent's dates unless it has others.
    if (!e.start.empty() && (!parent || e.start != parent->start))
      y += "start_datetime: " + yq(e.start) + "\n";
    if (!e.end.empty() && (!parent || e.end != parent->end))
      y += "end_datetime: " + yq(e.end) + "\n";
    if (!parent && !opt_.officers.empty()) {
      y += "election_officers:\n";
      for (const auto& o : opt_.officers) y += "  - " + yq(o) + "\n";
    }
    std::string role = parent ? "child of " + std::to_string(parent->wid) : "";
    if (!e.children.empty()) {
      y += "children:\n";
      for (int c : e.children) y += "  - " + es_[c].folder + "\n";
      if ((*e.v).isMember("children_election_info")) read_categories(ei, &y);
      parent_pipes(ei);
      y += questions_yaml(parent_questions_[ei]);
      y += "pipes:\n";
      for (const auto& p : pipes_[ei]) y += pipe_yaml(p);
      role = "parent; pipes' election indexes: 0 = this election";
      for (size_t k = 0; k < e.by_id.size(); ++k)
        role += ", " + std::to_string(k + 1) + " = " + es_[e.by_id[k]].folder + " (" +
                std::to_string(es_[e.by_id[k]].wid) + ")";
    } else {
      y += questions_yaml(e.questions);
      child_pipes(e);
    }
    read_census(ei);
    r->files[e.path + "/election.yaml"] = y;
    if (!e.description.empty()) r->files[e.path + "/election_desc.md"] = e.description + "\n";
    if (voters_yaml_.count(ei)) r->files[e.path + "/voters.yaml"] = voters_yaml_[ei];
    std::string line = std::to_string(e.wid);
    if (e.wid < 0) line += " (assigned " + std::to_string(e.id) + ")";
    line += " -> " + e.path;
    if (!role.empty()) line += " (" + role + ")";
    r->elections.push_back(line);
  }

  void report(ImportResult* r) {
    for (const auto& e : es_) {
      for (const auto& n : e.notes.items) r->not_carried.push_back(e.who + ": " + n);
      if (!e.notes.empties.empty()) {
        std::string s;
        for (const auto& f : e.notes.empties) s += (s.empty() ? "" : ", ") + f;
        r->not_carried.push_back(e.who + ": empty, nothing to carry over: " + s);
      }
    }
    std::string t = "# Imported from Sequent";
    if (!opt_.source_name.empty()) t += ": " + opt_.source_name;
    t += "\n\nWritten by urna-import (docs/import.md).\n\n## Elections\n\n";
    for (const auto& l : r->elections) t += "- " + l + "\n";
    t += "\n## Not carried over\n\n";
    if (r->not_carried.empty()) t += "Nothing: every field was carried over.\n";
    for (const auto& l : r->not_carried) t += "- " + l + "\n";
    r->report = t;
    r->files["sequent-import.md"] = t;
  }
};

}  // namespace

ImportResult import_sequent(const std::string& json, const ImportOptions& opt) {
  Json::CharReaderBuilder b;
  Json::CharReaderBuilder::strictMode(&b.settings_);
  b["allowTrailingCommas"] = false;
  std::unique_ptr<Json::CharReader> reader(b.newCharReader());
  Value root;
  std::string errs;
  if (!reader->parse(json.data(), json.data() + json.size(), &root, &errs)) {
    throw ImportError("the file: not valid JSON: " + one_line(errs));
  }
  return Importer(root, opt).run();
}

}  // namespace urna::import
