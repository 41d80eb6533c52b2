#include "i18n/format.h"

#include <cmath>
#include <cstdio>

namespace urna::i18n {

namespace {

struct Civil {
  long long year;
  int month, day, hour, minute, second, weekday;  // weekday 1 = Monday
};

// Howard Hinnant's days-from-civil inverse (proleptic Gregorian, UTC).
Civil civil(Time t) {
  long long days = t / 86400;
  long long secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  Civil c{};
  c.hour = static_cast<int>(secs / 3600);
  c.minute = static_cast<int>(secs / 60 % 60);
  c.second = static_cast<int>(secs % 60);
  // 1970-01-01 was a Thursday (4).
  c.weekday = static_cast<int>(((days % 7) + 7 + 3) % 7) + 1;
  long long z = days + 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
  return c;
}

std::string two(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

// Digits of a non-negative integer with the language's grouping.
std::string group(const std::string& digits, const Translator& tr) {
  // TRANSLATORS: thousands separator ("1,000,000"). It cannot be empty:
  // for no separator use a no-break space or look at the next entry.
  const std::string sep = tr.trc("number", ",");
  // TRANSLATORS: minimum grouping digits: "1" groups 1,000; "2" writes
  // 1000 but 10,000 (as Spanish does).
  const std::string min_s = tr.trc("number", "1");
  const size_t min_digits =
      min_s.size() == 1 && min_s[0] >= '1' && min_s[0] <= '9' ? min_s[0] - '0' : 1;
  if (digits.size() < 4 + (min_digits - 1)) return digits;
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string format_number(double value, int decimals, const Translator& tr) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-∞" : "∞";
  if (decimals < 0) decimals = 0;
  if (decimals > 9) decimals = 9;
  const bool negative = std::signbit(value) && value != 0;
  double scaled = std::fabs(value) * std::pow(10.0, decimals);
  std::string digits;
  if (scaled < 9e18) {
    // Integer arithmetic: no locale, exact grouping.
    unsigned long long u = static_cast<unsigned long long>(std::floor(scaled + 0.5));
    digits = std::to_string(u);
  } else {
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.0f", std::floor(scaled + 0.5));
    digits = buf;
  }
  if (digits.size() <= static_cast<size_t>(decimals))
    digits.insert(0, static_cast<size_t>(decimals) + 1 - digits.size(), '0');
  const std::string int_part = digits.substr(0, digits.size() - static_cast<size_t>(decimals));
  const std::string frac = digits.substr(digits.size() - static_cast<size_t>(decimals));
  std::string out = group(int_part, tr);
  // TRANSLATORS: decimal separator ("3.5").
  if (decimals > 0) out += tr.trc("number", ".") + frac;
  const bool all_zero = digits.find_first_not_of('0') == std::string::npos;
  return negative && !all_zero ? "-" + out : out;
}

std::string format_integer(long long value, const Translator& tr) {
  std::string digits = std::to_string(value);
  const bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.erase(0, 1);
  return (negative ? "-" : "") + group(digits, tr);
}

std::string format_percent(double fraction, int decimals, const Translator& tr) {
  // TRANSLATORS: a percentage; {number} is already formatted ("47.3").
  return format(tr.trc("percent", "{number}%"),
                {{"number", format_number(fraction * 100.0, decimals, tr)}});
}

std::string month_name(int month, const Translator& tr) {
  static const char* const kMonths[] = {
      NC_("month", "January"), NC_("month", "February"), NC_("month", "March"),
      NC_("month", "April"),   NC_("month", "May"),      NC_("month", "June"),
      NC_("month", "July"),    NC_("month", "August"),   NC_("month", "September"),
      NC_("month", "October"), NC_("month", "November"), NC_("month", "December")};
  if (month < 1 || month > 12) return std::to_string(month);
  return tr.trc("month", kMonths[month - 1]);
}

std::string weekday_name(int weekday, const Translator& tr) {
  static const char* const kDays[] = {NC_("weekday", "Monday"),    NC_("weekday", "Tuesday"),
                                      NC_("weekday", "Wednesday"), NC_("weekday", "Thursday"),
                                      NC_("weekday", "Friday"),    NC_("weekday", "Saturday"),
                                      NC_("weekday", "Sunday")};
  if (weekday < 1 || weekday > 7) return std::to_string(weekday);
  return tr.trc("weekday", kDays[weekday - 1]);
}

namespace {

Args date_args(const Civil& c, const Translator& tr) {
  return {{"year", std::to_string(c.year)},
          {"month", month_name(c.month, tr)},
          {"month_number", std::to_string(c.month)},
          {"day", std::to_string(c.day)},
          {"weekday", weekday_name(c.weekday, tr)}};
}

}  // namespace

std::string format_date(Time t, const Translator& tr) {
  // TRANSLATORS: a date. {month} is the month's name, {month_number} 1-12,
  // {day} 1-31, {year} four digits, {weekday} the day's name.
  return format(tr.trc("date format", "{month} {day}, {year}"), date_args(civil(t), tr));
}

std::string format_date_long(Time t, const Translator& tr) {
  // TRANSLATORS: a date with its weekday (placeholders as "date format").
  return format(tr.trc("long date format", "{weekday}, {month} {day}, {year}"),
                date_args(civil(t), tr));
}

std::string format_time(Time t, const Translator& tr) {
  const Civil c = civil(t);
  const int h12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
  // TRANSLATORS: a time of day (UTC). {hour} is 00-23, {hour12} 1-12,
  // {minute} and {second} 00-59, {ampm} the AM/PM entries below.
  return format(
      tr.trc("time format", "{hour12}:{minute} {ampm}"),
      {{"hour", two(c.hour)},
       {"hour12", std::to_string(h12)},
       {"minute", two(c.minute)},
       {"second", two(c.second)},
       {"ampm", c.hour < 12 ? tr.trc("time format", "AM") : tr.trc("time format", "PM")}});
}

std::string format_datetime(Time t, const Translator& tr) {
  // TRANSLATORS: a date and a time, each formatted by the entries above.
  return format(tr.trc("date and time format", "{date} at {time}"),
                {{"date", format_date(t, tr)}, {"time", format_time(t, tr)}});
}

}  // namespace urna::i18n
