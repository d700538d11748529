#include "api/time/virtual_clock.hpp"

namespace kactor {

VirtualClock::VirtualClock()
    : VirtualClock(std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}) {}

VirtualClock::VirtualClock(TimePoint start) : now_(start) {}

TimePoint VirtualClock::now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

Clock::TimerId VirtualClock::schedule_after(Duration delay, std::function<void()> callback) {
  std::lock_guard lock(mutex_);
  return timers_.add(now_ + std::max(delay, Duration::zero()), std::move(callback));
}

bool VirtualClock::cancel(TimerId id) {
  std::lock_guard lock(mutex_);
  return timers_.cancel(id);
}

std::optional<std::function<void()>> VirtualClock::pop_due(TimePoint limit) {
  std::lock_guard lock(mutex_);
  auto due = timers_.pop_due(limit);
  if (!due) return std::nullopt;
  // Due times are never in the past (delays are clamped to zero), so time stays monotonic.
  now_ = std::max(now_, due->at);
  return std::move(due->callback);
}

size_t VirtualClock::advance(Duration d) {
  TimePoint target;
  {
    std::lock_guard lock(mutex_);
    target = now_ + std::max(d, Duration::zero());
  }
  size_t ran = 0;
  // One timer per iteration, re-reading the queue each time, so callbacks that schedule or
  // cancel inside the window are honoured.
  while (auto callback = pop_due(target)) {
    if (*callback) (*callback)();
    ++ran;
  }
  std::lock_guard lock(mutex_);
  now_ = std::max(now_, target);
  return ran;
}

size_t VirtualClock::advance_to_next() {
  Duration step;
  {
    std::lock_guard lock(mutex_);
    const auto next = timers_.next_due();
    if (!next) return 0;
    step = *next - now_;
  }
  return advance(step);
}

size_t VirtualClock::pending() const {
  std::lock_guard lock(mutex_);
  return timers_.size();
}

std::optional<TimePoint> VirtualClock::next_due() const {
  std::lock_guard lock(mutex_);
  return timers_.next_due();
}

}  // namespace kactor
