// The production Clock: wall time plus one timer thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include "api/time/clock.hpp"

namespace kactor::runtime {

/// now() reads std::chrono::system_clock; timers wait on std::chrono::steady_clock (immune to
/// wall-clock jumps) and run one after another on a single internal thread, so callbacks must
/// be quick (send a message, nothing more). Thread-safe. The destructor stops and joins the
/// thread, dropping timers that have not run yet; it must not be called from a callback.
class RealClock final : public Clock {
 public:
  RealClock();
  ~RealClock() override;
  RealClock(const RealClock&) = delete;
  RealClock& operator=(const RealClock&) = delete;

  TimePoint now() const override;
  TimerId schedule_after(Duration delay, std::function<void()> callback) override;
  bool cancel(TimerId id) override;

  /// Number of timers not yet started (for diagnostics and tests).
  size_t pending() const;

 private:
  using SteadyPoint = std::chrono::steady_clock::time_point;
  /// Ordered by due time then id, so begin() is the next timer (a heap that can also erase).
  using Key = std::pair<SteadyPoint, TimerId>;

  void run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  TimerId next_id_ = 1;
  std::map<Key, std::function<void()>> timers_;
  std::unordered_map<TimerId, SteadyPoint> due_by_id_;
  std::thread thread_;  // last: started after everything it uses is constructed
};

}  // namespace kactor::runtime
