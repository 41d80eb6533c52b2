// libFuzzer harness: opening sealed ballots (src/crypto/ballot_open.h) with
// a fixed election key, and decoding what opens.
//
// Input: the first byte chooses the mode, the rest is
//   mode 0..127:   a sealed ballot from the database, opened as urna-tally
//                  does (open_ballot, unpad_ballot, decode_ballot);
//   mode 128..255: a plaintext, sealed to the fixed key and opened again:
//                  it must open to itself, and not at all with another
//                  context or with one byte changed (the byte the input's
//                  length picks); what opens is unpadded and decoded as
//                  in mode 0 (random bytes cannot get past the tag).
// Checks: open_ballot never throws for a well-sized key and never opens
// anything but an intact ballot sealed to this key and context.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/ballot_plaintext.h"
#include "crypto/ballot_box.h"
#include "crypto/ballot_open.h"

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "ballot_open_fuzz: property failed: %s\n", what);
    std::abort();
  }
}

const std::string& private_key() {
  static const std::string k = [] {
    std::string s;
    for (int i = 0; i < 32; ++i) s.push_back(static_cast<char>(i * 7 + 3));
    return s;
  }();
  return k;
}

const std::string& public_key() {
  static const std::string k = urna::crypto::ballot_public_key(private_key());
  return k;
}

const char kContext[] = "fuzz/2027";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string in(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] < 128) {
    auto padded = urna::crypto::open_ballot(private_key(), in, kContext);
    if (!padded) return 0;
    // Only a ballot sealed to our key opens; it decodes or is refused.
    if (auto plain = urna::crypto::unpad_ballot(*padded)) (void)urna::core::decode_ballot(*plain);
    return 0;
  }
  const std::string sealed = urna::crypto::seal_ballot(public_key(), in, kContext);
  require(sealed.size() == in.size() + urna::crypto::kSealedBallotOverhead, "sealed size");
  auto opened = urna::crypto::open_ballot(private_key(), sealed, kContext);
  require(opened && *opened == in, "a sealed ballot does not open to its plaintext");
  // What urna-tally does next with it.
  if (auto plain = urna::crypto::unpad_ballot(*opened)) (void)urna::core::decode_ballot(*plain);
  require(!urna::crypto::open_ballot(private_key(), sealed, "fuzz/2028"),
          "opened with another context");
  std::string changed = sealed;
  changed[size % changed.size()] ^= static_cast<char>(1 + data[0] % 255);
  require(!urna::crypto::open_ballot(private_key(), changed, kContext), "a changed ballot opened");
  require(!urna::crypto::open_ballot(private_key(), sealed.substr(0, sealed.size() - 1), kContext),
          "a truncated ballot opened");
  return 0;
}
