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

// "2026-11-25 14:03:00 UTC" (always with seconds: logs, messages that
// quote a deadline to the second).
std::string format_utc(UnixTime t);
// For people: "2026-11-25 14:03 UTC", the seconds only when they are not
// zero ("2025-09-30 11:59:59 UTC"), so a deadline a second before midnight
// still reads as the second it is.
std::string format_date(UnixTime t);
// "2026-11-25T14:03:00Z"
std::string format_iso(UnixTime t);
// A span of time as a person says it, always rounded down (a deadline is
// never promised later than it is). For seconds >= 0 (negative: as 0):
//   < 1 minute          "less than a minute"
//   < 1 hour            "12 minutes"
//   < 1 day             "5 hours", "5 hours 3 minutes"
//   < 14 days           "3 days", "3 days 4 hours"
//   < 61 days           "2 weeks" ... "8 weeks"
//   < 1 year            "2 months" ... "11 months"   (a month: 30.436875 days)
//   < 2 years           "1 year", "1 year 5 months"  (a year: 365.2425 days)
//   otherwise           "9 years"
// (English, for the command-line tools and logs; the pages say it in the
// request's language from split_duration(): web/election_view.h.)
std::string format_duration(std::int64_t seconds);

// The parts of format_duration()'s phrasing, for a page to say them in its
// own language: `n` of the larger unit and `m` of the smaller one (`m` 0
// when the phrase has one unit). "3 days 4 hours" is {kDay, 3, kHour, 4};
// "less than a minute" is {kLessThanAMinute, 0, kLessThanAMinute, 0}.
enum class TimeUnit { kLessThanAMinute, kMinute, kHour, kDay, kWeek, kMonth, kYear };
struct DurationParts {
  TimeUnit unit = TimeUnit::kLessThanAMinute;
  std::int64_t n = 0;
  TimeUnit smaller = TimeUnit::kLessThanAMinute;
  std::int64_t m = 0;
};
DurationParts split_duration(std::int64_t seconds);

}  // namespace urna::core

#endif  // URNA_CORE_TIME_UTIL_H_
