// Time as seen by every component: an injectable clock (RFC 3339 text: api/time/rfc3339.hpp).
//
// Nothing in api/, store/ or actors/ reads the wall clock or sleeps: they take a `const Clock&`
// so a whole cluster can run under a VirtualClock (tests, simulation) or a RealClock (runtime).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace kactor {

/// Every delay and timeout in kactor.
using Duration = std::chrono::nanoseconds;

/// A wall-clock instant (UTC, nanoseconds since the Unix epoch). Wall-clock based because
/// creationTimestamp and friends are wall time.
using TimePoint = std::chrono::sys_time<std::chrono::nanoseconds>;

/// The source of time and timers. Implementations: VirtualClock (api/time/virtual_clock.hpp),
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

}  // namespace kactor
