// Node-pressure eviction (upstream's eviction manager, 1.32): at every housekeeping sample
// the node's signals (memory.available, nodefs.available, nodefs.inodesFree) are held
// against the thresholds (eviction_config.hpp); a met threshold sets its node condition
// (MemoryPressure, DiskPressure, PIDPressure) until the pressure transition period passed
// without it, and once past its grace period it makes the kubelet evict one pod per
// interval, chosen by upstream's ranking. While a condition holds, admission refuses pods
// (BestEffort ones under memory pressure alone, all but critical ones otherwise). The
// decisions only; kubelet housekeeping.cpp acts on them. No CAF.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/kubelet/eviction_config.hpp"
#include "actors/kubelet/stats.hpp"
#include "api/types/pod.hpp"

namespace kactor::kubelet {

/// Status reason of evicted and of refused pods, and the reason of the Warning Event.
inline constexpr const char* kEvictedReason = "Evicted";

/// What a signal was seen at: what is available of what capacity (bytes, or inodes).
struct Observation {
  int64_t available = 0;
  int64_t capacity = 0;
};
/// By signal; nullopt where the node has nothing to observe (no image filesystem of its
/// own, no pid accounting in the simulation).
using Observations = std::array<std::optional<Observation>, 6>;
Observations observe(const NodeSample& sample);

/// A pod that may be evicted, as the ranking sees it (for the resource being reclaimed).
struct EvictionCandidate {
  std::string uid;
  int64_t usage = 0;    // working set bytes, or ephemeral storage bytes
  int64_t request = 0;  // the pod's request of that resource
  int32_t priority = 0;
};
/// Upstream's order (rankMemoryPressure, rankDiskPressureFunc): pods using more than they
/// request first, then lower priority first, then larger usage above the request first.
/// Stable: candidates that tie keep their order.
void rank_for_eviction(std::vector<EvictionCandidate>& candidates);

/// The pod's effective request of `resource` (upstream's podRequest): its app containers'
/// and sidecars' requests added, or the largest regular init container's if that is more.
int64_t pod_request(const api::Pod& pod, std::string_view resource);

class EvictionManager {
 public:
  EvictionManager(std::vector<Threshold> thresholds, Duration pressure_transition_period);

  /// One monitoring pass over `sample` (at its time). Returns the threshold to reclaim for,
  /// if one is met and past its grace period (memory before disk).
  std::optional<Threshold> synchronize(const NodeSample& sample);

  /// The pressure conditions that hold ("MemoryPressure", "DiskPressure", "PIDPressure",
  /// in that order).
  const std::vector<std::string>& conditions() const { return conditions_; }
  bool has_condition(std::string_view type) const;

  /// nullopt when the node admits `pod`; otherwise the status message of its refusal
  /// ("The node had condition: [MemoryPressure]. ").
  std::optional<std::string> refuse(const api::Pod& pod) const;

  /// Upstream's eviction message for `pod`, evicted to reclaim `resource`: "The node was low
  /// on resource: memory. Threshold quantity: 100Mi, available: 81920Ki. Container app was
  /// using 2Gi, request is 1Gi, has larger consumption of memory. " (each sentence with its
  /// trailing space, as upstream).
  std::string eviction_message(std::string_view resource, const api::Pod& pod,
                               const PodWorker& worker, const PodUsage& usage) const;

  const std::vector<Threshold>& thresholds() const { return thresholds_; }

 private:
  /// The thresholds of `candidates` met by the observations (with their minimum reclaim
  /// added to the value when `enforce_min_reclaim`).
  std::vector<Threshold> met(const std::vector<Threshold>& candidates,
                             bool enforce_min_reclaim) const;

  std::vector<Threshold> thresholds_;
  Duration transition_;
  Observations observations_{};
  /// Met thresholds, with when each was first seen met (for its grace period).
  std::vector<std::pair<Threshold, TimePoint>> first_observed_;
  /// Thresholds met and past their grace period at the last pass.
  std::vector<Threshold> thresholds_met_;
  /// When each condition's threshold was last seen met (MemoryPressure, DiskPressure,
  /// PIDPressure).
  std::array<std::optional<TimePoint>, 3> condition_last_observed_{};
  std::vector<std::string> conditions_;
};

}  // namespace kactor::kubelet
