// Typed, validated reading of YAML maps for the loader: every problem becomes
// an Issue naming the file, the field path and the line. Also parses YAML
// text, JSON text (as the same node tree) and Markdown front matter.
#ifndef URNA_META_YAML_FIELDS_H_
#define URNA_META_YAML_FIELDS_H_

#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/model.h"
#include "meta/issue.h"

namespace urna::meta {

// Parses YAML text (the first document). A syntax error is reported as
// field "line N" and gives nullopt. `first_line` is the file line of the
// text's first line (front matter starts after its opening `---`).
std::optional<YAML::Node> parse_yaml_text(const std::string &text,
                                          const IssueSink &sink,
                                          int first_line = 1);

// Parses JSON text with jsoncpp (strict: no comments, no duplicate keys)
// into the same node tree as YAML, so the loader reads both alike.
std::optional<YAML::Node> parse_json_text(const std::string &text,
                                          const IssueSink &sink);

// Splits a candidate file: a first line of three or more dashes, YAML, a
// closing line of three or more dashes, then the Markdown body. Blank lines
// and a UTF-8 BOM before the opening line are allowed. Returns false if the
// file does not start with front matter or it is not closed.
struct FrontMatter {
  std::string yaml;
  int yaml_first_line = 2; // file line of the YAML's first line
  std::string body;
};
bool split_front_matter(const std::string &text, FrontMatter *out);

// " (line N)" for a node with a position, "" otherwise (JSON nodes).
std::string line_of(const YAML::Node &node);

// Logins: non-empty text without spaces or control characters, at most 100
// bytes; numbers are fine (GitHub logins can look like numbers). Returns the
// lower-cased login, or nullopt with the reason in *why.
std::optional<std::string> parse_login(const YAML::Node &node,
                                       std::string *why);

// Unicode's bidirectional controls (UAX #9): the embeddings and overrides
// U+202A..U+202E, the isolates U+2066..U+2069 and the marks U+200E, U+200F,
// U+061C. They can make a page show a name, or a "Winner" line, in another
// order than written, so metadata text may not contain them (an error; see
// docs/metadata.md). Returns "" when `s` has none, else the reason naming
// the first, e.g. "contains the bidirectional control character U+202E
// (RIGHT-TO-LEFT OVERRIDE), ...".
std::string bidi_control_problem(const std::string &s);

// A name usable in a URL path: letters, digits, '.', '_', '-', not starting
// with '.' (so never "." or "..").
bool is_safe_name(const std::string &s);

// The known name nearest to `word` (a likely misspelling: at most two edits
// apart once case, '_', '-' and spaces are ignored, or one a prefix of the
// other, e.g. end_date / end_datetime), or "" when none is near.
std::string nearest_name(const std::string &word, const std::vector<std::string> &known);

// Reads one YAML map. Duplicate keys are errors. A key whose value is null
// (`key:` with nothing after it) counts as absent, as in Elekto. An unknown
// key is a warning, never an error (Elekto ignores keys it does not know):
// "unknown field, ignored", with "did you mean 'KEY'?" when a known key of
// the same map is near (nearest_name).
class Fields {
 public:
  // REQUIRES: map.IsMap(). `prefix` is the field path of the map itself
  // ("" at the top, "questions[0]" inside a list).
  Fields(const YAML::Node &map, const IssueSink &sink, std::string prefix,
         std::vector<std::string> known);
  // Reports unknown keys (once).
  ~Fields();

  std::string path(const std::string &key) const;
  bool has(const std::string &key) const;
  // The value, or an undefined/null node when absent.
  YAML::Node node(const std::string &key) const;

  // Each returns true when the key is present and valid (and sets *out);
  // false when absent (reported if `required`) or invalid (reported).
  // Text with a bidirectional control is invalid (bidi_control_problem).
  bool text(const std::string &key, std::string *out,
            bool required = false) const;
  bool flag(const std::string &key, bool *out) const;
  bool whole(const std::string &key, int *out, int min, int max) const;
  bool date(const std::string &key, core::UnixTime *out,
            bool required = false) const;
  // A list of text items. Null items are skipped when `skip_nulls` (Elekto's
  // show_candidate_fields quirk), errors otherwise.
  bool text_list(const std::string &key, std::vector<std::string> *out,
                 bool skip_nulls = false) const;
  // A list of logins, lower-cased, duplicates dropped with a warning.
  bool login_list(const std::string &key, std::vector<std::string> *out) const;

  const IssueSink &sink() const { return sink_; }

private:
  void report_unknown();
  YAML::Node map_;
  const IssueSink &sink_;
  std::string prefix_;
  std::vector<std::string> known_;
  std::set<std::string> duplicates_;
};

} // namespace urna::meta

#endif // URNA_META_YAML_FIELDS_H_
