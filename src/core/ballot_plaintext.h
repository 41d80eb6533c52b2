// The plaintext of one whole ballot (every question), as the web worker
// seals it to the election's ballot key and as the voter's sealed record
// keeps it (DESIGN.md §4, issue 8):
//
//   "urna-ballot-v1\n" then, per question in the election's order,
//   question id "\n" stored ranking (core/ranking_codec.h) "\n".
//
// Question ids are safe names (letters, digits, '.', '_', '-') and rankings
// never hold a newline, so the form is unambiguous. Before sealing it is
// padded (crypto::pad_ballot) to padded_ballot_size(election), the same for
// every ballot of the election, so a ciphertext's length says nothing.
// Pure: no I/O. Thread-safe.
#ifndef URNA_CORE_BALLOT_PLAINTEXT_H_
#define URNA_CORE_BALLOT_PLAINTEXT_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"

namespace urna::core {

// (question id, stored ranking) pairs.
using BallotParts = std::vector<std::pair<std::string, std::string>>;

// REQUIRES: ids non-empty without "\n"; rankings without "\n" (what the
// booth produces). Throws std::invalid_argument otherwise.
std::string encode_ballot(const BallotParts& parts);

// The inverse; strict: nullopt (and `why`, optional, a short reason) for a
// missing header, an odd number of lines, an empty or repeated question id,
// or text after the last newline.
std::optional<BallotParts> decode_ballot(const std::string& text, std::string* why = nullptr);

// The padded length of `e`'s ballots: the 4-byte length prefix plus the
// longest plaintext any valid ballot of `e` can have (every answer of every
// question ranked, ranks up to the number of answers), rounded up to 64.
size_t padded_ballot_size(const Election& e);

}  // namespace urna::core

#endif  // URNA_CORE_BALLOT_PLAINTEXT_H_
