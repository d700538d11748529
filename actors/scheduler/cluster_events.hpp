// What an informer event means to pods waiting in the unschedulable pool: the
// ClusterEvent (resource + actions) that the queue matches against the plugins'
// registrations (upstream's nodeSchedulingPropertiesChange and friends).
#pragma once

#include <cstdint>

#include "actors/scheduler/framework.hpp"
#include "api/types/node.hpp"
#include "api/types/pod.hpp"

namespace kactor::scheduler {

/// The action bits of a node update that matter for scheduling (allocatable, labels,
/// taints or spec.unschedulable, conditions); 0 for heartbeats and other changes.
uint32_t node_update_actions(const api::Node& old_node, const api::Node& new_node);

/// The action bits of an assigned pod's update (labels, lower requests); 0 otherwise.
uint32_t assigned_pod_update_actions(const api::Pod& old_pod, const api::Pod& new_pod);

}  // namespace kactor::scheduler
