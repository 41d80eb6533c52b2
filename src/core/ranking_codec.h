// The stored form of one question's ranking (ballots.ranking): written by
// the booth (web/ballot_form), read back by "view my ballot" and by
// urna-tally (tally/ranking_codec). "answer_id=rank&answer_id=rank" —
// application/x-www-form-urlencoded style: ids percent-encoded (RFC 3986
// unreserved characters kept, upper-case hex written, either case read),
// sorted by id (bytes), unranked answers omitted, ranks positive decimals
// without leading zeros (equal ranks allowed). Selection methods store rank
// 1 for every selected answer. "" is a blank ballot. One implementation, so
// the writer and the readers cannot drift apart.
// Pure: no I/O. Thread-safe.
#ifndef URNA_CORE_RANKING_CODEC_H_
#define URNA_CORE_RANKING_CODEC_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace urna::core {

// (answer id, rank) pairs.
using Marks = std::vector<std::pair<std::string, int>>;

// Largest rank accepted (six digits).
constexpr int kMaxStoredRank = 999999;

// A positive decimal number without sign, spaces or leading zeros, at most
// `max` (so "01", "+1" and overflow are refused).
std::optional<int> parse_rank(const std::string& s, int max);

// Encodes `marks`, sorted by id; marks with rank < 1 are omitted.
// REQUIRES: no id twice.
std::string encode_ranking(Marks marks);

// The inverse; strict. nullopt for anything encode_ranking cannot produce
// (a bad escape, a character it escapes written raw, an empty id, a rank
// that is not a positive decimal number or above kMaxStoredRank, an id
// twice, ids out of order); `why` (optional) then gets a short reason, e.g.
// "malformed ranking: bad percent escape".
std::optional<Marks> decode_ranking(const std::string& text, std::string* why = nullptr);

}  // namespace urna::core

#endif  // URNA_CORE_RANKING_CODEC_H_
