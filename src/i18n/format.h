// Numbers, percentages, dates and times written the way the request's
// language writes them, with the conventions taken from the catalog itself
// (so adding a language is adding a .po file, never code):
//   msgctxt "number"  msgid "."   decimal separator        es: ","
//   msgctxt "number"  msgid ","   thousands separator      es: "."
//   msgctxt "number"  msgid "1"   minimum grouping digits  es: "2" (1234, 12.345)
//   msgctxt "percent" msgid "{number}%"                    es: "{number} %"
//   msgctxt "month"   msgid "January" ... "December"       es: "enero" ...
//   msgctxt "weekday" msgid "Monday" ... "Sunday"          es: "lunes" ...
//   msgctxt "date format" msgid "{month} {day}, {year}"    es: "{day} de {month} de {year}"
//   msgctxt "long date format" msgid "{weekday}, {month} {day}, {year}"
//   msgctxt "time format" msgid "{hour12}:{minute} {ampm}" es: "{hour}:{minute}"
//   msgctxt "time format" msgid "AM" / "PM"
//   msgctxt "date and time format" msgid "{date} at {time}" es: "{date}, {time}"
// Time patterns may use {hour} (00-23), {hour12} (1-12), {minute} (00-59),
// {second} (00-59) and {ampm}. Every time is UTC (the pages say so once).
// Relative phrases ("closes in 3 weeks") use trn() with a {n} placeholder:
//   format(tr.trn("closes in {n} week", "closes in {n} weeks", w),
//          {{"n", format_integer(w, tr)}})
// Thread safety: pure functions of their arguments (no locale is read:
// the C library's number formatting is never used).
#ifndef URNA_I18N_FORMAT_H_
#define URNA_I18N_FORMAT_H_

#include <cstdint>
#include <string>

#include "i18n/catalog.h"

namespace urna::i18n {

// Seconds since 1970-01-01 UTC (core::UnixTime).
using Time = std::int64_t;

// 1234567.891 with 2 decimals → "1,234,567.89" (en), "1.234.567,89" (es).
// Rounds half away from zero; NaN → "NaN", infinities → "∞" / "-∞".
std::string format_number(double value, int decimals, const Translator& tr);
std::string format_integer(long long value, const Translator& tr);
// A fraction as a percentage: 0.473 with 1 decimal → "47.3%" (en),
// "47,3 %" (es).
std::string format_percent(double fraction, int decimals, const Translator& tr);

// 1..12 → "January" / "enero"; 1 (Monday) .. 7 (Sunday) → "Monday" / "lunes".
std::string month_name(int month, const Translator& tr);
std::string weekday_name(int weekday, const Translator& tr);

// "November 25, 2026" / "25 de noviembre de 2026".
std::string format_date(Time t, const Translator& tr);
// "Wednesday, November 25, 2026" / "miércoles, 25 de noviembre de 2026".
std::string format_date_long(Time t, const Translator& tr);
// "2:03 PM" / "14:03".
std::string format_time(Time t, const Translator& tr);
// "November 25, 2026 at 2:03 PM" / "25 de noviembre de 2026, 14:03".
std::string format_datetime(Time t, const Translator& tr);

}  // namespace urna::i18n

#endif  // URNA_I18N_FORMAT_H_
