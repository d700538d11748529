// The scheduler component: assigns pending pods to nodes (k8s-semantics §1).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <caf/fwd.hpp>

#include "actors/common/context.hpp"
#include "api/time/clock.hpp"

namespace kactor::scheduler {

namespace config {
struct SchedulerConfiguration;
}

/// Counters the scheduler keeps while it runs; share them to read throughput (any thread).
struct SchedulerCounters {
  std::atomic<uint64_t> scheduled{0};      ///< pods bound successfully
  std::atomic<uint64_t> unschedulable{0};  ///< attempts that found no node
  std::atomic<uint64_t> bind_errors{0};    ///< bind requests that failed
  std::atomic<uint64_t> attempts{0};       ///< scheduling cycles run
};

struct SchedulerOptions {
  /// A KubeSchedulerConfiguration (config/scheduler_config.hpp): its profiles, one per
  /// scheduler name, and its backoffs and percentageOfNodesToScore replace the three
  /// fields below. Null: one profile with the default plugins named `scheduler_name`.
  std::shared_ptr<const config::SchedulerConfiguration> configuration;
  /// Pods whose spec.schedulerName is this are ours (without a configuration).
  std::string scheduler_name = "default-scheduler";
  /// 0: adaptive (upstream default).
  int32_t percentage_of_nodes_to_score = 0;
  Duration initial_backoff = std::chrono::seconds(1);
  Duration max_backoff = std::chrono::seconds(10);
  /// How often backoffQ is checked for pods whose backoff ended.
  Duration backoff_flush_interval = std::chrono::seconds(1);
  /// How often the unschedulable pool is checked, and how long a pod stays there at most.
  Duration unschedulable_flush_interval = std::chrono::seconds(30);
  Duration max_unschedulable = std::chrono::minutes(5);
  /// Filled while the scheduler runs; created if null.
  std::shared_ptr<SchedulerCounters> counters;
};

/// Spawns the scheduler. It watches Nodes and Pods through ctx.informers, binds pods
/// it places and reports those it cannot (event FailedScheduling, condition
/// PodScheduled=False). Stop it with an exit message.
caf::actor spawn_scheduler(const actors::Context& ctx, SchedulerOptions opts = {});

}  // namespace kactor::scheduler
