// UTC date parsing and formatting. Pure: `now` is always passed in.
#ifndef URNA_CORE_TIME_UTIL_H_
#define URNA_CORE_TIME_UTIL_H_

#include <optional>
#include <string>

#include "core/model.h"

namespace urna::core {

// Accepts "YYYY-MM-DD HH:MM:SS" (Elekto, no zone = UTC), "YYYY-MM-DDTHH:MM:SS"
// with an optional "Z" or "+00:00"/"-05:30" offset, and "YYYY-MM-DD"
// (midnight UTC). Rejects impossible dates (month 13, Feb 30, hour 24).
std::optional<UnixTime> parse_utc(const std::string& text);

// "2026-11-25 14:03:00 UTC"
std::string format_utc(UnixTime t);
// "2026-11-25T14:03:00Z"
std::string format_iso(UnixTime t);
// "3 days 4 hours", "12 minutes", "less than a minute" (for seconds >= 0).
std::string format_duration(std::int64_t seconds);

}  // namespace urna::core

#endif  // URNA_CORE_TIME_UTIL_H_
