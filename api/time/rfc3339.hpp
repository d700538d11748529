// Timestamps as text: RFC 3339, as metav1.Time and metav1.MicroTime print and parse them.
#pragma once

#include <string>
#include <string_view>

#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor {

/// Formats as metav1.Time prints: RFC 3339 in UTC, truncated to seconds
/// ("2026-11-27T10:24:33Z").
std::string format_rfc3339(TimePoint t);

/// Formats as metav1.MicroTime prints: RFC 3339 in UTC with exactly six fractional digits,
/// truncated ("2026-11-27T10:24:33.123456Z").
std::string format_rfc3339_micro(TimePoint t);

/// Parses an RFC 3339 timestamp as Go's time.Parse(time.RFC3339, ...) accepts it: both Time and
/// MicroTime forms, an optional fraction of 1-9 digits, and "Z" or a "+hh:mm"/"-hh:mm" offset
/// (the result is normalised to UTC). Errors are BadRequest.
api::Result<TimePoint> parse_rfc3339(std::string_view text);

}  // namespace kactor
