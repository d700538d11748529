// A profile's scheduling attempts in the process's metrics, with upstream's names:
// scheduler_schedule_attempts_total{profile,result} and the attempt's latency (the scheduling
// algorithm through the bind's answer) in scheduler_scheduling_attempt_duration_seconds.
// result: "scheduled", "unschedulable" (no node fits), "error" (reserve, permit or bind failed).
#pragma once

#include <chrono>
#include <string>

#include "telemetry/registry.hpp"

namespace kactor::scheduler {

class AttemptMetrics {
 public:
  /// Wall time: latency is what it costs in the real process, whatever clock drives the
  /// scheduler (a VirtualClock does not move while it computes).
  using Start = std::chrono::steady_clock::time_point;
  static Start start() { return std::chrono::steady_clock::now(); }

  explicit AttemptMetrics(const std::string& profile);

  void scheduled(Start since) { scheduled_.observe(since); }
  void unschedulable(Start since) { unschedulable_.observe(since); }
  void error(Start since) { error_.observe(since); }

 private:
  struct Series {
    Series(const std::string& profile, const char* result);
    void observe(Start since);
    telemetry::Counter* attempts;
    telemetry::Histogram* duration;
  };
  Series scheduled_, unschedulable_, error_;
};

}  // namespace kactor::scheduler
