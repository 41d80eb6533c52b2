#include "core/time_util.h"

#include <cstdio>
#include <ctime>

namespace urna::core {

namespace {

bool digits(const std::string& s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian), Howard Hinnant's
// algorithm, so no timegm()/TZ dependence.
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<UnixTime> parse_utc(const std::string& in) {
  std::string s = in;
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' ||
      !digits(s, 5, 2, &mo) || s[7] != '-' || !digits(s, 8, 2, &d))
    return std::nullopt;
  size_t pos = 10;
  int offset = 0;
  if (pos < s.size()) {
    if (s[pos] != ' ' && s[pos] != 'T') return std::nullopt;
    if (!digits(s, pos + 1, 2, &h) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, &mi))
      return std::nullopt;
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!digits(s, pos + 1, 2, &se)) return std::nullopt;
      pos += 3;
      // Fractional seconds are accepted and dropped.
      if (pos < s.size() && s[pos] == '.') {
        ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      }
    }
    if (pos < s.size() && s[pos] == ' ') ++pos;
    if (pos < s.size()) {
      if (s.substr(pos) == "Z" || s.substr(pos) == "UTC") {
        pos = s.size();
      } else if (s[pos] == '+' || s[pos] == '-') {
        int oh, om;
        int sign = s[pos] == '-' ? -1 : 1;
        if (!digits(s, pos + 1, 2, &oh)) return std::nullopt;
        size_t p = pos + 3;
        if (p < s.size() && s[p] == ':') ++p;
        if (!digits(s, p, 2, &om) || p + 2 != s.size() || oh > 23 || om > 59)
          return std::nullopt;
        offset = sign * (oh * 3600 + om * 60);
        pos = s.size();
      } else {
        return std::nullopt;
      }
    }
  }
  if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
      d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 59)
    return std::nullopt;
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
}

std::string format_utc(UnixTime t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string format_iso(UnixTime t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string format_date(UnixTime t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, tm.tm_sec ? "%Y-%m-%d %H:%M:%S UTC" : "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

DurationParts split_duration(std::int64_t s) {
  constexpr std::int64_t kMinute = 60, kHour = 3600, kDay = 86400, kWeek = 7 * kDay;
  // The Gregorian calendar's averages, in seconds (exact integers).
  constexpr std::int64_t kYear = 31556952, kMonth = kYear / 12;
  using U = TimeUnit;
  // The larger unit, then the smaller one when there is any of it.
  auto two = [](U big, std::int64_t n, U small, std::int64_t m) {
    DurationParts p;
    p.unit = big;
    p.n = n;
    if (m) {
      p.smaller = small;
      p.m = m;
    }
    return p;
  };
  if (s < kMinute) return DurationParts{};
  if (s < kHour) return two(U::kMinute, s / kMinute, U::kMinute, 0);
  if (s < kDay) return two(U::kHour, s / kHour, U::kMinute, s % kHour / kMinute);
  if (s < 14 * kDay) return two(U::kDay, s / kDay, U::kHour, s % kDay / kHour);
  if (s < 61 * kDay) return two(U::kWeek, s / kWeek, U::kWeek, 0);
  if (s < kYear) return two(U::kMonth, s / kMonth, U::kMonth, 0);
  if (s < 2 * kYear) return two(U::kYear, 1, U::kMonth, (s - kYear) / kMonth);
  return two(U::kYear, s / kYear, U::kYear, 0);
}

std::string format_duration(std::int64_t s) {
  auto part = [](TimeUnit u, std::int64_t n) {
    static const char* const kOne[] = {"", "minute", "hour", "day", "week", "month", "year"};
    static const char* const kMany[] = {"", "minutes", "hours", "days", "weeks", "months", "years"};
    const int i = static_cast<int>(u);
    return std::to_string(n) + " " + (n == 1 ? kOne[i] : kMany[i]);
  };
  const DurationParts p = split_duration(s);
  if (p.unit == TimeUnit::kLessThanAMinute) return "less than a minute";
  return p.m ? part(p.unit, p.n) + " " + part(p.smaller, p.m) : part(p.unit, p.n);
}

}  // namespace urna::core
