#include "runtime/real_clock.hpp"

#include <exception>

namespace kactor::runtime {

RealClock::RealClock() : thread_([this] { run(); }) {}

RealClock::~RealClock() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

TimePoint RealClock::now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

Clock::TimerId RealClock::schedule_after(Duration delay, std::function<void()> callback) {
  const auto due = std::chrono::steady_clock::now() + std::max(delay, Duration::zero());
  TimerId id;
  bool earliest;
  {
    std::lock_guard lock(mutex_);
    id = timers_.add(due, std::move(callback));
    earliest = timers_.is_next(id);
  }
  // Only a new earliest timer changes how long the thread should sleep.
  if (earliest) wake_.notify_all();
  return id;
}

bool RealClock::cancel(TimerId id) {
  std::lock_guard lock(mutex_);
  return timers_.cancel(id);
}

size_t RealClock::pending() const {
  std::lock_guard lock(mutex_);
  return timers_.size();
}

void RealClock::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto next = timers_.next_due();
    if (!next) {
      wake_.wait(lock);
      continue;
    }
    auto due = timers_.pop_due(std::chrono::steady_clock::now());
    if (!due) {
      // Woken early by a new earlier timer, a cancel or shutdown: re-evaluate from the top.
      wake_.wait_until(lock, *next);
      continue;
    }
    lock.unlock();
    // Never let a faulty callback kill the timer thread (and with it every later timer).
    try {
      if (due->callback) due->callback();
    } catch (...) {
    }
    lock.lock();
  }
}

}  // namespace kactor::runtime
