// Node: a machine pods run on, with its taints, capacity and reported state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/object.hpp"
#include "api/quantity/quantity.hpp"

namespace kactor::api {

struct Taint {
  std::string key;
  std::string value;
  std::string effect;              // NoSchedule, PreferNoSchedule, NoExecute
  std::optional<Time> time_added;  // set for NoExecute taints by the node controller
  bool operator==(const Taint&) const = default;
};
template <class V>
void describe(V& v, Taint& x) {
  v("key", x.key, keep_zero);
  v("value", x.value);
  v("effect", x.effect, keep_zero);
  v("timeAdded", x.time_added);
}

struct NodeSpec {
  std::string pod_cidr;
  std::vector<std::string> pod_cidrs;
  std::string provider_id;
  bool unschedulable = false;
  std::vector<Taint> taints;
  bool operator==(const NodeSpec&) const = default;
};
template <class V>
void describe(V& v, NodeSpec& x) {
  v("podCIDR", x.pod_cidr);
  v("podCIDRs", x.pod_cidrs);
  v("providerID", x.provider_id);
  v("unschedulable", x.unschedulable);
  v("taints", x.taints);
}

struct NodeCondition {
  std::string type;    // Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable
  std::string status;  // True, False, Unknown
  Time last_heartbeat_time;
  Time last_transition_time;
  std::string reason;
  std::string message;
  bool operator==(const NodeCondition&) const = default;
};
template <class V>
void describe(V& v, NodeCondition& x) {
  v("type", x.type, keep_zero);
  v("status", x.status, keep_zero);
  v("lastHeartbeatTime", x.last_heartbeat_time, keep_zero);
  v("lastTransitionTime", x.last_transition_time, keep_zero);
  v("reason", x.reason);
  v("message", x.message);
}

struct NodeAddress {
  std::string type;  // Hostname, InternalIP, ExternalIP, InternalDNS, ExternalDNS
  std::string address;
  bool operator==(const NodeAddress&) const = default;
};
template <class V>
void describe(V& v, NodeAddress& x) {
  v("type", x.type, keep_zero);
  v("address", x.address, keep_zero);
}

struct DaemonEndpoint {
  int32_t port = 0;
  bool operator==(const DaemonEndpoint&) const = default;
};
template <class V>
void describe(V& v, DaemonEndpoint& x) {
  v("Port", x.port, keep_zero);  // upstream's JSON name is capitalised
}

struct NodeDaemonEndpoints {
  DaemonEndpoint kubelet_endpoint;
  bool operator==(const NodeDaemonEndpoints&) const = default;
};
template <class V>
void describe(V& v, NodeDaemonEndpoints& x) {
  v("kubeletEndpoint", x.kubelet_endpoint, keep_zero);
}

struct NodeSystemInfo {
  std::string machine_id;
  std::string system_uuid;
  std::string boot_id;
  std::string kernel_version;
  std::string os_image;
  std::string container_runtime_version;
  std::string kubelet_version;
  std::string kube_proxy_version;
  std::string operating_system;
  std::string architecture;
  bool operator==(const NodeSystemInfo&) const = default;
};
template <class V>
void describe(V& v, NodeSystemInfo& x) {
  v("machineID", x.machine_id, keep_zero);
  v("systemUUID", x.system_uuid, keep_zero);
  v("bootID", x.boot_id, keep_zero);
  v("kernelVersion", x.kernel_version, keep_zero);
  v("osImage", x.os_image, keep_zero);
  v("containerRuntimeVersion", x.container_runtime_version, keep_zero);
  v("kubeletVersion", x.kubelet_version, keep_zero);
  v("kubeProxyVersion", x.kube_proxy_version, keep_zero);
  v("operatingSystem", x.operating_system, keep_zero);
  v("architecture", x.architecture, keep_zero);
}

struct ContainerImage {
  std::vector<std::string> names;
  int64_t size_bytes = 0;
  bool operator==(const ContainerImage&) const = default;
};
template <class V>
void describe(V& v, ContainerImage& x) {
  v("names", x.names);
  v("sizeBytes", x.size_bytes);
}

struct NodeStatus {
  ResourceList capacity;
  ResourceList allocatable;
  std::string phase;  // deprecated upstream, kept for old clients
  std::vector<NodeCondition> conditions;
  std::vector<NodeAddress> addresses;
  NodeDaemonEndpoints daemon_endpoints;
  NodeSystemInfo node_info;
  std::vector<ContainerImage> images;
  bool operator==(const NodeStatus&) const = default;

  /// The condition of `type`, or nullptr.
  const NodeCondition* condition(std::string_view type) const;
};
template <class V>
void describe(V& v, NodeStatus& x) {
  v("capacity", x.capacity);
  v("allocatable", x.allocatable);
  v("phase", x.phase);
  v("conditions", x.conditions);
  v("addresses", x.addresses);
  v("daemonEndpoints", x.daemon_endpoints, keep_zero);
  v("nodeInfo", x.node_info, keep_zero);
  v("images", x.images);
}

struct Node : ObjectBase<Node> {
  NodeSpec spec;
  NodeStatus status;
  static const TypeInfo& static_type();
  bool operator==(const Node&) const = default;
};
template <class V>
void describe(V& v, Node& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

/// Selectable fields: spec.unschedulable ("true"/"false").
std::optional<std::string> field_value(const Node& n, std::string_view field);

}  // namespace kactor::api
