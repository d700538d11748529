#include "actors/scheduler/attempt_metrics.hpp"

namespace kactor::scheduler {

AttemptMetrics::Series::Series(const std::string& profile, const char* result) {
  auto& r = telemetry::Registry::global();
  telemetry::Labels labels{{"profile", profile}, {"result", result}};
  attempts = &r.counter("scheduler_schedule_attempts_total",
                        "Number of attempts to schedule pods, by the result. 'unschedulable' "
                        "means a pod could not be scheduled, while 'error' means an internal "
                        "scheduler problem.",
                        labels);
  // Upstream's buckets: 1 ms doubling to about 16 s.
  duration = &r.histogram("scheduler_scheduling_attempt_duration_seconds",
                          "Scheduling attempt latency in seconds (scheduling algorithm + binding)",
                          telemetry::exponential_buckets(0.001, 2, 15), labels);
}

void AttemptMetrics::Series::observe(Start since) {
  attempts->inc();
  duration->observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count());
}

AttemptMetrics::AttemptMetrics(const std::string& profile)
    : scheduled_(profile, "scheduled"),
      unschedulable_(profile, "unschedulable"),
      error_(profile, "error") {}

}  // namespace kactor::scheduler
