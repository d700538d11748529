// How much CPU, memory and ephemeral storage a simulated container uses over time: the
// numbers the kubelet's stats (stats.hpp, cAdvisor's role) sample and node-pressure
// eviction acts on. By default a steady fraction of the container's requests (a small
// baseline without one); per pod, annotations (sim_annotations.hpp) give a quantity or a
// schedule, measured from the container's start:
//   kactor.io/memory-usage: "300Mi"
//   kactor.io/memory-usage: "100Mi for 60s, then 900Mi"
// Plain data, no CAF; docs/kubelet.md ("Resource usage") describes it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actors/kubelet/sim_annotations.hpp"
#include "api/status.hpp"
#include "api/time/clock.hpp"
#include "api/types/container.hpp"

namespace kactor::kubelet {

/// The model's defaults for containers whose pod has no usage annotation (per node:
/// KubeletOptions::usage).
struct UsageModelOptions {
  /// A container uses this fraction of its cpu and memory requests.
  double request_fraction = 0.5;
  /// What a container without a cpu (memory) request uses: an idle process.
  int64_t baseline_cpu_millicores = 5;
  int64_t baseline_memory_bytes = 16LL << 20;  // 16Mi
  /// The cpu time one request to a Service costs the pod serving it (request_load.hpp);
  /// zero turns the model of served requests off (the kubelet then watches no Endpoints).
  Duration cpu_per_request = std::chrono::microseconds(6500);
};

/// Which resource a schedule measures: cpu in nanocores, memory and disk in bytes.
enum class UsageResource : uint8_t { cpu, memory, disk };

/// Use over time, piecewise constant: each segment's amount for its length, the last one for
/// ever. Amounts are nanocores (cpu) or bytes.
class UsageSchedule {
 public:
  struct Segment {
    int64_t amount = 0;
    Duration length = Duration::max();  // the last segment: for ever
    bool operator==(const Segment&) const = default;
  };

  UsageSchedule() = default;
  static UsageSchedule constant(int64_t amount);
  /// "250m", "300Mi", or "<quantity> for <duration>, then <quantity> for <duration>, then
  /// <quantity>" (durations as Go writes them: 60s, 2m, 1m30s). The error says what is
  /// wrong with which part (the caller names the annotation).
  static api::Result<UsageSchedule> parse(std::string_view text, UsageResource resource);

  /// The amount at `since_start` after the container started.
  int64_t at(Duration since_start) const;
  /// ∫ amount dt from the start to `since_start`, in amount × seconds, times 10^9: for cpu,
  /// the core-nanoseconds used (cAdvisor's usageCoreNanoSeconds).
  uint64_t cumulative(Duration since_start) const;

  const std::vector<Segment>& segments() const { return segments_; }
  bool operator==(const UsageSchedule&) const = default;

 private:
  std::vector<Segment> segments_{Segment{}};
};

/// One container's use of each resource over time.
struct ContainerUsageModel {
  UsageSchedule cpu;
  UsageSchedule memory;
  UsageSchedule disk;
  bool operator==(const ContainerUsageModel&) const = default;
};

/// The model of `container` in a pod with `annotations`: kactor.io/<resource>-usage.<name>,
/// else kactor.io/<resource>-usage, else the defaults (cpu and memory: request × fraction,
/// or the baseline; disk: none). An annotation that does not parse adds a problem naming it
/// to `problems` and the default is used.
ContainerUsageModel container_usage_model(const api::Container& container,
                                          const Annotations& annotations,
                                          const UsageModelOptions& options,
                                          std::vector<std::string>& problems);

}  // namespace kactor::kubelet
