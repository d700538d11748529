// The disruption controller's arithmetic, free of actors (upstream pkg/controller/disruption,
// 1.32): how many pods a PodDisruptionBudget expects and needs healthy, which evictions it
// still counts, and the status it should have. The controller (disruption_controller.cpp)
// feeds it the pods from its caches and a way to find a pod's controller's scale.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/status.hpp"
#include "api/time/clock.hpp"
#include "api/types/disruption.hpp"
#include "api/types/pod.hpp"

namespace kactor::actors::controllers::disruption {

using PodPtr = std::shared_ptr<const api::Pod>;

/// Upstream's DeletionTimeout: an eviction the controller has not seen carried out within
/// this long is dropped from status.disruptedPods, and the pod counts again.
inline constexpr Duration kDeletionTimeout = std::chrono::minutes(2);

/// The pod condition disruptions set, and the reason the kubelet gives it (never stale).
inline constexpr const char* kDisruptionTarget = "DisruptionTarget";
inline constexpr const char* kTerminationByKubelet = "TerminationByKubelet";

/// Upstream's stalePodDisruptionTimeout: a pod marked DisruptionTarget=True that is not
/// being deleted this long after the mark gets the condition set to False.
inline constexpr Duration kStalePodDisruptionTimeout = std::chrono::minutes(2);

/// The controller of a pod (found through its controllerRef) and its desired replicas.
struct ControllerScale {
  std::string uid;
  int32_t scale = 0;
};
/// Looks up the controller `ref` names in `namespace_`: nullopt when no supported kind
/// (ReplicationController, ReplicaSet, Deployment through its ReplicaSet) matches it.
using ScaleFinder = std::function<std::optional<ControllerScale>(const api::OwnerReference& ref,
                                                                 const std::string& namespace_)>;

struct ExpectedCount {
  int32_t expected = 0;         // status.expectedPods
  int32_t desired_healthy = 0;  // status.desiredHealthy
  /// Pods without a controller, which a percentage or maxUnavailable cannot count.
  std::vector<std::string> unmanaged;
};

/// upstream getExpectedPodCount: an integer minAvailable expects the pods there are; a
/// percentage, or maxUnavailable, expects the sum of the scales of the pods' controllers,
/// percentages rounded up. The error ("found no controllers for pod \"x\"") is what the
/// SyncFailed condition then says.
api::Result<ExpectedCount> expected_pod_count(const api::PodDisruptionBudget& pdb,
                                              const std::vector<PodPtr>& pods,
                                              const ScaleFinder& find_scale);

struct DisruptedPods {
  std::map<std::string, api::Time> pods;  // still counted as being disrupted
  std::optional<TimePoint> recheck;       // when the next of them times out
  std::vector<std::string> expired;       // evicted more than kDeletionTimeout ago, not deleted
};
/// upstream buildDisruptedPodMap: the entries of status.disruptedPods whose pod is still
/// there, not yet being deleted, and evicted less than kDeletionTimeout ago.
DisruptedPods disrupted_pod_map(const api::PodDisruptionBudget& pdb, const std::vector<PodPtr>& pods,
                                TimePoint now);

/// upstream countHealthyPods: ready pods that are neither being deleted nor recently evicted.
int32_t count_healthy(const std::vector<PodPtr>& pods, const std::map<std::string, api::Time>& disrupted,
                      TimePoint now);

/// upstream updatePdbStatus: the status for these counts (disruptionsAllowed = healthy -
/// desired, 0 when negative or no pods are expected), or nullopt when the budget already has
/// it (nothing to write).
std::optional<api::PodDisruptionBudgetStatus> next_status(const api::PodDisruptionBudget& pdb,
                                                          int32_t current_healthy,
                                                          const ExpectedCount& count,
                                                          std::map<std::string, api::Time> disrupted,
                                                          TimePoint now);

/// upstream failSafe: no disruptions allowed, condition False/SyncFailed with `message`.
api::PodDisruptionBudgetStatus failed_status(const api::PodDisruptionBudget& pdb,
                                             const std::string& message, TimePoint now);

/// upstream nonTerminatingPodHasStaleDisruptionCondition: when the pod's DisruptionTarget=True
/// condition turns stale (its lastTransitionTime + kStalePodDisruptionTimeout), or nullopt
/// when it has none that can: no such condition, the pod is being deleted or terminal, or the
/// kubelet set it (node-pressure eviction may take arbitrarily long to end the pod).
std::optional<TimePoint> stale_disruption_at(const api::Pod& pod);

/// The pod's status with its DisruptionTarget condition turned False at `now` (upstream
/// syncStalePodDisruption), or nullopt when there is nothing stale to reset at `now`.
std::optional<api::PodStatus> reset_stale_disruption(const api::Pod& pod, TimePoint now);

}  // namespace kactor::actors::controllers::disruption
