// Which public ballot key an election's ballots are sealed to (DESIGN.md
// §4, issue 8): its own `ballot_key:` from election.yaml (children inherit
// the parent's), else the instance default `ballot_key` of urna.conf. The
// web worker only ever holds public keys.
#ifndef URNA_WEB_BALLOT_KEY_H_
#define URNA_WEB_BALLOT_KEY_H_

#include <optional>
#include <string>

#include "core/config.h"
#include "core/model.h"

namespace urna::web {

struct BallotKey {
  std::string raw;             // 32 bytes, for crypto::seal_ballot
  std::string fingerprint;     // crypto::ballot_key_fingerprint
  bool from_election = false;  // election.yaml (else urna.conf)
};

// nullopt when neither sets a usable key.
std::optional<BallotKey> ballot_key_of(const core::Config& cfg, const core::Election& e);

// The key, or throws Unavailable (503) with a page that says why the booth
// is closed and who can fix it.
BallotKey require_ballot_key(const core::Config& cfg, const core::Election& e);

// Signs a passcode urna generated for this voter and election, so that the
// submission can show it is that one (then HKDF, not scrypt, derives its
// key). `normalized` is crypto::normalize_passcode's form.
std::string generated_passcode_signature(const core::Config& cfg, const std::string& login,
                                         const std::string& election_id,
                                         const std::string& normalized);
bool is_generated_passcode(const core::Config& cfg, const std::string& login,
                           const std::string& election_id, const std::string& normalized,
                           const std::string& signature);

}  // namespace urna::web

#endif  // URNA_WEB_BALLOT_KEY_H_
