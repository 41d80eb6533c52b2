#include "tally/ranking_codec.h"

#include "core/ranking_codec.h"

namespace urna::tally {

std::string encode_ranking(const RawBallot& b) { return core::encode_ranking(b.marks); }

std::optional<RawBallot> decode_ranking(const std::string& text, std::string* why) {
  auto marks = core::decode_ranking(text, why);
  if (!marks) return std::nullopt;
  RawBallot out;
  out.marks = std::move(*marks);
  return out;
}

}  // namespace urna::tally
