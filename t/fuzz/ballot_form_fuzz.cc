// libFuzzer harness: the booth's form (src/web/ballot_form.h) and the
// stored ranking codec it writes (src/core/ranking_codec.h).
//
// Input: the first byte chooses the election's rules (bit 0: allow no
// opinion; bit 1: approval at least 2), the rest is the urlencoded POST
// body. The election has a ranked question (schulze), a plurality question
// and an approval question.
// Checks: a form that parse_ballot_form accepts has only known answers,
// ranks 1..N, selections within the limits, not blank; its stored parts
// decode to the same marks and form a ballot plaintext that decodes back.
// The raw text read as a stored ranking: only escaped text accepted, and
// re-encoded to the same marks.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "core/ballot_plaintext.h"
#include "core/model.h"
#include "core/ranking_codec.h"
#include "web/ballot_form.h"
#include "web/http_error.h"
#include "web/request.h"

namespace {

using urna::core::Method;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "ballot_form_fuzz: property failed: %s\n", what);
    std::abort();
  }
}

urna::core::Question question(const std::string& id, Method m, std::vector<std::string> answers) {
  urna::core::Question q;
  q.id = id;
  q.title = id;
  q.method = m;
  for (const auto& a : answers) q.answers.push_back({a, "Answer " + a});
  return q;
}

urna::core::Election election(unsigned char rules) {
  urna::core::Election e;
  e.id = "fuzz/2027";
  e.folder = "2027";
  e.allow_no_opinion = rules & 1;
  e.questions.push_back(question("main", Method::kSchulze, {"ann", "ben", "cid", "d.e_f-1"}));
  e.questions.push_back(question("yn", Method::kPlurality, {"yes", "no"}));
  auto approval = question("board", Method::kApproval, {"a1", "a2", "a3", "a4", "a5"});
  approval.min_selections = (rules & 2) ? 2 : 0;
  approval.max_selections = 3;
  e.questions.push_back(approval);
  return e;
}

// decode_ranking is strict (core/ranking_codec.h): outside percent-escapes
// only RFC 3986 unreserved characters, '=' and '&' (either case of hex is
// read), and what it accepts re-encodes to the same marks.
void check_stored_ranking(const std::string& text) {
  auto m = urna::core::decode_ranking(text);
  if (!m) return;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = text[i];
    if (c == '%') {
      i += 2;
      continue;
    }
    require(std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '=' || c == '&',
            "decode_ranking accepted a raw character that encode_ranking escapes");
  }
  auto again = urna::core::decode_ranking(urna::core::encode_ranking(*m));
  require(again && *again == *m, "decode_ranking(encode_ranking(m)) != m");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const urna::core::Election e = election(data[0]);

  // The stored form on its own.
  check_stored_ranking(body);

  urna::web::Params form;
  try {
    form = urna::web::parse_urlencoded(body, urna::web::Limits{});
  } catch (const urna::web::HttpError&) {
    return 0;
  }
  const urna::web::BallotForm f = urna::web::parse_ballot_form(form, e);
  require(f.questions.size() == e.questions.size(), "not one input per question");
  if (!f.ok()) return 0;
  require(!f.blank(), "a blank ballot accepted");
  for (size_t i = 0; i < e.questions.size(); ++i) {
    const auto& q = e.questions[i];
    const auto& marks = f.questions[i].marks;
    std::set<std::string> seen;
    const int n = static_cast<int>(q.answers.size());
    for (const auto& [id, rank] : marks) {
      const std::string& answer = id;
      require(std::any_of(q.answers.begin(), q.answers.end(),
                          [&](const urna::core::Answer& a) { return a.id == answer; }),
              "an unknown answer accepted");
      require(seen.insert(id).second, "an answer marked twice");
      require(rank >= 1 && rank <= n, "a rank out of 1..N accepted");
    }
    if (q.method == Method::kPlurality) require(marks.size() <= 1, "two picks for plurality");
    if (q.method == Method::kApproval && !marks.empty()) {
      require(static_cast<int>(marks.size()) <= q.max_selections, "above max_selections");
      require(static_cast<int>(marks.size()) >= q.min_selections, "below min_selections");
    }
    if (!e.allow_no_opinion && urna::core::method_is_ranked(q.method) && !marks.empty())
      require(static_cast<int>(marks.size()) == n, "a partial ranking without no-opinion");
  }
  // What the store keeps reads back the same.
  const auto parts = f.parts();
  const auto decoded = urna::web::decode_parts(parts);
  require(decoded.size() == parts.size(), "a stored part does not decode");
  for (size_t i = 0; i < decoded.size(); ++i) {
    auto want = f.questions[i].marks;
    std::sort(want.begin(), want.end());
    require(decoded[i].marks == want, "stored marks differ from the form's");
  }
  const std::string plain = urna::core::encode_ballot(parts);
  auto back = urna::core::decode_ballot(plain);
  require(back && *back == parts, "the ballot plaintext does not decode to its parts");
  return 0;
}
