// The pending timers of a Clock: ordered by due time, then by scheduling order, and
// cancellable by id. Shared by VirtualClock and runtime::RealClock, which differ only in how
// time passes. Not thread-safe: each clock holds its own lock around it.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "api/time/clock.hpp"

namespace kactor {

/// `Point` is the clock's time point (wall time for VirtualClock, steady time for RealClock).
template <class Point>
class TimerQueue {
 public:
  using TimerId = Clock::TimerId;

  /// A timer taken off the queue to be run.
  struct Due {
    Point at;
    TimerId id;
    std::function<void()> callback;
  };

  /// Adds a timer due at `due`; ids start at 1 and increase, so 0 can mean "no timer".
  TimerId add(Point due, std::function<void()> callback) {
    const TimerId id = next_id_++;
    timers_.emplace(Key{due, id}, std::move(callback));
    due_by_id_.emplace(id, due);
    return id;
  }

  /// True if the timer was pending (and now never runs).
  bool cancel(TimerId id) {
    const auto it = due_by_id_.find(id);
    if (it == due_by_id_.end()) return false;
    timers_.erase(Key{it->second, id});
    due_by_id_.erase(it);
    return true;
  }

  /// Removes and returns the earliest timer if it is due at or before `limit`.
  std::optional<Due> pop_due(Point limit) {
    if (timers_.empty() || timers_.begin()->first.first > limit) return std::nullopt;
    auto node = timers_.extract(timers_.begin());
    due_by_id_.erase(node.key().second);
    return Due{node.key().first, node.key().second, std::move(node.mapped())};
  }

  std::optional<Point> next_due() const {
    if (timers_.empty()) return std::nullopt;
    return timers_.begin()->first.first;
  }

  /// Whether `id` is the earliest pending timer.
  bool is_next(TimerId id) const { return !timers_.empty() && timers_.begin()->first.second == id; }

  size_t size() const { return timers_.size(); }
  bool empty() const { return timers_.empty(); }

 private:
  /// Ordered by due time then id, so begin() is the next timer (a heap that can also erase).
  using Key = std::pair<Point, TimerId>;

  TimerId next_id_ = 1;
  std::map<Key, std::function<void()>> timers_;
  std::unordered_map<TimerId, Point> due_by_id_;
};

}  // namespace kactor
