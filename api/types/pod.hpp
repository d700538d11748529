// Pod and the container, scheduling and status types it is made of.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/object.hpp"
#include "api/quantity/quantity.hpp"

namespace kactor::api {

struct EnvVar {
  std::string name;
  std::string value;
  bool operator==(const EnvVar&) const = default;
};
template <class V>
void describe(V& v, EnvVar& x) {
  v("name", x.name, keep_zero);
  v("value", x.value);
}

struct ContainerPort {
  std::string name;
  int32_t host_port = 0;
  int32_t container_port = 0;
  std::string protocol;  // TCP (default), UDP, SCTP
  std::string host_ip;
  bool operator==(const ContainerPort&) const = default;
};
template <class V>
void describe(V& v, ContainerPort& x) {
  v("name", x.name);
  v("hostPort", x.host_port);
  v("containerPort", x.container_port, keep_zero);
  v("protocol", x.protocol);
  v("hostIP", x.host_ip);
}

struct ResourceRequirements {
  ResourceList limits;
  ResourceList requests;
  bool operator==(const ResourceRequirements&) const = default;
};
template <class V>
void describe(V& v, ResourceRequirements& x) {
  v("limits", x.limits);
  v("requests", x.requests);
}

struct ExecAction {
  std::vector<std::string> command;
  bool operator==(const ExecAction&) const = default;
};
template <class V>
void describe(V& v, ExecAction& x) {
  v("command", x.command);
}

struct HTTPGetAction {
  std::string path;
  IntOrString port;
  std::string host;
  std::string scheme;
  bool operator==(const HTTPGetAction&) const = default;
};
template <class V>
void describe(V& v, HTTPGetAction& x) {
  v("path", x.path);
  v("port", x.port, keep_zero);
  v("host", x.host);
  v("scheme", x.scheme);
}

struct TCPSocketAction {
  IntOrString port;
  std::string host;
  bool operator==(const TCPSocketAction&) const = default;
};
template <class V>
void describe(V& v, TCPSocketAction& x) {
  v("port", x.port, keep_zero);
  v("host", x.host);
}

struct Probe {
  std::optional<ExecAction> exec;
  std::optional<HTTPGetAction> http_get;
  std::optional<TCPSocketAction> tcp_socket;
  int32_t initial_delay_seconds = 0;
  int32_t timeout_seconds = 0;
  int32_t period_seconds = 0;
  int32_t success_threshold = 0;
  int32_t failure_threshold = 0;
  std::optional<int64_t> termination_grace_period_seconds;
  bool operator==(const Probe&) const = default;
};
template <class V>
void describe(V& v, Probe& x) {
  v("exec", x.exec);
  v("httpGet", x.http_get);
  v("tcpSocket", x.tcp_socket);
  v("initialDelaySeconds", x.initial_delay_seconds);
  v("timeoutSeconds", x.timeout_seconds);
  v("periodSeconds", x.period_seconds);
  v("successThreshold", x.success_threshold);
  v("failureThreshold", x.failure_threshold);
  v("terminationGracePeriodSeconds", x.termination_grace_period_seconds);
}

struct VolumeMount {
  std::string name;
  bool read_only = false;
  std::string mount_path;
  std::string sub_path;
  bool operator==(const VolumeMount&) const = default;
};
template <class V>
void describe(V& v, VolumeMount& x) {
  v("name", x.name, keep_zero);
  v("readOnly", x.read_only);
  v("mountPath", x.mount_path, keep_zero);
  v("subPath", x.sub_path);
}

struct Container {
  std::string name;
  std::string image;
  std::vector<std::string> command;
  std::vector<std::string> args;
  std::string working_dir;
  std::vector<ContainerPort> ports;
  std::vector<EnvVar> env;
  ResourceRequirements resources;
  std::vector<VolumeMount> volume_mounts;
  std::optional<Probe> liveness_probe;
  std::optional<Probe> readiness_probe;
  std::optional<Probe> startup_probe;
  std::string termination_message_path;
  std::string termination_message_policy;
  std::string image_pull_policy;
  /// Init containers only: "Always" makes it a sidecar (started in order with the init
  /// containers, kept running beside the app containers). Empty: unset.
  std::string restart_policy;
  bool operator==(const Container&) const = default;
};
template <class V>
void describe(V& v, Container& x) {
  v("name", x.name, keep_zero);
  v("image", x.image);
  v("command", x.command);
  v("args", x.args);
  v("workingDir", x.working_dir);
  v("ports", x.ports);
  v("env", x.env);
  v("resources", x.resources, keep_zero);
  v("volumeMounts", x.volume_mounts);
  v("livenessProbe", x.liveness_probe);
  v("readinessProbe", x.readiness_probe);
  v("startupProbe", x.startup_probe);
  v("terminationMessagePath", x.termination_message_path);
  v("terminationMessagePolicy", x.termination_message_policy);
  v("imagePullPolicy", x.image_pull_policy);
  v("restartPolicy", x.restart_policy);
}

// -- scheduling constraints ----------------------------------------------------

struct NodeSelectorRequirement {
  std::string key;
  std::string operator_;  // In, NotIn, Exists, DoesNotExist, Gt, Lt
  std::vector<std::string> values;
  bool operator==(const NodeSelectorRequirement&) const = default;
};
template <class V>
void describe(V& v, NodeSelectorRequirement& x) {
  v("key", x.key, keep_zero);
  v("operator", x.operator_, keep_zero);
  v("values", x.values);
}

struct NodeSelectorTerm {
  std::vector<NodeSelectorRequirement> match_expressions;
  std::vector<NodeSelectorRequirement> match_fields;
  bool operator==(const NodeSelectorTerm&) const = default;
};
template <class V>
void describe(V& v, NodeSelectorTerm& x) {
  v("matchExpressions", x.match_expressions);
  v("matchFields", x.match_fields);
}

struct NodeSelector {
  std::vector<NodeSelectorTerm> node_selector_terms;
  bool operator==(const NodeSelector&) const = default;
};
template <class V>
void describe(V& v, NodeSelector& x) {
  v("nodeSelectorTerms", x.node_selector_terms, keep_zero);
}

struct PreferredSchedulingTerm {
  int32_t weight = 0;
  NodeSelectorTerm preference;
  bool operator==(const PreferredSchedulingTerm&) const = default;
};
template <class V>
void describe(V& v, PreferredSchedulingTerm& x) {
  v("weight", x.weight, keep_zero);
  v("preference", x.preference, keep_zero);
}

struct NodeAffinity {
  std::optional<NodeSelector> required_during_scheduling_ignored_during_execution;
  std::vector<PreferredSchedulingTerm> preferred_during_scheduling_ignored_during_execution;
  bool operator==(const NodeAffinity&) const = default;
};
template <class V>
void describe(V& v, NodeAffinity& x) {
  v("requiredDuringSchedulingIgnoredDuringExecution",
    x.required_during_scheduling_ignored_during_execution);
  v("preferredDuringSchedulingIgnoredDuringExecution",
    x.preferred_during_scheduling_ignored_during_execution);
}

struct PodAffinityTerm {
  std::optional<LabelSelector> label_selector;
  std::vector<std::string> namespaces;
  std::string topology_key;
  std::optional<LabelSelector> namespace_selector;
  bool operator==(const PodAffinityTerm&) const = default;
};
template <class V>
void describe(V& v, PodAffinityTerm& x) {
  v("labelSelector", x.label_selector);
  v("namespaces", x.namespaces);
  v("topologyKey", x.topology_key, keep_zero);
  v("namespaceSelector", x.namespace_selector);
}

struct WeightedPodAffinityTerm {
  int32_t weight = 0;
  PodAffinityTerm pod_affinity_term;
  bool operator==(const WeightedPodAffinityTerm&) const = default;
};
template <class V>
void describe(V& v, WeightedPodAffinityTerm& x) {
  v("weight", x.weight, keep_zero);
  v("podAffinityTerm", x.pod_affinity_term, keep_zero);
}

/// Used for both podAffinity and podAntiAffinity.
struct PodAffinity {
  std::vector<PodAffinityTerm> required_during_scheduling_ignored_during_execution;
  std::vector<WeightedPodAffinityTerm> preferred_during_scheduling_ignored_during_execution;
  bool operator==(const PodAffinity&) const = default;
};
template <class V>
void describe(V& v, PodAffinity& x) {
  v("requiredDuringSchedulingIgnoredDuringExecution",
    x.required_during_scheduling_ignored_during_execution);
  v("preferredDuringSchedulingIgnoredDuringExecution",
    x.preferred_during_scheduling_ignored_during_execution);
}

struct Affinity {
  std::optional<NodeAffinity> node_affinity;
  std::optional<PodAffinity> pod_affinity;
  std::optional<PodAffinity> pod_anti_affinity;
  bool operator==(const Affinity&) const = default;
};
template <class V>
void describe(V& v, Affinity& x) {
  v("nodeAffinity", x.node_affinity);
  v("podAffinity", x.pod_affinity);
  v("podAntiAffinity", x.pod_anti_affinity);
}

struct Toleration {
  std::string key;
  std::string operator_;  // Exists, Equal (default)
  std::string value;
  std::string effect;     // NoSchedule, PreferNoSchedule, NoExecute, "" = all
  std::optional<int64_t> toleration_seconds;
  bool operator==(const Toleration&) const = default;
};
template <class V>
void describe(V& v, Toleration& x) {
  v("key", x.key);
  v("operator", x.operator_);
  v("value", x.value);
  v("effect", x.effect);
  v("tolerationSeconds", x.toleration_seconds);
}

// -- volumes (the sources kactor understands) ------------------------------------

struct ConfigMapVolumeSource {
  std::string name;
  std::optional<bool> optional;
  bool operator==(const ConfigMapVolumeSource&) const = default;
};
template <class V>
void describe(V& v, ConfigMapVolumeSource& x) {
  v("name", x.name);
  v("optional", x.optional);
}

struct SecretVolumeSource {
  std::string secret_name;
  std::optional<bool> optional;
  bool operator==(const SecretVolumeSource&) const = default;
};
template <class V>
void describe(V& v, SecretVolumeSource& x) {
  v("secretName", x.secret_name);
  v("optional", x.optional);
}

struct EmptyDirVolumeSource {
  std::string medium;
  std::optional<Quantity> size_limit;
  bool operator==(const EmptyDirVolumeSource&) const = default;
};
template <class V>
void describe(V& v, EmptyDirVolumeSource& x) {
  v("medium", x.medium);
  v("sizeLimit", x.size_limit);
}

struct PersistentVolumeClaimVolumeSource {
  std::string claim_name;
  bool read_only = false;
  bool operator==(const PersistentVolumeClaimVolumeSource&) const = default;
};
template <class V>
void describe(V& v, PersistentVolumeClaimVolumeSource& x) {
  v("claimName", x.claim_name, keep_zero);
  v("readOnly", x.read_only);
}

struct HostPathVolumeSource {
  std::string path;
  std::string type;
  bool operator==(const HostPathVolumeSource&) const = default;
};
template <class V>
void describe(V& v, HostPathVolumeSource& x) {
  v("path", x.path, keep_zero);
  v("type", x.type);
}

struct Volume {
  std::string name;
  std::optional<EmptyDirVolumeSource> empty_dir;
  std::optional<ConfigMapVolumeSource> config_map;
  std::optional<SecretVolumeSource> secret;
  std::optional<PersistentVolumeClaimVolumeSource> persistent_volume_claim;
  std::optional<HostPathVolumeSource> host_path;
  bool operator==(const Volume&) const = default;
};
template <class V>
void describe(V& v, Volume& x) {
  v("name", x.name, keep_zero);
  v("emptyDir", x.empty_dir);
  v("configMap", x.config_map);
  v("secret", x.secret);
  v("persistentVolumeClaim", x.persistent_volume_claim);
  v("hostPath", x.host_path);
}

// -- PodSpec -----------------------------------------------------------------------

struct PodSpec {
  std::vector<Volume> volumes;
  std::vector<Container> init_containers;
  std::vector<Container> containers;
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
  std::optional<Affinity> affinity;
  std::string scheduler_name;
  std::vector<Toleration> tolerations;
  std::string priority_class_name;
  std::optional<int32_t> priority;
  std::string preemption_policy;  // PreemptLowerPriority (default), Never
  ResourceList overhead;
  bool operator==(const PodSpec&) const = default;
};
template <class V>
void describe(V& v, PodSpec& x) {
  v("volumes", x.volumes);
  v("initContainers", x.init_containers);
  v("containers", x.containers, keep_zero);
  v("restartPolicy", x.restart_policy);
  v("terminationGracePeriodSeconds", x.termination_grace_period_seconds);
  v("activeDeadlineSeconds", x.active_deadline_seconds);
  v("dnsPolicy", x.dns_policy);
  v("nodeSelector", x.node_selector);
  v("serviceAccountName", x.service_account_name);
  v("nodeName", x.node_name);
  v("hostNetwork", x.host_network);
  v("hostname", x.hostname);
  v("subdomain", x.subdomain);
  v("affinity", x.affinity);
  v("schedulerName", x.scheduler_name);
  v("tolerations", x.tolerations);
  v("priorityClassName", x.priority_class_name);
  v("priority", x.priority);
  v("preemptionPolicy", x.preemption_policy);
  v("overhead", x.overhead);
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

struct ContainerState {
  std::optional<ContainerStateWaiting> waiting;
  std::optional<ContainerStateRunning> running;
  std::optional<ContainerStateTerminated> terminated;
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
