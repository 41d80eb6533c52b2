#include "i18n/template_text.h"

#include <algorithm>

namespace urna::i18n {

namespace {

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

struct Tags {
  std::vector<std::string> all;       // every {{...}} as written
  std::vector<std::string> sections;  // {{#X}} {{^X}} {{/X}} in order
  bool balanced = true;
};

Tags tags_of(const std::string& s) {
  Tags t;
  size_t pos = 0;
  for (;;) {
    size_t open = s.find("{{", pos);
    size_t close = s.find("}}", pos);
    if (open == std::string::npos) {
      if (close != std::string::npos) t.balanced = false;
      return t;
    }
    if (close != std::string::npos && close < open) {
      t.balanced = false;
      return t;
    }
    size_t end = s.find("}}", open + 2);
    if (end == std::string::npos) {
      t.balanced = false;
      return t;
    }
    // "{{{{" or a "{{" inside a tag: not something a translation may do.
    if (s.find("{{", open + 2) < end) {
      t.balanced = false;
      return t;
    }
    const std::string tag = s.substr(open, end + 2 - open);
    t.all.push_back(tag);
    if (tag.size() > 2 && (tag[2] == '#' || tag[2] == '^' || tag[2] == '/'))
      t.sections.push_back(tag);
    pos = end + 2;
  }
}

}  // namespace

std::string normalize_space(const std::string& text) {
  std::string out;
  bool pending = false;
  for (char c : text) {
    if (space(c)) {
      pending = !out.empty();
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    out += c;
  }
  return out;
}

std::vector<Marker> find_markers(const std::string& text, const std::string& name) {
  std::vector<Marker> out;
  size_t pos = 0;
  auto line_of = [&](size_t at) {
    return 1 +
           static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  };
  for (;;) {
    size_t open = text.find("[[", pos);
    size_t stray = text.find("]]", pos);
    if (open == std::string::npos) {
      if (stray != std::string::npos)
        throw TemplateTextError(name + ":" + std::to_string(line_of(stray)) +
                                ": \"]]\" without \"[[\"");
      return out;
    }
    if (stray < open)
      throw TemplateTextError(name + ":" + std::to_string(line_of(stray)) +
                              ": \"]]\" without \"[[\"");
    size_t close = text.find("]]", open + 2);
    if (close == std::string::npos)
      throw TemplateTextError(name + ":" + std::to_string(line_of(open)) +
                              ": \"[[\" without \"]]\"");
    size_t nested = text.find("[[", open + 2);
    if (nested < close)
      throw TemplateTextError(name + ":" + std::to_string(line_of(nested)) +
                              ": \"[[\" inside a translatable text (markers cannot nest)");
    Marker m;
    m.text = text.substr(open + 2, close - open - 2);
    m.msgid = normalize_space(m.text);
    m.line = line_of(open);
    m.begin = open;
    m.end = close + 2;
    if (m.msgid.empty())
      throw TemplateTextError(name + ":" + std::to_string(m.line) + ": empty \"[[]]\"");
    out.push_back(std::move(m));
    pos = close + 2;
  }
}

std::string check_translation(const std::string& msgid, const std::string& translation) {
  const Tags want = tags_of(msgid), got = tags_of(translation);
  if (!got.balanced) return "its {{ and }} do not pair up";
  for (const auto& tag : got.all)
    if (std::find(want.all.begin(), want.all.end(), tag) == want.all.end())
      return "it has " + tag + ", which the msgid has not";
  if (got.sections != want.sections)
    return "its section markers ({{#...}}, {{^...}}, {{/...}}) differ from the msgid's";
  if (translation.find("[[") != std::string::npos || translation.find("]]") != std::string::npos)
    return "it has [[ or ]]";
  return "";
}

std::string translate_template(const std::string& text, const std::string& name,
                               const Translator& tr, std::vector<std::string>* warnings) {
  const std::vector<Marker> markers = find_markers(text, name);
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (const auto& m : markers) {
    out.append(text, pos, m.begin - pos);
    std::string t = tr.tr(m.msgid);
    if (t != m.msgid) {
      const std::string why = check_translation(m.msgid, t);
      if (!why.empty()) {
        if (warnings)
          warnings->push_back(tr.lang() + ": " + name + ":" + std::to_string(m.line) +
                              ": the translation of msgid \"" + m.msgid +
                              "\" is refused (English shown): " + why);
        t = m.text;
      }
    } else {
      t = m.text;  // as written (keeps the English byte for byte)
    }
    out += t;
    pos = m.end;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace urna::i18n
