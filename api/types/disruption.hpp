// policy/v1: PodDisruptionBudget, the limit on voluntary disruptions (evictions,
// preemption prefers to respect it) of a set of pods.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/object.hpp"
#include "api/types/condition.hpp"
#include "api/types/meta.hpp"
#include "api/types/values.hpp"

namespace kactor::api {

struct PodDisruptionBudgetSpec {
  /// At most one of the two; a percentage counts against the expected pods.
  std::optional<IntOrString> min_available;
  std::optional<IntOrString> max_unavailable;
  std::optional<LabelSelector> selector;  // null or empty: no pods (policy/v1)
  /// IfHealthyBudget (default) or AlwaysAllow: whether running-but-not-ready pods may
  /// be evicted regardless of the budget.
  std::optional<std::string> unhealthy_pod_eviction_policy;
  bool operator==(const PodDisruptionBudgetSpec&) const = default;
};
template <class V>
void describe(V& v, PodDisruptionBudgetSpec& x) {
  v("minAvailable", x.min_available);
  v("selector", x.selector);
  v("maxUnavailable", x.max_unavailable);
  v("unhealthyPodEvictionPolicy", x.unhealthy_pod_eviction_policy);
}

struct PodDisruptionBudgetStatus {
  int64_t observed_generation = 0;
  /// Pods evicted (by the eviction API) that the controller has not yet seen go:
  /// pod name -> time of the eviction.
  std::map<std::string, Time> disrupted_pods;
  int32_t disruptions_allowed = 0;
  int32_t current_healthy = 0;
  int32_t desired_healthy = 0;
  int32_t expected_pods = 0;
  std::vector<Condition> conditions;  // DisruptionAllowed
  bool operator==(const PodDisruptionBudgetStatus&) const = default;
};
template <class V>
void describe(V& v, PodDisruptionBudgetStatus& x) {
  v("observedGeneration", x.observed_generation);
  v("disruptedPods", x.disrupted_pods);
  v("disruptionsAllowed", x.disruptions_allowed, keep_zero);
  v("currentHealthy", x.current_healthy, keep_zero);
  v("desiredHealthy", x.desired_healthy, keep_zero);
  v("expectedPods", x.expected_pods, keep_zero);
  v("conditions", x.conditions);
}

struct PodDisruptionBudget : ObjectBase<PodDisruptionBudget> {
  PodDisruptionBudgetSpec spec;
  PodDisruptionBudgetStatus status;
  static const TypeInfo& static_type();
  bool operator==(const PodDisruptionBudget&) const = default;
};
template <class V>
void describe(V& v, PodDisruptionBudget& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

}  // namespace kactor::api
