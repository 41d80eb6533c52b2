#include "core/ballot_plaintext.h"

#include <set>
#include <stdexcept>

namespace urna::core {
namespace {

constexpr char kHeader[] = "urna-ballot-v1\n";

size_t digits(size_t n) {
  size_t d = 1;
  while (n >= 10) n /= 10, ++d;
  return d;
}

}  // namespace

std::string encode_ballot(const BallotParts& parts) {
  std::string out = kHeader;
  for (const auto& [q, ranking] : parts) {
    if (q.empty() || q.find('\n') != std::string::npos || ranking.find('\n') != std::string::npos)
      throw std::invalid_argument("encode_ballot: a newline or an empty question id");
    out += q;
    out += '\n';
    out += ranking;
    out += '\n';
  }
  return out;
}

std::optional<BallotParts> decode_ballot(const std::string& text, std::string* why) {
  auto fail = [why](const char* reason) -> std::optional<BallotParts> {
    if (why) *why = reason;
    return std::nullopt;
  };
  const std::string header = kHeader;
  if (text.compare(0, header.size(), header) != 0) return fail("not an urna ballot (header)");
  BallotParts parts;
  std::set<std::string> seen;
  size_t at = header.size();
  while (at < text.size()) {
    const size_t q_end = text.find('\n', at);
    if (q_end == std::string::npos) return fail("truncated ballot");
    const size_t r_end = text.find('\n', q_end + 1);
    if (r_end == std::string::npos) return fail("truncated ballot");
    std::string q = text.substr(at, q_end - at);
    if (q.empty()) return fail("empty question id");
    if (!seen.insert(q).second) return fail("a question twice");
    parts.emplace_back(std::move(q), text.substr(q_end + 1, r_end - q_end - 1));
    at = r_end + 1;
  }
  return parts;
}

size_t padded_ballot_size(const Election& e) {
  size_t n = 4 + sizeof(kHeader) - 1;
  for (const Question& q : e.questions) {
    n += q.id.size() + 2;  // id, two newlines
    const size_t answers = q.answers.size();
    for (const Answer& a : q.answers) n += a.id.size() + 1 + digits(answers) + 1;  // "id=r&"
  }
  return (n + 63) / 64 * 64;
}

}  // namespace urna::core
