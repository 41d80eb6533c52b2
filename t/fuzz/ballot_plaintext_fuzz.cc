// libFuzzer harness: the whole-ballot plaintext (src/core/ballot_plaintext.h)
// and the fixed-length padding around it (src/crypto/ballot_box.h).
//
// Input: any bytes. Checks: decode_ballot is strict (what it accepts
// encodes back to exactly the input); unpad_ballot accepts only what
// pad_ballot produces at that size; decode_ranking accepts only
// escaped text and re-encodes what it accepts to the same marks.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/ballot_plaintext.h"
#include "core/ranking_codec.h"
#include "crypto/ballot_box.h"

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "ballot_plaintext_fuzz: property failed: %s\n", what);
    std::abort();
  }
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
  const std::string in(reinterpret_cast<const char*>(data), size);

  std::string why;
  if (auto parts = urna::core::decode_ballot(in, &why)) {
    require(urna::core::encode_ballot(*parts) == in, "decode_ballot accepted a non-canonical text");
    for (const auto& [q, ranking] : *parts) {
      require(!q.empty(), "an empty question id");
      check_stored_ranking(ranking);
    }
  } else {
    require(!why.empty(), "a refusal without a reason");
  }

  if (auto plain = urna::crypto::unpad_ballot(in)) {
    require(urna::crypto::pad_ballot(*plain, in.size()) == in, "unpad_ballot accepted bad padding");
    if (auto parts = urna::core::decode_ballot(*plain))
      require(urna::core::encode_ballot(*parts) == *plain, "padded ballot not canonical");
  }
  return 0;
}
