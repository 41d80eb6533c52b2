// The stored form of one question's ranking (ballots.ranking) as urna-tally
// reads it: core::encode_ranking / core::decode_ranking (the format is
// described in src/core/ranking_codec.h) over tally's RawBallot.
// t/unit/ranking_codec_test.cc pins the literal strings.
// Pure: no I/O. Thread-safe.
#ifndef URNA_TALLY_RANKING_CODEC_H_
#define URNA_TALLY_RANKING_CODEC_H_

#include <optional>
#include <string>

#include "core/ranking_codec.h"
#include "tally/ballot.h"

namespace urna::tally {

using core::kMaxStoredRank;

// Encodes b.marks (weight is not stored). Marks with rank < 1 are omitted;
// the marks are sorted by id. REQUIRES: no id twice.
std::string encode_ranking(const RawBallot& b);

// The inverse; strict. nullopt for anything encode_ranking cannot produce
// (a bad escape, an empty id, a rank that is not a positive decimal number
// or above kMaxStoredRank, an id twice, ids out of order); `why` (optional)
// then gets a short reason, e.g. "malformed ranking: bad percent escape".
// Such a ballot is counted as invalid, never dropped.
std::optional<RawBallot> decode_ranking(const std::string& text, std::string* why = nullptr);

}  // namespace urna::tally

#endif  // URNA_TALLY_RANKING_CODEC_H_
