// Taints and tolerations (upstream's well-known taint keys, Toleration.ToleratesTaint and the
// taint manager's toleration time): one home beside the types, so the scheduler, the
// admission plugin, the node lifecycle controller and the taint eviction controller cannot
// disagree about what a pod tolerates.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/time/clock.hpp"
#include "api/types/node.hpp"
#include "api/types/pod.hpp"

namespace kactor::api {

// The taints the node lifecycle controller manages (upstream's v1.TaintNode* keys).
inline constexpr const char* kTaintNodeNotReady = "node.kubernetes.io/not-ready";
inline constexpr const char* kTaintNodeUnreachable = "node.kubernetes.io/unreachable";
inline constexpr const char* kTaintNodeUnschedulable = "node.kubernetes.io/unschedulable";
inline constexpr const char* kTaintNodeMemoryPressure = "node.kubernetes.io/memory-pressure";
inline constexpr const char* kTaintNodeDiskPressure = "node.kubernetes.io/disk-pressure";
inline constexpr const char* kTaintNodePIDPressure = "node.kubernetes.io/pid-pressure";
inline constexpr const char* kTaintNodeNetworkUnavailable = "node.kubernetes.io/network-unavailable";

inline constexpr const char* kEffectNoSchedule = "NoSchedule";
inline constexpr const char* kEffectPreferNoSchedule = "PreferNoSchedule";
inline constexpr const char* kEffectNoExecute = "NoExecute";

/// Upstream Toleration.ToleratesTaint: effects match (an empty effect matches all), keys match
/// (an empty key with Exists matches all), and Exists, or Equal with the same value.
bool tolerates(const Toleration& t, const Taint& taint);
/// True if any toleration tolerates `taint`.
bool tolerated(const std::vector<Toleration>& ts, const Taint& taint);

/// The taint with this key and effect, or nullptr.
const Taint* find_taint(const std::vector<Taint>& taints, const std::string& key,
                        const std::string& effect);

/// How long a pod may stay on a node with these NoExecute `taints` (upstream taint manager):
/// nullopt = for ever (no taint, or every matching toleration has no tolerationSeconds);
/// zero = not at all (some taint is not tolerated, or a matching toleration's seconds are
/// ≤ 0); otherwise the smallest tolerationSeconds among the tolerations that tolerate them.
std::optional<Duration> toleration_time(const std::vector<Toleration>& tolerations,
                                        const std::vector<Taint>& no_execute_taints);

}  // namespace kactor::api
