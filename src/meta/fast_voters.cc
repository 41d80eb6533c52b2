#include "meta/fast_voters.h"

#include <atomic>

namespace urna::meta {
namespace {

std::atomic<bool> enabled{true};

bool login_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

// The plain scalars yaml-cpp reads as null (core schema).
bool is_null_word(const std::string& s) { return s == "null" || s == "Null" || s == "NULL"; }

// After position `i` of `line`: only spaces, then optionally a comment
// (which needs a space before its '#', or to start the line).
bool rest_is_comment(const std::string& line, size_t i) {
  size_t j = i;
  while (j < line.size() && line[j] == ' ') ++j;
  if (j == line.size()) return true;
  return line[j] == '#' && (j == 0 || line[j - 1] == ' ');
}

}  // namespace

void set_fast_voters(bool on) { enabled = on; }

std::optional<std::vector<PlainVoter>> read_plain_voters(const std::string& text) {
  if (!enabled) return std::nullopt;
  for (char c : text)
    if (c != '\n' && (c < 0x20 || c > 0x7e)) return std::nullopt;
  std::vector<PlainVoter> out;
  bool have_key = false;
  long indent = -1;  // of the items, once known
  size_t pos = 0;
  int line_no = 0;
  std::string line;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    line.assign(text, pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    size_t i = line.find_first_not_of(' ');
    if (i == std::string::npos || line[i] == '#') continue;  // blank or comment
    if (!have_key) {
      static const std::string kKey = "eligible_voters:";
      if (line.compare(0, kKey.size(), kKey) != 0 || !rest_is_comment(line, kKey.size()))
        return std::nullopt;
      have_key = true;
      continue;
    }
    // "<indent>- login", the same indentation for every item.
    if (line[i] != '-' || i + 1 >= line.size() || line[i + 1] != ' ') return std::nullopt;
    if (indent < 0) indent = static_cast<long>(i);
    if (static_cast<long>(i) != indent) return std::nullopt;
    size_t a = line.find_first_not_of(' ', i + 1);
    if (a == std::string::npos) return std::nullopt;  // "- " alone: a null item
    size_t b = a;
    while (b < line.size() && login_char(line[b])) ++b;
    if (b == a || b - a > 100 || !rest_is_comment(line, b)) return std::nullopt;
    const char first = line[a];
    if (first == '-' || first == '.') return std::nullopt;
    std::string login = line.substr(a, b - a);
    if (is_null_word(login)) return std::nullopt;
    out.push_back({std::move(login), line_no});
  }
  if (!have_key || out.empty()) return std::nullopt;
  return out;
}

}  // namespace urna::meta
