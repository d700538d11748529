// A Clock whose time only moves when told to: deterministic tests and simulations.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>

#include "api/time/clock.hpp"
#include "api/time/timer_queue.hpp"

namespace kactor {

/// Virtual time. Timers run only inside advance()/advance_to_next(), on the calling thread, in
/// due-time order (ties in scheduling order), with now() equal to each timer's due time while
/// it runs. Thread-safe: any thread may call now()/schedule_after()/cancel(); callbacks never
/// run while the internal mutex is held, so they may schedule and cancel freely. Drive time
/// (advance*) from one thread at a time.
class VirtualClock final : public Clock {
 public:
  /// Starts at 2026-01-01T00:00:00Z, an arbitrary fixed instant so test output is stable.
  VirtualClock();
  explicit VirtualClock(TimePoint start);

  TimePoint now() const override;
  TimerId schedule_after(Duration delay, std::function<void()> callback) override;
  bool cancel(TimerId id) override;

  /// Moves time forward by `d` (negative counts as zero), running every timer that falls due
  /// within the window, including timers scheduled by those callbacks; ends at start + d.
  /// Returns the number of callbacks run.
  size_t advance(Duration d);

  /// Jumps to the earliest pending timer's due time and runs every timer due at that instant.
  /// Returns the number of callbacks run (0, and time unchanged, if nothing is pending).
  size_t advance_to_next();

  /// Number of scheduled, not yet run, not cancelled timers.
  size_t pending() const;

  /// Due time of the earliest pending timer.
  std::optional<TimePoint> next_due() const;

 private:
  /// Removes and returns the earliest timer due at or before `limit`, advancing now_ to it.
  std::optional<std::function<void()>> pop_due(TimePoint limit);

  mutable std::mutex mutex_;
  TimePoint now_;
  TimerQueue<TimePoint> timers_;
};

}  // namespace kactor
