// The stored form of one question's ranking (ballots.ranking), read by
// urna-tally: "answer_id=rank&answer_id=rank", application/x-www-form-
// urlencoded style — ids percent-encoded (RFC 3986 unreserved characters
// kept, upper-case hex written, either case read), sorted by id (bytes),
// unranked answers omitted, ranks positive decimals without leading zeros
// (equal ranks allowed). Selection methods store rank 1 for every selected
// answer. "" is a blank ballot. The booth writes it with
// web::encode_marks (src/web/ballot_form.h); both sides must agree, and
// t/unit/ranking_codec_test.cc pins the literal strings.
// Pure: no I/O. Thread-safe.
#ifndef URNA_TALLY_RANKING_CODEC_H_
#define URNA_TALLY_RANKING_CODEC_H_

#include <optional>
#include <string>

#include "tally/ballot.h"

namespace urna::tally {

// Largest rank accepted (as the booth: six digits).
constexpr int kMaxStoredRank = 999999;

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
