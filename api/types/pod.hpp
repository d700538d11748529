// Pod: its spec, status and template. The parts live beside it: containers
// (container.hpp), volumes (volume.hpp), placement (affinity.hpp) and security contexts
// (security_context.hpp); including this header gives them all.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/object.hpp"
#include "api/quantity/quantity.hpp"
#include "api/types/affinity.hpp"
#include "api/types/boxed.hpp"
#include "api/types/container.hpp"
#include "api/types/security_context.hpp"
#include "api/types/shared_vector.hpp"
#include "api/types/volume.hpp"

namespace kactor::api {

// -- PodSpec parts -----------------------------------------------------------------

/// An /etc/hosts entry added to the pod.
struct HostAlias {
  std::string ip;
  std::vector<std::string> hostnames;
  bool operator==(const HostAlias&) const = default;
};
template <class V>
void describe(V& v, HostAlias& x) {
  v("ip", x.ip, keep_zero);
  v("hostnames", x.hostnames);
}

struct PodDNSConfigOption {
  std::string name;
  std::optional<std::string> value;
  bool operator==(const PodDNSConfigOption&) const = default;
};
template <class V>
void describe(V& v, PodDNSConfigOption& x) {
  v("name", x.name);
  v("value", x.value);
}

/// DNS settings merged into (or, with dnsPolicy None, replacing) the generated ones.
struct PodDNSConfig {
  std::vector<std::string> nameservers;
  std::vector<std::string> searches;
  std::vector<PodDNSConfigOption> options;
  bool operator==(const PodDNSConfig&) const = default;
};
template <class V>
void describe(V& v, PodDNSConfig& x) {
  v("nameservers", x.nameservers);
  v("searches", x.searches);
  v("options", x.options);
}

/// A pod condition that must be True, besides the containers being ready, for the pod to
/// be Ready.
struct PodReadinessGate {
  std::string condition_type;
  bool operator==(const PodReadinessGate&) const = default;
};
template <class V>
void describe(V& v, PodReadinessGate& x) {
  v("conditionType", x.condition_type, keep_zero);
}

struct PodOS {
  std::string name;  // linux, windows
  bool operator==(const PodOS&) const = default;
};
template <class V>
void describe(V& v, PodOS& x) {
  v("name", x.name, keep_zero);
}

/// While a pod has scheduling gates, it is not to be scheduled; gates can only be removed.
struct PodSchedulingGate {
  std::string name;
  bool operator==(const PodSchedulingGate&) const = default;
};
template <class V>
void describe(V& v, PodSchedulingGate& x) {
  v("name", x.name, keep_zero);
}

/// A ResourceClaim (by name) or a template to make one from, as containers refer to it.
struct PodResourceClaim {
  std::string name;
  std::optional<std::string> resource_claim_name;
  std::optional<std::string> resource_claim_template_name;
  bool operator==(const PodResourceClaim&) const = default;
};
template <class V>
void describe(V& v, PodResourceClaim& x) {
  v("name", x.name, keep_zero);
  v("resourceClaimName", x.resource_claim_name);
  v("resourceClaimTemplateName", x.resource_claim_template_name);
}

// -- PodSpec -----------------------------------------------------------------------

/// Every field of upstream's 1.32 PodSpec (tests/api/types/pod_round_trip_test.cpp checks
/// each one round-trips). kactor has no feature gates: fields upstream drops while their
/// gate is off (resources, resourceClaims, hostUsers, ...) are kept as given. The five boxed
/// fields are large and rarely set (see boxed.hpp): unset, they take 80 bytes instead of
/// ~1.1 KB in every version of every pod.
struct PodSpec {
  // Shared between the pods of one template (shared_vector.hpp).
  SharedVector<Volume> volumes;
  std::vector<Container> init_containers;
  SharedVector<Container> containers;
  std::string restart_policy;  // Always (default), OnFailure, Never
  std::optional<int64_t> termination_grace_period_seconds;
  std::optional<int64_t> active_deadline_seconds;
  std::string dns_policy;
  std::map<std::string, std::string> node_selector;
  std::string service_account_name;
  std::string node_name;
  bool host_network = false;
  std::string hostname;
  std::string subdomain;
  Boxed<Affinity> affinity;
  std::string scheduler_name;
  SharedVector<Toleration> tolerations;
  std::string priority_class_name;
  std::optional<int32_t> priority;
  std::string preemption_policy;  // PreemptLowerPriority (default), Never
  ResourceList overhead;
  std::vector<EphemeralContainer> ephemeral_containers;
  /// Deprecated alias of serviceAccountName (used when that is empty).
  std::string service_account;
  std::optional<bool> automount_service_account_token;
  bool host_pid = false;
  bool host_ipc = false;
  std::optional<bool> share_process_namespace;
  Boxed<PodSecurityContext> security_context;
  std::vector<LocalObjectReference> image_pull_secrets;
  std::vector<HostAlias> host_aliases;
  Boxed<PodDNSConfig> dns_config;
  std::vector<PodReadinessGate> readiness_gates;
  std::optional<std::string> runtime_class_name;
  std::optional<bool> enable_service_links;
  std::vector<TopologySpreadConstraint> topology_spread_constraints;
  std::optional<bool> set_hostname_as_fqdn;
  Boxed<PodOS> os;
  std::optional<bool> host_users;
  std::vector<PodSchedulingGate> scheduling_gates;
  std::vector<PodResourceClaim> resource_claims;
  /// Pod-level requests and limits (PodLevelResources).
  Boxed<ResourceRequirements> resources;
  bool operator==(const PodSpec&) const = default;
};
template <class V>
void describe(V& v, PodSpec& x) {
  v("volumes", x.volumes);
  v("initContainers", x.init_containers);
  v("containers", x.containers, keep_zero);
  v("ephemeralContainers", x.ephemeral_containers);
  v("restartPolicy", x.restart_policy);
  v("terminationGracePeriodSeconds", x.termination_grace_period_seconds);
  v("activeDeadlineSeconds", x.active_deadline_seconds);
  v("dnsPolicy", x.dns_policy);
  v("nodeSelector", x.node_selector);
  v("serviceAccountName", x.service_account_name);
  v("serviceAccount", x.service_account);
  v("automountServiceAccountToken", x.automount_service_account_token);
  v("nodeName", x.node_name);
  v("hostNetwork", x.host_network);
  v("hostPID", x.host_pid);
  v("hostIPC", x.host_ipc);
  v("shareProcessNamespace", x.share_process_namespace);
  v("securityContext", x.security_context);
  v("imagePullSecrets", x.image_pull_secrets);
  v("hostname", x.hostname);
  v("subdomain", x.subdomain);
  v("affinity", x.affinity);
  v("schedulerName", x.scheduler_name);
  v("tolerations", x.tolerations);
  v("hostAliases", x.host_aliases);
  v("priorityClassName", x.priority_class_name);
  v("priority", x.priority);
  v("dnsConfig", x.dns_config);
  v("readinessGates", x.readiness_gates);
  v("runtimeClassName", x.runtime_class_name);
  v("enableServiceLinks", x.enable_service_links);
  v("preemptionPolicy", x.preemption_policy);
  v("overhead", x.overhead);
  v("topologySpreadConstraints", x.topology_spread_constraints);
  v("setHostnameAsFQDN", x.set_hostname_as_fqdn);
  v("os", x.os);
  v("hostUsers", x.host_users);
  v("schedulingGates", x.scheduling_gates);
  v("resourceClaims", x.resource_claims);
  v("resources", x.resources);
}

// -- PodStatus ---------------------------------------------------------------------

struct PodCondition {
  std::string type;    // PodScheduled, Initialized, ContainersReady, Ready, DisruptionTarget
  std::string status;  // True, False, Unknown
  Time last_probe_time;
  Time last_transition_time;
  std::string reason;
  std::string message;
  bool operator==(const PodCondition&) const = default;
};
template <class V>
void describe(V& v, PodCondition& x) {
  v("type", x.type, keep_zero);
  v("status", x.status, keep_zero);
  v("lastProbeTime", x.last_probe_time, keep_zero);
  v("lastTransitionTime", x.last_transition_time, keep_zero);
  v("reason", x.reason);
  v("message", x.message);
}

struct ContainerStateWaiting {
  std::string reason;
  std::string message;
  bool operator==(const ContainerStateWaiting&) const = default;
};
template <class V>
void describe(V& v, ContainerStateWaiting& x) {
  v("reason", x.reason);
  v("message", x.message);
}

struct ContainerStateRunning {
  Time started_at;
  bool operator==(const ContainerStateRunning&) const = default;
};
template <class V>
void describe(V& v, ContainerStateRunning& x) {
  v("startedAt", x.started_at, keep_zero);
}

struct ContainerStateTerminated {
  int32_t exit_code = 0;
  int32_t signal = 0;
  std::string reason;
  std::string message;
  Time started_at;
  Time finished_at;
  std::string container_id;
  bool operator==(const ContainerStateTerminated&) const = default;
};
template <class V>
void describe(V& v, ContainerStateTerminated& x) {
  v("exitCode", x.exit_code, keep_zero);
  v("signal", x.signal);
  v("reason", x.reason);
  v("message", x.message);
  v("startedAt", x.started_at, keep_zero);
  v("finishedAt", x.finished_at, keep_zero);
  v("containerID", x.container_id);
}

/// Exactly one state is set; the two large ones are boxed (see boxed.hpp), so the status of a
/// container holds only the one it is in.
struct ContainerState {
  Boxed<ContainerStateWaiting> waiting;
  std::optional<ContainerStateRunning> running;
  Boxed<ContainerStateTerminated> terminated;
  bool operator==(const ContainerState&) const = default;
};
template <class V>
void describe(V& v, ContainerState& x) {
  v("waiting", x.waiting);
  v("running", x.running);
  v("terminated", x.terminated);
}

struct ContainerStatus {
  std::string name;
  ContainerState state;
  ContainerState last_state;
  bool ready = false;
  int32_t restart_count = 0;
  std::string image;
  std::string image_id;
  std::string container_id;
  std::optional<bool> started;
  bool operator==(const ContainerStatus&) const = default;
};
template <class V>
void describe(V& v, ContainerStatus& x) {
  v("name", x.name, keep_zero);
  v("state", x.state, keep_zero);
  v("lastState", x.last_state, keep_zero);
  v("ready", x.ready, keep_zero);
  v("restartCount", x.restart_count, keep_zero);
  v("image", x.image, keep_zero);
  v("imageID", x.image_id, keep_zero);
  v("containerID", x.container_id);
  v("started", x.started);
}

struct PodIP {
  std::string ip;
  bool operator==(const PodIP&) const = default;
};
template <class V>
void describe(V& v, PodIP& x) {
  v("ip", x.ip);
}

struct PodStatus {
  std::string phase;  // Pending, Running, Succeeded, Failed, Unknown
  std::vector<PodCondition> conditions;
  std::string message;
  std::string reason;
  std::string nominated_node_name;
  std::string host_ip;
  std::string pod_ip;
  std::vector<PodIP> pod_ips;
  Time start_time;
  std::vector<ContainerStatus> init_container_statuses;
  std::vector<ContainerStatus> container_statuses;
  std::string qos_class;
  bool operator==(const PodStatus&) const = default;

  const PodCondition* condition(std::string_view type) const;
};
template <class V>
void describe(V& v, PodStatus& x) {
  v("phase", x.phase);
  v("conditions", x.conditions);
  v("message", x.message);
  v("reason", x.reason);
  v("nominatedNodeName", x.nominated_node_name);
  v("hostIP", x.host_ip);
  v("podIP", x.pod_ip);
  v("podIPs", x.pod_ips);
  v("startTime", x.start_time);
  v("initContainerStatuses", x.init_container_statuses);
  v("containerStatuses", x.container_statuses);
  v("qosClass", x.qos_class);
}

struct Pod : ObjectBase<Pod> {
  PodSpec spec;
  PodStatus status;
  static const TypeInfo& static_type();
  bool operator==(const Pod&) const = default;
};
template <class V>
void describe(V& v, Pod& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

/// Selectable fields: spec.nodeName, spec.restartPolicy, spec.schedulerName,
/// spec.serviceAccountName, status.phase, status.podIP, status.nominatedNodeName.
std::optional<std::string> field_value(const Pod& p, std::string_view field);

/// PodTemplateSpec, as controllers embed it.
struct PodTemplateSpec {
  ObjectMeta metadata;
  PodSpec spec;
  bool operator==(const PodTemplateSpec&) const = default;
};
template <class V>
void describe(V& v, PodTemplateSpec& x) {
  v("metadata", x.metadata);
  v("spec", x.spec);
}

}  // namespace kactor::api
