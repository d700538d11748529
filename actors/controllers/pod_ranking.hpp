// Pod ranking the replication controllers share (upstream controller_utils); the pod
// predicates themselves live beside the Pod type (api/types/pod_util.hpp).
#pragma once

#include <memory>
#include <vector>

#include "api/time/clock.hpp"
#include "api/types/pod.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::actors::controllers {

using PodPtr = std::shared_ptr<const api::Pod>;

/// The order in which surplus pods are deleted, first victim first (k8s-semantics §5):
/// unassigned before assigned; Pending < Unknown < Running; not ready before ready; lower
/// pod-deletion-cost; more related pods on the same node; more recently ready; more
/// restarts; newer. `related` are the pods counted per node (the owner's active pods).
std::vector<PodPtr> rank_for_deletion(std::vector<PodPtr> pods, const std::vector<PodPtr>& related);

}  // namespace kactor::actors::controllers
