// Time as seen by every component: an injectable clock plus RFC 3339 helpers.
//
// Nothing in api/, store/ or actors/ reads the wall clock or sleeps: they take a `const Clock&`
// so a whole cluster can run under a VirtualClock (tests, simulation) or a RealClock (runtime).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "api/status.hpp"

namespace kactor {

/// Every delay and timeout in kactor.
using Duration = std::chrono::nanoseconds;

/// A wall-clock instant (UTC, nanoseconds since the Unix epoch). Wall-clock based because
/// creationTimestamp and friends are wall time.
using TimePoint = std::chrono::sys_time<std::chrono::nanoseconds>;

/// The source of time and timers. Implementations: VirtualClock (api/virtual_clock.hpp),
/// runtime::RealClock (runtime/real_clock.hpp). All methods are thread-safe.
class Clock {
 public:
  virtual ~Clock();

  /// The current time.
  virtual TimePoint now() const = 0;

  /// Identifies a scheduled callback; never 0, so 0 can mean "no timer".
  using TimerId = uint64_t;

  /// Runs `callback` once, `delay` from now (negative delays count as zero). The callback must
  /// be quick (typically it sends an actor message) and may run on another thread.
  virtual TimerId schedule_after(Duration delay, std::function<void()> callback) = 0;

  /// Drops a scheduled callback. True if it was still pending (and now never runs); false if it
  /// already ran, is running, was cancelled before, or never existed.
  virtual bool cancel(TimerId id) = 0;
};

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
