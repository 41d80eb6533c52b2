// Header-only pieces of urna::i18n that code everywhere may use without
// linking libi18n.a: the extraction marks for xgettext and the placeholder
// formatter.
//
//   N_("There is no such page.")      marks a msgid that is translated later
//                                     (tables, exception messages); it is the
//                                     string itself.
//   NC_("HTTP status", "Not Found")   the same with a context (msgctxt); the
//                                     translating call must pass the context.
//   format("Closes {when}", {{"when", date}})
//                                     replaces each {name} by its value, so a
//                                     translation may put them in any order.
//
// Placeholder names are ASCII letters, digits and '_' (starting with a
// letter or '_'); a {name} that has no value, and any other brace, is kept
// as written. Values are inserted as they are (no escaping: a page escapes
// the whole result when it sets it as a template value).
// Thread safety: pure functions.
#ifndef URNA_I18N_TEXT_H_
#define URNA_I18N_TEXT_H_

#include <cctype>
#include <set>
#include <string>
#include <utility>
#include <vector>

#define N_(msgid) msgid
#define NC_(context, msgid) msgid

namespace urna::i18n {

// Placeholder values for format(), in any order.
using Args = std::vector<std::pair<std::string, std::string>>;

// Length of the placeholder "{name}" starting at text[pos] ('{'), or 0.
inline size_t placeholder_at(const std::string& text, size_t pos) {
  if (pos >= text.size() || text[pos] != '{') return 0;
  size_t i = pos + 1;
  if (i >= text.size()) return 0;
  auto ident0 = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (!ident0(text[i])) return 0;
  while (i < text.size() && ident(text[i])) ++i;
  if (i >= text.size() || text[i] != '}') return 0;
  return i + 1 - pos;
}

// The placeholder names used in `text` ("Closes {when}" → {"when"}).
inline std::set<std::string> placeholders(const std::string& text) {
  std::set<std::string> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (size_t len = placeholder_at(text, i)) {
      out.insert(text.substr(i + 1, len - 2));
      i += len - 1;
    }
  }
  return out;
}

inline std::string format(const std::string& pattern, const Args& args) {
  std::string out;
  out.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size();) {
    if (size_t len = placeholder_at(pattern, i)) {
      const std::string name = pattern.substr(i + 1, len - 2);
      const std::string* value = nullptr;
      for (const auto& a : args)
        if (a.first == name) value = &a.second;
      out += value ? *value : pattern.substr(i, len);
      i += len;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

}  // namespace urna::i18n

#endif  // URNA_I18N_TEXT_H_
