// RFC 3339 formatting and parsing (no <format>/chrono::parse in g++ 12, so done by hand).
#include "api/time/rfc3339.hpp"

#include <cstdint>
#include <cstdio>
#include <limits>

#include "api/codec/json_guard.hpp"

namespace kactor {

namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::seconds;

/// "2026-11-27T10:24:33" for the second containing `t` (floored, so pre-epoch times work too).
/// The calendar arithmetic is done in seconds: the day containing the earliest TimePoint
/// starts before it, so it has no nanosecond count.
std::string format_seconds(TimePoint t) {
  const std::chrono::sys_seconds second = floor<seconds>(t);
  const auto day = floor<days>(second);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{second - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

/// A cursor over the text being parsed; every reader returns false on a mismatch.
struct Cursor {
  std::string_view s;
  size_t pos = 0;

  bool digits(size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (size_t i = 0; i < n; ++i) {
      const char c = s[pos + i];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    pos += n;
    return true;
  }
  bool literal(char c) {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
  }
  bool at_end() const { return pos == s.size(); }
  char peek() const { return pos < s.size() ? s[pos] : '\0'; }
};

api::Status parse_error(std::string_view text, std::string_view why) {
  return api::bad_request("parsing time \"" + api::json_guard::text_excerpt(text) +
                          "\" as \"2006-01-02T15:04:05Z07:00\": " + std::string(why));
}

api::Status parse_error_outside_range(std::string_view text) {
  return api::bad_request("parsing time \"" + api::json_guard::text_excerpt(text) +
                          "\": " + std::string(kRfc3339OutsideRange));
}

/// Go's zero time.Time, 0001-01-01T00:00:00Z, in nanoseconds since 1970.
constexpr __int128 kGoZeroTimeNanos = static_cast<__int128>(-62'135'596'800) * 1'000'000'000;

}  // namespace

std::string format_rfc3339(TimePoint t) {
  return format_seconds(t) + "Z";
}

std::string format_rfc3339_micro(TimePoint t) {
  // The fraction from the nanosecond count alone (floored), never converting the second back.
  const int64_t ns = t.time_since_epoch().count();
  const int64_t frac = ((ns % 1'000'000'000) + 1'000'000'000) % 1'000'000'000 / 1000;
  char buf[32];
  std::snprintf(buf, sizeof buf, ".%06lldZ", static_cast<long long>(frac));
  return format_seconds(t) + buf;
}

std::string format_rfc3339_nano(TimePoint t) {
  const int64_t ns = t.time_since_epoch().count();
  const int64_t frac = ((ns % 1'000'000'000) + 1'000'000'000) % 1'000'000'000;
  char buf[32];
  std::snprintf(buf, sizeof buf, ".%09lldZ", static_cast<long long>(frac));
  return format_seconds(t) + buf;
}

api::Result<TimePoint> parse_rfc3339(std::string_view text) {
  Cursor c{text};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!(c.digits(4, year) && c.literal('-') && c.digits(2, month) && c.literal('-') &&
        c.digits(2, day) && c.literal('T') && c.digits(2, hour) && c.literal(':') &&
        c.digits(2, minute) && c.literal(':') && c.digits(2, second))) {
    return api::fail(parse_error(text, "not an RFC 3339 timestamp"));
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return api::fail(parse_error(text, "day or month out of range"));
  if (hour > 23) return api::fail(parse_error(text, "hour out of range"));
  if (minute > 59) return api::fail(parse_error(text, "minute out of range"));
  if (second > 59) return api::fail(parse_error(text, "second out of range"));

  int64_t nanos = 0;
  if (c.literal('.')) {
    int n = 0;
    while (c.peek() >= '0' && c.peek() <= '9') {
      if (++n > 9) return api::fail(parse_error(text, "fraction longer than nanoseconds"));
      nanos = nanos * 10 + (c.peek() - '0');
      ++c.pos;
    }
    if (n == 0) return api::fail(parse_error(text, "empty fraction"));
    for (; n < 9; ++n) nanos *= 10;
  }

  std::chrono::minutes offset{0};
  if (c.literal('Z')) {
  } else if (c.peek() == '+' || c.peek() == '-') {
    const bool negative = c.peek() == '-';
    ++c.pos;
    int oh = 0, om = 0;
    if (!(c.digits(2, oh) && c.literal(':') && c.digits(2, om)) || oh > 23 || om > 59) {
      return api::fail(parse_error(text, "bad time zone offset"));
    }
    offset = std::chrono::minutes{(negative ? -1 : 1) * (oh * 60 + om)};
  } else {
    return api::fail(parse_error(text, "missing time zone"));
  }
  if (!c.at_end()) return api::fail(parse_error(text, "extra text after the time zone"));

  // Seconds since the epoch in UTC ("10:00+02:00" is 08:00 UTC); no overflow for years
  // 0000-9999. Then the nanosecond count, which must fit the int64 of a TimePoint.
  const std::chrono::sys_seconds utc = std::chrono::sys_days{ymd} + std::chrono::hours{hour} +
                                       std::chrono::minutes{minute} + seconds{second} - offset;
  const __int128 total =
      static_cast<__int128>(utc.time_since_epoch().count()) * 1'000'000'000 + nanos;
  if (total == kGoZeroTimeNanos) return TimePoint{};
  if (total < std::numeric_limits<int64_t>::min() || total > std::numeric_limits<int64_t>::max()) {
    return api::fail(parse_error_outside_range(text));
  }
  return TimePoint{Duration{static_cast<int64_t>(total)}};
}

}  // namespace kactor
