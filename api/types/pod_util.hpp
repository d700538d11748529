// Predicates about pods that every component asks (upstream podutil and qos helpers):
// one home, beside the Pod type, so the API server, kubelet, scheduler and controllers
// cannot disagree about what "terminal" or "ready" means.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/time/clock.hpp"
#include "api/types/pod.hpp"

namespace kactor::api {

/// Succeeded or Failed: the pod will not run again.
bool is_terminal_phase(std::string_view phase);
bool is_terminal(const Pod& pod);
/// Not terminal and not being deleted (upstream controller.IsPodActive).
bool is_active(const Pod& pod);
/// The Ready condition is True.
bool is_ready(const Pod& pod);
/// Ready for at least `min_ready_seconds` at `now` (upstream podutil.IsPodAvailable).
bool is_available(const Pod& pod, int32_t min_ready_seconds, TimePoint now);

/// The QoS class of a pod with this spec (upstream GetPodQOS): cpu and memory requests and
/// limits (positive ones only) summed over init and app containers; none at all is
/// BestEffort; limits for both cpu and memory, and requests equal to them, is Guaranteed;
/// anything else Burstable. Computed by the API server after defaulting and admission.
std::string qos_class(const PodSpec& spec);

/// Upstream's SystemCriticalPriority: pods at or above it (system-node-critical,
/// system-cluster-critical) are critical to the node, which never evicts nor refuses them.
inline constexpr int32_t kSystemCriticalPriority = 2'000'000'000;
/// Upstream kubelettypes.IsCriticalPod (static and mirror pods do not exist here).
bool is_critical(const Pod& pod);

}  // namespace kactor::api
