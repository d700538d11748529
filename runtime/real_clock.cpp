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
    id = next_id_++;
    timers_.emplace(Key{due, id}, std::move(callback));
    due_by_id_.emplace(id, due);
    earliest = timers_.begin()->first.second == id;
  }
  // Only a new earliest timer changes how long the thread should sleep.
  if (earliest) wake_.notify_all();
  return id;
}

bool RealClock::cancel(TimerId id) {
  std::lock_guard lock(mutex_);
  const auto it = due_by_id_.find(id);
  if (it == due_by_id_.end()) return false;
  timers_.erase(Key{it->second, id});
  due_by_id_.erase(it);
  return true;
}

size_t RealClock::pending() const {
  std::lock_guard lock(mutex_);
  return timers_.size();
}

void RealClock::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (timers_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const auto due = timers_.begin()->first.first;
    if (std::chrono::steady_clock::now() < due) {
      // Woken early by a new earlier timer, a cancel or shutdown: re-evaluate from the top.
      wake_.wait_until(lock, due);
      continue;
    }
    auto node = timers_.extract(timers_.begin());
    due_by_id_.erase(node.key().second);
    lock.unlock();
    // Never let a faulty callback kill the timer thread (and with it every later timer).
    try {
      if (node.mapped()) node.mapped()();
    } catch (...) {
    }
    lock.lock();
  }
}

}  // namespace kactor::runtime
