#include "web/ballot_key.h"

#include "crypto/ballot_box.h"
#include "crypto/crypto.h"
#include "web/http_error.h"

namespace urna::web {

std::optional<BallotKey> ballot_key_of(const core::Config& cfg, const core::Election& e) {
  const bool own = !e.ballot_key.empty();
  auto raw = crypto::parse_ballot_key(own ? e.ballot_key : cfg.ballot_key);
  if (!raw) return std::nullopt;
  return BallotKey{*raw, crypto::ballot_key_fingerprint(*raw), own};
}

BallotKey require_ballot_key(const core::Config& cfg, const core::Election& e) {
  auto k = ballot_key_of(cfg, e);
  if (!k)
    throw Unavailable(
        N_("The booth of this election is closed: it has no ballot key to seal ballots with, so "
           "no ballot can be accepted. The election officers can publish one (ballot_key: in "
           "election.yaml, made with urna-tally --keygen), or the site's administrator can set a "
           "default in urna.conf."));
  return *k;
}

std::string generated_passcode_signature(const core::Config& cfg, const std::string& login,
                                         const std::string& election_id,
                                         const std::string& normalized) {
  return crypto::base64url_encode(crypto::hmac_sha256(
      cfg.session_key, "generated-passcode|" + login + "|" + election_id + "|" + normalized));
}

bool is_generated_passcode(const core::Config& cfg, const std::string& login,
                           const std::string& election_id, const std::string& normalized,
                           const std::string& signature) {
  if (signature.empty() || normalized.empty()) return false;
  return crypto::constant_time_equal(
      signature, generated_passcode_signature(cfg, login, election_id, normalized));
}

}  // namespace urna::web
