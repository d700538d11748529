// Pod predicates the controllers share (upstream podutil / controller_utils).
#pragma once

#include <memory>
#include <vector>

#include "api/clock.hpp"
#include "api/types/pod.hpp"

namespace kactor::actors::controllers {

using PodPtr = std::shared_ptr<const api::Pod>;

/// Not terminal (Succeeded/Failed) and not being deleted: counts toward replicas.
bool is_active(const api::Pod& pod);
bool is_terminal(const api::Pod& pod);
/// The PodReady condition is True.
bool is_ready(const api::Pod& pod);
/// Ready for at least `min_ready_seconds` at `now` (upstream IsPodAvailable).
bool is_available(const api::Pod& pod, int32_t min_ready_seconds, TimePoint now);

/// The order in which surplus pods are deleted, first victim first (k8s-semantics §5):
/// unassigned before assigned; Pending < Unknown < Running; not ready before ready; lower
/// pod-deletion-cost; more related pods on the same node; more recently ready; more
/// restarts; newer. `related` are the pods counted per node (the owner's active pods).
std::vector<PodPtr> rank_for_deletion(std::vector<PodPtr> pods, const std::vector<PodPtr>& related);

}  // namespace kactor::actors::controllers
