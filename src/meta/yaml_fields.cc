#include "meta/yaml_fields.h"

#include <json/json.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>

#include "core/time_util.h"

namespace urna::meta {

namespace {

std::string describe(const YAML::Node &n) {
  switch (n.Type()) {
  case YAML::NodeType::Sequence:
    return "a list";
  case YAML::NodeType::Map:
    return "a map";
  case YAML::NodeType::Null:
    return "nothing";
  default:
    return "'" + n.Scalar() + "'";
  }
}

size_t edit_distance(const std::string &a, const std::string &b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min(
          {row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

YAML::Node from_json(const Json::Value &v) {
  switch (v.type()) {
  case Json::nullValue:
    return YAML::Node(YAML::NodeType::Null);
  case Json::arrayValue: {
    YAML::Node seq(YAML::NodeType::Sequence);
    for (const auto &item : v)
      seq.push_back(from_json(item));
    return seq;
  }
  case Json::objectValue: {
    YAML::Node map(YAML::NodeType::Map);
    for (const auto &key : v.getMemberNames())
      map[key] = from_json(v[key]);
    return map;
  }
  default:
    return YAML::Node(v.asString());
  }
}

bool is_dash_line(const std::string &line) {
  size_t n = line.size();
  while (n > 0 &&
         (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
    --n;
  if (n < 3)
    return false;
  for (size_t i = 0; i < n; ++i)
    if (line[i] != '-')
      return false;
  return true;
}

} // namespace

std::string line_of(const YAML::Node &node) {
  if (!node.IsDefined())
    return "";
  YAML::Mark m = node.Mark();
  if (m.is_null() || m.line < 0)
    return "";
  return " (line " + std::to_string(m.line + 1) + ")";
}

std::optional<YAML::Node> parse_yaml_text(const std::string &text,
                                          const IssueSink &sink,
                                          int first_line) {
  try {
    // Leading newlines make yaml-cpp's positions file lines.
    if (first_line > 1)
      return YAML::Load(std::string(first_line - 1, '\n') + text);
    return YAML::Load(text);
  } catch (const YAML::Exception &e) {
    if (!e.mark.is_null())
      sink.error("line " + std::to_string(e.mark.line + 1),
                 "not valid YAML: " + e.msg);
    else
      sink.error("", "not valid YAML: " + e.msg);
  }
  return std::nullopt;
}

std::optional<YAML::Node> parse_json_text(const std::string &text,
                                          const IssueSink &sink) {
  Json::CharReaderBuilder b;
  Json::CharReaderBuilder::strictMode(&b.settings_);
  std::unique_ptr<Json::CharReader> reader(b.newCharReader());
  Json::Value root;
  std::string errors;
  if (!reader->parse(text.data(), text.data() + text.size(), &root, &errors)) {
    while (!errors.empty() && (errors.back() == '\n' || errors.back() == ' '))
      errors.pop_back();
    // jsoncpp's messages start with "* Line N, Column M".
    sink.error("", "not valid JSON: " + errors);
    return std::nullopt;
  }
  return from_json(root);
}

bool split_front_matter(const std::string &text, FrontMatter *out) {
  size_t pos = 0;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0)
    pos = 3;
  int line_no = 1;
  bool opened = false;
  size_t yaml_start = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos)
      eol = text.size();
    std::string line = text.substr(pos, eol - pos);
    size_t next = eol + 1;
    if (!opened) {
      if (is_dash_line(line)) {
        opened = true;
        yaml_start = std::min(next, text.size());
        out->yaml_first_line = line_no + 1;
      } else if (line.find_first_not_of(" \t\r") != std::string::npos) {
        return false; // text before the opening line
      }
    } else if (is_dash_line(line)) {
      out->yaml = text.substr(yaml_start, pos - yaml_start);
      out->body = next < text.size() ? text.substr(next) : "";
      return true;
    }
    if (eol == text.size())
      break;
    pos = next;
    ++line_no;
  }
  return false;
}

std::optional<std::string> parse_login(const YAML::Node &node,
                                       std::string *why) {
  if (!node.IsDefined() || node.IsNull()) {
    *why = "empty login";
    return std::nullopt;
  }
  if (!node.IsScalar()) {
    *why = "expected a login, got " + describe(node);
    return std::nullopt;
  }
  const std::string &s = node.Scalar();
  if (s.empty()) {
    *why = "empty login";
    return std::nullopt;
  }
  if (s.size() > 100) {
    *why = "login longer than 100 characters";
    return std::nullopt;
  }
  for (unsigned char c : s) {
    if (c <= ' ' || c == 0x7f) {
      *why = "login '" + s + "' contains a space or control character";
      return std::nullopt;
    }
  }
  std::string bidi = bidi_control_problem(s);
  if (!bidi.empty()) {
    *why = "login " + bidi;
    return std::nullopt;
  }
  return core::lower(s);
}

std::string bidi_control_problem(const std::string &s) {
  static const struct {
    const char *utf8;
    const char *name;
  } kControls[] = {
      {"\xE2\x80\xAA", "U+202A (LEFT-TO-RIGHT EMBEDDING)"},
      {"\xE2\x80\xAB", "U+202B (RIGHT-TO-LEFT EMBEDDING)"},
      {"\xE2\x80\xAC", "U+202C (POP DIRECTIONAL FORMATTING)"},
      {"\xE2\x80\xAD", "U+202D (LEFT-TO-RIGHT OVERRIDE)"},
      {"\xE2\x80\xAE", "U+202E (RIGHT-TO-LEFT OVERRIDE)"},
      {"\xE2\x81\xA6", "U+2066 (LEFT-TO-RIGHT ISOLATE)"},
      {"\xE2\x81\xA7", "U+2067 (RIGHT-TO-LEFT ISOLATE)"},
      {"\xE2\x81\xA8", "U+2068 (FIRST STRONG ISOLATE)"},
      {"\xE2\x81\xA9", "U+2069 (POP DIRECTIONAL ISOLATE)"},
      {"\xE2\x80\x8E", "U+200E (LEFT-TO-RIGHT MARK)"},
      {"\xE2\x80\x8F", "U+200F (RIGHT-TO-LEFT MARK)"},
      {"\xD8\x9C", "U+061C (ARABIC LETTER MARK)"},
  };
  size_t first = std::string::npos;
  const char *name = nullptr;
  for (const auto &c : kControls) {
    size_t at = s.find(c.utf8);
    if (at < first) {
      first = at;
      name = c.name;
    }
  }
  if (!name)
    return "";
  return std::string("contains the bidirectional control character ") + name +
         ", which can make a page show text in another order than it is written; "
         "remove it (pages keep right-to-left text in its own direction without it)";
}

bool is_safe_name(const std::string &s) {
  if (s.empty() || s[0] == '.' || s.size() > 100)
    return false;
  for (unsigned char c : s)
    if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-'))
      return false;
  return true;
}

std::string nearest_name(const std::string &word, const std::vector<std::string> &known) {
  auto norm = [](const std::string &s) {
    std::string out;
    for (unsigned char c : s)
      if (c != '_' && c != '-' && c != ' ') out += static_cast<char>(std::tolower(c));
    return out;
  };
  const std::string w = norm(word);
  if (w.empty()) return "";
  std::string best;
  size_t best_d = std::string::npos;
  for (const auto &name : known) {
    const std::string n = norm(name);
    size_t d = edit_distance(w, n);
    bool near = d <= 2 && d < n.size() / 2 + 1;
    // end_date for end_datetime, exception for exception_due: one is the
    // start of the other (long enough to mean something).
    if (!near && std::min(w.size(), n.size()) >= 5 &&
        (n.compare(0, w.size(), w) == 0 || w.compare(0, n.size(), n) == 0)) {
      near = true;
      d = 3;
    }
    if (near && d < best_d) {
      best = name;
      best_d = d;
    }
  }
  return best;
}

Fields::Fields(const YAML::Node &map, const IssueSink &sink, std::string prefix,
               std::vector<std::string> known)
    : map_(map), sink_(sink), prefix_(std::move(prefix)), known_(std::move(known)) {
  std::set<std::string> seen;
  for (auto it = map_.begin(); it != map_.end(); ++it) {
    if (!it->first.IsScalar()) {
      sink_.error(prefix_.empty() ? "(key)" : prefix_,
                  "a key must be text, got " + describe(it->first) +
                      line_of(it->first));
      continue;
    }
    const std::string &k = it->first.Scalar();
    if (!seen.insert(k).second && duplicates_.insert(k).second)
      sink_.error(path(k), "appears twice" + line_of(it->first));
  }
}

Fields::~Fields() { report_unknown(); }

void Fields::report_unknown() {
  for (auto it = map_.begin(); it != map_.end(); ++it) {
    if (!it->first.IsScalar())
      continue;
    const std::string &k = it->first.Scalar();
    if (std::find(known_.begin(), known_.end(), k) != known_.end())
      continue;
    const std::string near = nearest_name(k, known_);
    sink_.warning(path(k), "unknown field, ignored" +
                               (near.empty() ? std::string() : "; did you mean '" + near + "'?") +
                               line_of(it->first));
  }
}

std::string Fields::path(const std::string &key) const {
  return prefix_.empty() ? key : prefix_ + "." + key;
}

bool Fields::has(const std::string &key) const {
  const YAML::Node n = map_[key];
  return n.IsDefined() && !n.IsNull();
}

YAML::Node Fields::node(const std::string &key) const { return map_[key]; }

bool Fields::text(const std::string &key, std::string *out,
                  bool required) const {
  const YAML::Node n = map_[key];
  if (!n.IsDefined() || n.IsNull()) {
    if (required)
      sink_.error(path(key), "missing");
    return false;
  }
  if (!n.IsScalar()) {
    sink_.error(path(key), "expected text, got " + describe(n) + line_of(n));
    return false;
  }
  std::string bidi = bidi_control_problem(n.Scalar());
  if (!bidi.empty()) {
    sink_.error(path(key), bidi + line_of(n));
    return false;
  }
  *out = n.Scalar();
  return true;
}

bool Fields::flag(const std::string &key, bool *out) const {
  const YAML::Node n = map_[key];
  if (!n.IsDefined() || n.IsNull())
    return false;
  bool v;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
    sink_.error(path(key),
                "expected true or false, got " + describe(n) + line_of(n));
    return false;
  }
  *out = v;
  return true;
}

bool Fields::whole(const std::string &key, int *out, int min, int max) const {
  const YAML::Node n = map_[key];
  if (!n.IsDefined() || n.IsNull())
    return false;
  int v = 0;
  const std::string s = n.IsScalar() ? n.Scalar() : "";
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (!n.IsScalar() || s.empty() || ec != std::errc() ||
      end != s.data() + s.size()) {
    sink_.error(path(key),
                "expected a whole number, got " + describe(n) + line_of(n));
    return false;
  }
  if (v < min || v > max) {
    sink_.error(path(key), "must be between " + std::to_string(min) + " and " +
                               std::to_string(max) + ", got " + s + line_of(n));
    return false;
  }
  *out = v;
  return true;
}

bool Fields::date(const std::string &key, core::UnixTime *out,
                  bool required) const {
  const YAML::Node n = map_[key];
  if (!n.IsDefined() || n.IsNull()) {
    if (required)
      sink_.error(path(key), "missing");
    return false;
  }
  std::optional<core::UnixTime> t;
  if (n.IsScalar())
    t = core::parse_utc(n.Scalar());
  if (!t) {
    sink_.error(path(key), "not a date: " + describe(n) +
                               " (write YYYY-MM-DD HH:MM:SS, UTC)" +
                               line_of(n));
    return false;
  }
  *out = *t;
  return true;
}

bool Fields::text_list(const std::string &key, std::vector<std::string> *out,
                       bool skip_nulls) const {
  const YAML::Node n = map_[key];
  if (!n.IsDefined() || n.IsNull())
    return false;
  if (!n.IsSequence()) {
    sink_.error(path(key), "expected a list, got " + describe(n) + line_of(n));
    return false;
  }
  bool ok = true;
  out->clear();
  for (size_t i = 0; i < n.size(); ++i) {
    const YAML::Node item = n[i];
    std::string where = path(key) + "[" + std::to_string(i) + "]";
    if (item.IsNull()) {
      if (!skip_nulls) {
        sink_.error(where, "empty entry" + line_of(item));
        ok = false;
      }
      continue;
    }
    if (!item.IsScalar()) {
      sink_.error(where,
                  "expected text, got " + describe(item) + line_of(item));
      ok = false;
      continue;
    }
    std::string bidi = bidi_control_problem(item.Scalar());
    if (!bidi.empty()) {
      sink_.error(where, bidi + line_of(item));
      ok = false;
      continue;
    }
    out->push_back(item.Scalar());
  }
  return ok;
}

bool Fields::login_list(const std::string &key,
                        std::vector<std::string> *out) const {
  const YAML::Node n = map_[key];
  if (!n.IsDefined() || n.IsNull())
    return false;
  if (!n.IsSequence()) {
    sink_.error(path(key),
                "expected a list of logins, got " + describe(n) + line_of(n));
    return false;
  }
  bool ok = true;
  out->clear();
  for (size_t i = 0; i < n.size(); ++i) {
    std::string why;
    std::string where = path(key) + "[" + std::to_string(i) + "]";
    if (n[i].IsNull()) {
      sink_.warning(where, "empty entry, skipped");  // no line: see parse_voters
      continue;
    }
    auto login = parse_login(n[i], &why);
    if (!login) {
      sink_.error(where, why + line_of(n[i]));
      ok = false;
    } else if (std::find(out->begin(), out->end(), *login) != out->end()) {
      sink_.warning(where, "'" + *login + "' is listed twice" + line_of(n[i]));
    } else {
      out->push_back(*login);
    }
  }
  return ok;
}

} // namespace urna::meta
