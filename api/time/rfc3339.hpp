// Timestamps as text: RFC 3339, as metav1.Time and metav1.MicroTime print and parse them.
//
// The range: a TimePoint counts nanoseconds since 1970 in an int64, so it holds
// 1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z. Upstream accepts any year
// from 0001 to 9999. Rather than widen every TimePoint in kactor for dates no cluster object
// carries, parse_rfc3339 refuses times outside the range with a clear error (they used to wrap
// silently: 9999-12-31 became 1816-03-30), except Go's zero time 0001-01-01T00:00:00Z, which is
// what an unset metav1.Time is in Go and so reads as kactor's unset time (the epoch).
#pragma once

#include <string>
#include <string_view>

#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor {

/// How parse_rfc3339's error message ends for a well-formed time outside the range.
inline constexpr std::string_view kRfc3339OutsideRange =
    "outside the range kactor can represent, 1677-09-21T00:12:44Z to 2262-04-11T23:47:16Z";

/// Formats as metav1.Time prints: RFC 3339 in UTC, truncated to seconds
/// ("2026-11-27T10:24:33Z"). Any TimePoint formats.
std::string format_rfc3339(TimePoint t);

/// Formats as metav1.MicroTime prints: RFC 3339 in UTC with exactly six fractional digits,
/// truncated ("2026-11-27T10:24:33.123456Z"). Any TimePoint formats.
std::string format_rfc3339_micro(TimePoint t);

/// Formats with all nine fractional digits, as the kubelet prefixes log lines when asked for
/// timestamps ("2026-11-27T10:24:33.123456789Z"). Any TimePoint formats.
std::string format_rfc3339_nano(TimePoint t);

/// Parses an RFC 3339 timestamp as Go's time.Parse(time.RFC3339, ...) accepts it: both Time and
/// MicroTime forms, an optional fraction of 1-9 digits, and "Z" or a "+hh:mm"/"-hh:mm" offset
/// (the result is normalised to UTC). Errors are BadRequest; a time outside the range above is
/// refused with a message ending in kRfc3339OutsideRange.
api::Result<TimePoint> parse_rfc3339(std::string_view text);

}  // namespace kactor
