#include "core/snapshot_json.h"

#include <json/json.h>

#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace urna::core {

namespace {

// ---- writing ----

// Appends compact JSON to a string as it goes, so writing a snapshot needs
// only the output itself: no Json::Value tree (for 400,000 voters that tree
// was 20 times the size of the document). Commas are placed by the writer;
// the caller opens and closes objects and arrays in order.
class JsonWriter {
 public:
  explicit JsonWriter(std::string *out) : out_(*out) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // The next value written is this key's.
  void key(std::string_view k) {
    separate();
    quoted(k);
    out_ += ':';
    after_key_ = true;
  }
  void value(std::string_view s) {
    separate();
    quoted(s);
  }
  void value(const char *s) { value(std::string_view(s)); }
  void value(const std::string &s) { value(std::string_view(s)); }
  void value(bool b) {
    separate();
    out_ += b ? "true" : "false";
  }
  void value(std::int64_t n) {
    separate();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, n);
    out_.append(buf, r.ptr);
  }
  void value(int n) { value(static_cast<std::int64_t>(n)); }
  void value(const std::vector<std::string> &v) {
    begin_array();
    for (const auto &s : v) value(s);
    end_array();
  }
  template <typename T>
  void field(std::string_view k, const T &v) {
    key(k);
    value(v);
  }

 private:
  void open(char c) {
    separate();
    out_ += c;
    first_.push_back(true);
  }
  void close(char c) {
    out_ += c;
    first_.pop_back();
  }
  // A comma before every element but the first of its object or array.
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
  // RFC 8259 string: quote, backslash and the control characters U+0000 to
  // U+001F escaped (the common ones in their short form); every other byte,
  // UTF-8 included, copied as it is, as jsoncpp's emitUTF8 did.
  void quoted(std::string_view s) {
    static const char kHex[] = "0123456789abcdef";
    out_ += '"';
    size_t run = 0;  // start of the bytes not yet copied
    for (size_t i = 0; i < s.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default:
          out_ += "\\u00";
          out_ += kHex[c >> 4];
          out_ += kHex[c & 0xf];
      }
    }
    out_.append(s.data() + run, s.size() - run);
    out_ += '"';
  }

  std::string &out_;
  std::vector<bool> first_;  // per open object/array: nothing written yet
  bool after_key_ = false;
};

const char *visibility_name(ResultsVisibility v) {
  return v == ResultsVisibility::kOfficersFirst ? "officers-first" : "public";
}

void write(JsonWriter &w, const Candidate &c) {
  w.begin_object();
  w.field("id", c.id);
  w.field("name", c.name);
  w.key("info");
  w.begin_array();
  for (const auto &[k, v] : c.info) {
    w.begin_array();
    w.value(k);
    w.value(v);
    w.end_array();
  }
  w.end_array();
  w.field("bio_html", c.bio_html);
  w.end_object();
}

void write(JsonWriter &w, const Question &q) {
  w.begin_object();
  w.field("id", q.id);
  w.field("title", q.title);
  w.field("method", method_name(q.method));
  w.field("winners", q.winners);
  w.key("answers");
  w.begin_array();
  for (const auto &a : q.answers) {
    w.begin_object();
    w.field("id", a.id);
    w.field("text", a.text);
    w.end_object();
  }
  w.end_array();
  w.field("min_selections", q.min_selections);
  w.field("max_selections", q.max_selections);
  w.field("from_candidates", q.from_candidates);
  w.field("description_html", q.description_html);
  w.end_object();
}

void write(JsonWriter &w, const Pipe &p) {
  w.begin_object();
  w.field("type", p.type);
  w.field("source_election", p.source_election);
  w.field("source_question", p.source_question);
  w.field("question", p.question);
  w.field("action", p.action);
  w.field("value", p.value);
  w.field("answers", p.answers);
  w.field("no_votes", p.no_votes);
  w.end_object();
}

// Format 2: a voter without a children list is just its login string.
void write(JsonWriter &w, const Voter &v) {
  if (v.children.empty()) {
    w.value(v.login);
    return;
  }
  w.begin_object();
  w.field("login", v.login);
  w.field("children", v.children);
  w.end_object();
}

void write(JsonWriter &w, const Election &e) {
  w.begin_object();
  w.field("id", e.id);
  w.field("folder", e.folder);
  w.field("name", e.name);
  w.field("organization", e.organization);
  w.field("start", e.start);
  w.field("end", e.end);
  w.field("exception_due", e.exception_due);
  w.field("no_winners", e.no_winners);
  w.field("allow_no_opinion", e.allow_no_opinion);
  w.field("delete_after", e.delete_after);
  w.field("show_candidate_fields", e.show_candidate_fields);
  w.field("officers", e.officers);
  w.field("eligibility", e.eligibility);
  w.field("exception_description", e.exception_description);
  w.field("description_html", e.description_html);
  if (e.results_html) w.field("results_html", *e.results_html);
  w.key("candidates");
  w.begin_array();
  for (const auto &c : e.candidates) write(w, c);
  w.end_array();
  w.key("questions");
  w.begin_array();
  for (const auto &q : e.questions) write(w, q);
  w.end_array();
  w.key("voters");
  w.begin_array();
  for (const auto &v : e.voters) write(w, v);
  w.end_array();
  w.field("results_visibility", visibility_name(e.results_visibility));
  w.field("receipts", e.receipts);
  w.field("public_ballots", e.public_ballots);
  w.field("tie_break", e.tie_break);
  w.field("tie_break_seed", e.tie_break_seed);
  w.field("ballot_key", e.ballot_key);
  w.field("parent", e.parent);
  w.field("children", e.children);
  w.key("categories");
  w.begin_array();
  for (const auto &c : e.categories) {
    w.begin_object();
    w.field("title", c.title);
    w.field("children", c.children);
    w.end_object();
  }
  w.end_array();
  w.key("pipes");
  w.begin_array();
  for (const auto &p : e.pipes) write(w, p);
  w.end_array();
  w.end_object();
}

// ---- reading ----

[[noreturn]] void fail(const std::string &path, const std::string &what) {
  throw SnapshotJsonError("snapshot JSON: " + path + ": " + what);
}

// A JSON object being read, with its path for messages. A missing key leaves
// the target at its default; a key of the wrong type throws.
class Obj {
 public:
  Obj(const Json::Value &v, std::string path) : v_(v), path_(std::move(path)) {
    if (!v_.isObject()) fail(path_, "expected an object");
  }

  std::string at(const char *key) const { return path_ + "." + key; }

  void get(const char *key, std::string *out) const {
    const Json::Value *x = find(key);
    if (!x) return;
    if (!x->isString()) fail(at(key), "expected a string");
    *out = x->asString();
  }
  void get(const char *key, bool *out) const {
    const Json::Value *x = find(key);
    if (!x) return;
    if (!x->isBool()) fail(at(key), "expected true or false");
    *out = x->asBool();
  }
  void get(const char *key, int *out) const {
    const Json::Value *x = find(key);
    if (!x) return;
    if (!x->isInt()) fail(at(key), "expected an integer");
    *out = x->asInt();
  }
  void get(const char *key, std::int64_t *out) const {
    const Json::Value *x = find(key);
    if (!x) return;
    if (!x->isInt64()) fail(at(key), "expected an integer");
    *out = x->asInt64();
  }
  void get(const char *key, std::vector<std::string> *out) const {
    const Json::Value *x = find(key);
    if (!x) return;
    if (!x->isArray()) fail(at(key), "expected an array");
    out->clear();
    for (Json::ArrayIndex i = 0; i < x->size(); ++i) {
      if (!(*x)[i].isString()) fail(at(key) + "[" + std::to_string(i) + "]", "expected a string");
      out->push_back((*x)[i].asString());
    }
  }
  void get(const char *key, Method *out) const {
    std::string name;
    if (!find(key)) return;
    get(key, &name);
    auto m = parse_method(name);
    if (!m) fail(at(key), "unknown method '" + name + "'");
    *out = *m;
  }
  // Calls f(Obj) for each object of the array under `key`.
  template <typename F>
  void each(const char *key, F f) const {
    const Json::Value *x = find(key);
    if (!x) return;
    if (!x->isArray()) fail(at(key), "expected an array");
    for (Json::ArrayIndex i = 0; i < x->size(); ++i)
      f(Obj((*x)[i], at(key) + "[" + std::to_string(i) + "]"));
  }
  const Json::Value *find(const char *key) const {
    const Json::Value *x = v_.find(key, key + std::char_traits<char>::length(key));
    if (x && x->isNull()) return nullptr;
    return x;
  }
  const std::string &path() const { return path_; }

 private:
  const Json::Value &v_;
  std::string path_;
};

Candidate candidate_from(const Obj &o) {
  Candidate c;
  o.get("id", &c.id);
  o.get("name", &c.name);
  if (const Json::Value *info = o.find("info")) {
    if (!info->isArray()) fail(o.at("info"), "expected an array");
    for (Json::ArrayIndex i = 0; i < info->size(); ++i) {
      const Json::Value &pair = (*info)[i];
      if (!pair.isArray() || pair.size() != 2 || !pair[0].isString() || !pair[1].isString())
        fail(o.at("info") + "[" + std::to_string(i) + "]", "expected [key, value] strings");
      c.info.emplace_back(pair[0].asString(), pair[1].asString());
    }
  }
  o.get("bio_html", &c.bio_html);
  return c;
}

Question question_from(const Obj &o) {
  Question q;
  o.get("id", &q.id);
  o.get("title", &q.title);
  o.get("method", &q.method);
  o.get("winners", &q.winners);
  o.each("answers", [&](const Obj &a) {
    Answer ans;
    a.get("id", &ans.id);
    a.get("text", &ans.text);
    q.answers.push_back(ans);
  });
  o.get("min_selections", &q.min_selections);
  o.get("max_selections", &q.max_selections);
  o.get("from_candidates", &q.from_candidates);
  o.get("description_html", &q.description_html);
  return q;
}

Pipe pipe_from(const Obj &o) {
  Pipe p;
  o.get("type", &p.type);
  o.get("source_election", &p.source_election);
  o.get("source_question", &p.source_question);
  o.get("question", &p.question);
  o.get("action", &p.action);
  o.get("value", &p.value);
  o.get("answers", &p.answers);
  o.get("no_votes", &p.no_votes);
  return p;
}

Election election_from(const Obj &o) {
  Election e;
  o.get("id", &e.id);
  if (e.id.empty()) fail(o.at("id"), "missing");
  o.get("folder", &e.folder);
  o.get("name", &e.name);
  o.get("organization", &e.organization);
  o.get("start", &e.start);
  o.get("end", &e.end);
  o.get("exception_due", &e.exception_due);
  o.get("no_winners", &e.no_winners);
  o.get("allow_no_opinion", &e.allow_no_opinion);
  o.get("delete_after", &e.delete_after);
  o.get("show_candidate_fields", &e.show_candidate_fields);
  o.get("officers", &e.officers);
  o.get("eligibility", &e.eligibility);
  o.get("exception_description", &e.exception_description);
  o.get("description_html", &e.description_html);
  if (o.find("results_html")) {
    std::string r;
    o.get("results_html", &r);
    e.results_html = r;
  }
  o.each("candidates", [&](const Obj &c) { e.candidates.push_back(candidate_from(c)); });
  o.each("questions", [&](const Obj &q) { e.questions.push_back(question_from(q)); });
  if (const Json::Value *voters = o.find("voters")) {
    if (!voters->isArray()) fail(o.at("voters"), "expected an array");
    e.voters.reserve(voters->size());
    for (Json::ArrayIndex i = 0; i < voters->size(); ++i) {
      const Json::Value &v = (*voters)[i];
      Voter voter;
      if (v.isString()) {  // format 2: a login without a children list
        voter.login = v.asString();
      } else {
        Obj vo(v, o.at("voters") + "[" + std::to_string(i) + "]");
        vo.get("login", &voter.login);
        vo.get("children", &voter.children);
      }
      e.voters.push_back(std::move(voter));
    }
  }
  if (o.find("results_visibility")) {
    std::string vis;
    o.get("results_visibility", &vis);
    if (vis == "public")
      e.results_visibility = ResultsVisibility::kPublic;
    else if (vis == "officers-first")
      e.results_visibility = ResultsVisibility::kOfficersFirst;
    else
      fail(o.at("results_visibility"), "unknown value '" + vis + "'");
  }
  o.get("receipts", &e.receipts);
  o.get("public_ballots", &e.public_ballots);
  o.get("tie_break", &e.tie_break);
  o.get("tie_break_seed", &e.tie_break_seed);
  o.get("ballot_key", &e.ballot_key);
  o.get("parent", &e.parent);
  o.get("children", &e.children);
  o.each("categories", [&](const Obj &c) {
    Category cat;
    c.get("title", &cat.title);
    c.get("children", &cat.children);
    e.categories.push_back(cat);
  });
  o.each("pipes", [&](const Obj &p) { e.pipes.push_back(pipe_from(p)); });
  return e;
}

// ---- reading in pieces ----
//
// jsoncpp has no streaming parser, and its tree of a whole snapshot is about
// 5 times the document. So the "elections" array is cut out of the text
// without parsing it: the rest of the document (with "elections":[]) is
// parsed as one small document, then each election on its own, and only one
// election's tree exists at a time. The scan below only finds where values
// end; jsoncpp (strict mode) still checks every byte. Whenever the text is
// not the plain shape the writer produces, or a piece does not parse, the
// whole document is parsed instead, which gives jsoncpp's usual error.

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

const char *skip_space(const char *p, const char *end) {
  while (p < end && is_space(*p)) ++p;
  return p;
}

// Past the closing quote of the string opening at p, or nullptr.
const char *skip_string(const char *p, const char *end) {
  for (++p; p < end; ++p) {
    if (*p == '\\')
      ++p;
    else if (*p == '"')
      return p + 1;
  }
  return nullptr;
}

// Past the end of the value starting at p, or nullptr. Brackets are only
// counted, not matched: jsoncpp rejects a mismatch when it parses the piece.
const char *skip_value(const char *p, const char *end) {
  if (p == end) return nullptr;
  if (*p == '"') return skip_string(p, end);
  if (*p == '{' || *p == '[') {
    int depth = 0;
    while (p < end) {
      if (*p == '"') {
        if (!(p = skip_string(p, end))) return nullptr;
        continue;
      }
      if (*p == '{' || *p == '[')
        ++depth;
      else if ((*p == '}' || *p == ']') && --depth == 0)
        return p + 1;
      ++p;
    }
    return nullptr;
  }
  const char *start = p;
  while (p < end && !is_space(*p) && *p != ',' && *p != ']' && *p != '}') ++p;
  return p == start ? nullptr : p;
}

struct Span {
  const char *begin;
  const char *end;
};

// The "elections" array of the top-level object, '[' to just past ']'; or
// nullopt (not an object, no such key, twice, ...).
std::optional<Span> find_elections(const char *p, const char *end) {
  p = skip_space(p, end);
  if (p == end || *p != '{') return std::nullopt;
  p = skip_space(p + 1, end);
  std::optional<Span> found;
  while (p < end && *p == '"') {
    const char *key = p;
    if (!(p = skip_string(p, end))) return std::nullopt;
    const bool is_elections = std::string_view(key, p - key) == "\"elections\"";
    p = skip_space(p, end);
    if (p == end || *p != ':') return std::nullopt;
    const char *value = skip_space(p + 1, end);
    if (!(p = skip_value(value, end))) return std::nullopt;
    if (is_elections) {
      if (found || *value != '[') return std::nullopt;
      found = Span{value, p};
    }
    p = skip_space(p, end);
    if (p < end && *p == '}') return found;
    if (p == end || *p != ',') return std::nullopt;
    p = skip_space(p + 1, end);
  }
  return std::nullopt;
}

std::unique_ptr<Json::CharReader> strict_reader() {
  Json::CharReaderBuilder b;
  Json::CharReaderBuilder::strictMode(&b.settings_);
  return std::unique_ptr<Json::CharReader>(b.newCharReader());
}

// The checks on the top-level object; fills s.commit. `root` is the whole
// document or the document without its elections.
void read_top(const Json::Value &root, Snapshot *s) {
  Obj top(root, "$");
  const Json::Value *format = top.find("format");
  if (!format) fail("$.format", "missing");
  if (!format->isInt()) fail("$.format", "expected an integer");
  if (format->asInt() > kSnapshotFormat || format->asInt() < 1)
    fail("$.format", "format " + std::to_string(format->asInt()) +
                         " is not supported (this build reads 1 to " +
                         std::to_string(kSnapshotFormat) + ")");
  const Json::Value *elections = top.find("elections");
  if (!elections) fail("$.elections", "missing");
  if (!elections->isArray()) fail("$.elections", "expected an array");
  top.get("commit", &s->commit);
}

Election election_at(const Json::Value &v, size_t i) {
  return election_from(Obj(v, "$.elections[" + std::to_string(i) + "]"));
}

// One tree for the whole document; each election's part is freed once read.
Snapshot read_whole(const std::string &json) {
  Json::Value root;
  std::string errors;
  if (!strict_reader()->parse(json.data(), json.data() + json.size(), &root, &errors))
    throw SnapshotJsonError("snapshot JSON: not valid JSON: " + errors);
  Snapshot s;
  read_top(root, &s);
  Json::Value &elections = root["elections"];
  s.elections.reserve(elections.size());
  for (Json::ArrayIndex i = 0; i < elections.size(); ++i) {
    Json::Value e;
    e.swap(elections[i]);
    s.elections.push_back(election_at(e, i));
  }
  return s;
}

// One election's tree at a time; nullopt when the whole document must be
// parsed instead (see above). Throws SnapshotJsonError for a valid piece
// that is not a valid snapshot part (so a document with that error and
// invalid JSON further on reports the former).
std::optional<Snapshot> read_in_pieces(const std::string &json) {
  const char *begin = json.data();
  const char *end = begin + json.size();
  const std::optional<Span> el = find_elections(begin, end);
  if (!el) return std::nullopt;
  std::unique_ptr<Json::CharReader> reader = strict_reader();
  std::string errors;
  Json::Value root;
  {
    std::string rest(begin, el->begin);
    rest += "[]";
    rest.append(el->end, end);
    if (!reader->parse(rest.data(), rest.data() + rest.size(), &root, &errors)) return std::nullopt;
  }
  Snapshot s;
  read_top(root, &s);
  const char *p = skip_space(el->begin + 1, el->end);
  if (*p == ']') return p + 1 == el->end ? std::optional<Snapshot>(std::move(s)) : std::nullopt;
  for (size_t i = 0;; ++i) {
    const char *value = p;
    if (!(p = skip_value(value, el->end))) return std::nullopt;
    Json::Value e;
    if (!reader->parse(value, p, &e, &errors)) return std::nullopt;
    s.elections.push_back(election_at(e, i));
    p = skip_space(p, el->end);
    if (p < el->end && *p == ']')
      return p + 1 == el->end ? std::optional<Snapshot>(std::move(s)) : std::nullopt;
    if (p == el->end || *p != ',') return std::nullopt;
    p = skip_space(p + 1, el->end);
  }
}

}  // namespace

std::string snapshot_to_json(const Snapshot &s) {
  std::string out;
  JsonWriter w(&out);
  w.begin_object();
  w.field("format", kSnapshotFormat);
  w.field("commit", s.commit);
  w.key("elections");
  w.begin_array();
  for (const auto &e : s.elections) write(w, e);
  w.end_array();
  w.end_object();
  return out;
}

Snapshot snapshot_from_json(const std::string &json) {
  if (std::optional<Snapshot> s = read_in_pieces(json)) return std::move(*s);
  return read_whole(json);
}

}  // namespace urna::core
