// The node lifecycle controller's decisions as plain functions (upstream's
// node_lifecycle_controller.go, tryUpdateNodeHealth / doNoScheduleTaintingPass /
// ComputeZoneState): when a node counts as gone, what its status then says, which taints its
// conditions call for, how disrupted a zone is. No CAF: tested alone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "actors/controllers/node_lifecycle_options.hpp"
#include "api/time/clock.hpp"
#include "api/types/coordination.hpp"
#include "api/types/node.hpp"

namespace kactor::actors::controllers {

/// What the controller last saw of a node's kubelet. Times are the controller's own clock
/// (when it noticed a heartbeat), never the kubelet's timestamps, so clock skew between
/// hosts cannot make a node look alive or dead.
struct NodeHealth {
  /// When a heartbeat was last noticed (a new Ready lastHeartbeatTime or Lease renewTime).
  TimePoint probe{};
  /// The Ready condition's lastHeartbeatTime and the Lease's renewTime last noticed.
  std::optional<TimePoint> ready_heartbeat;
  std::optional<TimePoint> lease_renewed;
};

/// Notes the heartbeats in `node` and its `lease` (nullptr: none): a new one moves `probe`
/// to `now`. A node seen for the first time starts its grace period now.
void observe(NodeHealth& health, bool first_seen, const api::Node& node,
             const api::Lease* lease, TimePoint now);

/// The grace period that applies: the startup one while the node has never posted Ready.
Duration grace_period(const api::Node& node, const NodeLifecycleOptions& options);

/// The kubelet stopped posting: no heartbeat for longer than the grace period.
bool is_stale(const NodeHealth& health, const api::Node& node, const NodeLifecycleOptions& options,
              TimePoint now);

/// The status the controller writes for a stale node: Ready, MemoryPressure, DiskPressure and
/// PIDPressure Unknown ("NodeStatusUnknown", "Kubelet stopped posting node status."; a
/// condition never posted: "NodeStatusNeverUpdated", "Kubelet never posted node status.").
/// nullopt when they already say so.
std::optional<api::NodeStatus> unknown_status(const api::Node& node, TimePoint now);

/// The Ready condition's status: "True", "False" or "Unknown" (no condition: Unknown).
std::string ready_status(const api::Node& node);

/// The NoSchedule taints the node's conditions and spec call for (upstream's
/// TaintNodesByCondition): not-ready (Ready False), unreachable (Ready Unknown),
/// memory-/disk-/pid-pressure, network-unavailable, and unschedulable for a cordoned node.
std::vector<api::Taint> condition_taints(const api::Node& node);

/// Is `taint` one of those the node lifecycle controller owns (the NoSchedule condition
/// taints and the NoExecute not-ready/unreachable ones)?
bool is_lifecycle_taint(const api::Taint& taint);

/// `node`'s taints with the controller's own replaced by `no_schedule` and, if set,
/// `no_execute` (a taint already there keeps its timeAdded; a new NoExecute one gets its own
/// timeAdded, or `now`). Others' taints stay, in order.
std::vector<api::Taint> desired_taints(const api::Node& node,
                                       const std::vector<api::Taint>& no_schedule,
                                       const std::optional<api::Taint>& no_execute,
                                       TimePoint now);

/// The zone a node is counted in (upstream GetZoneKey: region and zone labels); "" for
/// nodes that have neither.
std::string zone_key(const api::Node& node);

enum class ZoneState { initial, normal, partial_disruption, full_disruption };
const char* to_string(ZoneState s);

/// Upstream ComputeZoneState: full disruption when no node is Ready and some are not;
/// partial when more than 2 are not Ready and their share reaches the threshold.
ZoneState zone_state(int ready, int not_ready, double unhealthy_zone_threshold);

/// The NoExecute tainting rate (nodes/s) for a zone of `zone_size` nodes in `state`.
double zone_rate(ZoneState state, int zone_size, const NodeLifecycleOptions& options);

}  // namespace kactor::actors::controllers
