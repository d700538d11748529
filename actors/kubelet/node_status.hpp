// The kubelet's Node and Lease objects: what it registers and how it refreshes them.
#pragma once

#include <string>
#include <vector>

#include "actors/kubelet/eviction_config.hpp"
#include "api/types/coordination.hpp"
#include "api/types/node.hpp"

namespace kactor::kubelet {

struct KubeletOptions;

/// The node's InternalIP: opts.node_ip, else 172.18.x.y from the node's index (or, without
/// one, from a hash of its name): deterministic, distinct per index.
std::string node_address(const KubeletOptions& opts);

/// Capacity with the defaults filled in (ephemeral-storage: 100Gi, pods: 110).
api::ResourceList node_capacity(const KubeletOptions& opts);

/// Upstream's node allocatable: capacity − kube-reserved − system-reserved − the hard
/// eviction thresholds (memory.available from memory, nodefs.available from
/// ephemeral-storage; a percentage of the capacity), never below zero.
api::ResourceList node_allocatable(const KubeletOptions& opts,
                                   const std::vector<Threshold>& thresholds);

/// The pressure conditions that hold (eviction.hpp decides them).
struct NodePressure {
  bool memory = false;
  bool disk = false;
  bool pid = false;
  bool operator==(const NodePressure&) const = default;
};

/// The labels and taints of the Node the kubelet creates: `opts.labels` (upstream's
/// --node-labels), then hostname, os and arch; `opts.taints` (--register-with-taints).
void initial_node_spec(api::Node& node, const KubeletOptions& opts);

/// Upstream's updateDefaultLabels, for a Node that exists when the kubelet starts: each of the
/// default label keys (hostname, zone, region, instance type, os, arch, ...) that the Node the
/// kubelet would create has, with that value ("" removes it), where `existing` differs.
/// Nothing else: register taints and other labels apply only when the kubelet creates its
/// Node. Returns the merge patch that makes the changes ({"metadata":{"labels":{k: v or
/// null}}}), or "" when there are none.
std::string default_labels_patch(const api::Node& existing, const KubeletOptions& opts);

/// The status to report at `now`: capacity and `allocatable`, addresses, conditions
/// (MemoryPressure, DiskPressure, PIDPressure as `pressure` says, with upstream's reasons and
/// messages; Ready=True once the pod network is ready, i.e. the node has a pod CIDR, as a
/// flannel-style network plugin needs; transition times kept from `old` where unchanged,
/// heartbeats = now), daemon endpoint and node info (versions: api/version.hpp).
api::NodeStatus build_node_status(const KubeletOptions& opts, const std::string& node_ip,
                                  const std::string& machine_id, const api::NodeStatus& old,
                                  TimePoint now, bool network_ready,
                                  const api::ResourceList& allocatable, NodePressure pressure);

/// What status.images reports of the runtime's images: the largest first, at most
/// upstream's nodeStatusMaxImages (50).
std::vector<api::ContainerImage> reported_images(std::vector<api::ContainerImage> images);

/// The Ready condition's message while the node has no pod CIDR yet.
inline constexpr const char* kNetworkNotReadyMessage =
    "container runtime network not ready: NetworkReady=false "
    "reason:NetworkPluginNotReady message:Network plugin returns error: no pod CIDR "
    "assigned to this node yet";

/// The node's heartbeat Lease renewed at `now`.
api::Lease build_lease(const KubeletOptions& opts, const std::string& node_uid, TimePoint now);

}  // namespace kactor::kubelet
