#include "crypto/ballot_open.h"

#include "crypto/ballot_box_internal.h"

namespace urna::crypto {

using namespace internal;

std::optional<std::string> open_ballot(const std::string& private_key, const std::string& sealed,
                                       const std::string& context) {
  Pkey mine = private_pkey(private_key);
  if (sealed.size() < kSealedBallotOverhead || static_cast<unsigned char>(sealed[0]) != kVersion)
    return std::nullopt;
  const std::string eph_public = sealed.substr(1, kBallotKeyBytes);
  Pkey eph = [&]() -> Pkey {
    try {
      return public_pkey(eph_public);
    } catch (const CryptoError&) {
      return nullptr;
    }
  }();
  if (!eph) return std::nullopt;
  std::string shared;
  try {
    shared = derive(mine.get(), eph.get());
  } catch (const CryptoError&) {
    return std::nullopt;  // a low-order point: not something we sealed
  }
  const std::string key = ballot_aes_key(shared, eph_public, raw_public(mine.get()), context);
  const std::string header = sealed.substr(0, 1 + kBallotKeyBytes);
  return open(key, sealed.substr(1 + kBallotKeyBytes), header + context);
}

}  // namespace urna::crypto
