#include "core/ranking_codec.h"

#include <algorithm>

namespace urna::core {

namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string pct_encode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> pct_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::optional<Marks> fail(std::string* why, const char* reason) {
  if (why) *why = std::string("malformed ranking: ") + reason;
  return std::nullopt;
}

}  // namespace

std::optional<int> parse_rank(const std::string& s, int max) {
  if (s.empty() || s.size() > 6 || s[0] == '0') return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < 1 || v > max) return std::nullopt;
  return v;
}

std::string encode_ranking(Marks marks) {
  std::sort(marks.begin(), marks.end());
  std::string out;
  for (const auto& [id, rank] : marks) {
    if (rank < 1) continue;
    if (!out.empty()) out += '&';
    out += pct_encode(id) + "=" + std::to_string(rank);
  }
  return out;
}

std::optional<Marks> decode_ranking(const std::string& text, std::string* why) {
  Marks out;
  if (text.empty()) return out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t amp = text.find('&', pos);
    if (amp == std::string::npos) amp = text.size();
    const std::string item = text.substr(pos, amp - pos);
    const size_t eq = item.find('=');
    if (item.empty()) return fail(why, "empty item");
    if (eq == std::string::npos) return fail(why, "an answer without a rank");
    if (eq == 0) return fail(why, "a rank without an answer");
    // Only what encode_ranking writes: unreserved characters and escapes
    // (t/fuzz/ballot_plaintext found "y\x95s=1" accepted as it was).
    if (std::any_of(item.begin(), item.begin() + eq,
                    [](char c) { return c != '%' && !unreserved(static_cast<unsigned char>(c)); }))
      return fail(why, "a character that must be percent-encoded");
    auto id = pct_decode(item.substr(0, eq));
    if (!id) return fail(why, "bad percent escape");
    if (id->empty()) return fail(why, "empty answer id");
    auto rank = parse_rank(item.substr(eq + 1), kMaxStoredRank);
    if (!rank) return fail(why, "rank is not a positive whole number");
    if (!out.empty()) {
      if (out.back().first == *id) return fail(why, "an answer ranked twice");
      if (!(out.back().first < *id)) return fail(why, "answers out of order");
    }
    out.emplace_back(std::move(*id), *rank);
    pos = amp + 1;
  }
  return out;
}

}  // namespace urna::core
