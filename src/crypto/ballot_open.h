// Opening sealed ballots with an election's private ballot key. Only the
// counting program (urna-tally) links this (libcrypto_open.a); the web
// binary cannot open a ballot. Thread safety and errors as ballot_box.h.
#ifndef URNA_CRYPTO_BALLOT_OPEN_H_
#define URNA_CRYPTO_BALLOT_OPEN_H_

#include <optional>
#include <string>

#include "crypto/ballot_box.h"

namespace urna::crypto {

// The (padded) plaintext of a ballot that seal_ballot() sealed to the
// public key of `private_key` with this `context`; nullopt when `sealed` is
// malformed, was sealed to another key or context, or any byte was changed.
// Throws CryptoError only for a private key that is not 32 bytes.
std::optional<std::string> open_ballot(const std::string& private_key, const std::string& sealed,
                                       const std::string& context);

}  // namespace urna::crypto

#endif  // URNA_CRYPTO_BALLOT_OPEN_H_
