// The production Clock: wall time plus one timer thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/time/clock.hpp"
#include "api/time/timer_queue.hpp"

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

  void run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  TimerQueue<SteadyPoint> timers_;
  std::thread thread_;  // last: started after everything it uses is constructed
};

}  // namespace kactor::runtime
