// Container and what it is made of: ports, environment, resources, probes, lifecycle
// hooks, mounts and devices (upstream core/v1 Container, EphemeralContainer and parts).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/describe.hpp"
#include "api/quantity/quantity.hpp"
#include "api/types/boxed.hpp"
#include "api/types/security_context.hpp"
#include "api/types/values.hpp"

namespace kactor::api {

// -- environment ---------------------------------------------------------------------

/// A field of the pod (metadata.name, status.podIP, ...) as an environment value.
struct ObjectFieldSelector {
  std::string api_version;  // defaulted to "v1"
  std::string field_path;
  bool operator==(const ObjectFieldSelector&) const = default;
};
template <class V>
void describe(V& v, ObjectFieldSelector& x) {
  v("apiVersion", x.api_version);
  v("fieldPath", x.field_path, keep_zero);
}

/// A container's resource request or limit (limits.cpu, ...) as an environment value.
struct ResourceFieldSelector {
  std::string container_name;
  std::string resource;
  std::optional<Quantity> divisor;
  bool operator==(const ResourceFieldSelector&) const = default;
};
template <class V>
void describe(V& v, ResourceFieldSelector& x) {
  v("containerName", x.container_name);
  v("resource", x.resource, keep_zero);
  v("divisor", x.divisor);
}

/// A key of a ConfigMap or Secret (configMapKeyRef / secretKeyRef).
struct KeySelector {
  std::string name;
  std::string key;
  std::optional<bool> optional;
  bool operator==(const KeySelector&) const = default;
};
template <class V>
void describe(V& v, KeySelector& x) {
  v("name", x.name);
  v("key", x.key, keep_zero);
  v("optional", x.optional);
}

struct EnvVarSource {
  std::optional<ObjectFieldSelector> field_ref;
  std::optional<ResourceFieldSelector> resource_field_ref;
  std::optional<KeySelector> config_map_key_ref;
  std::optional<KeySelector> secret_key_ref;
  bool operator==(const EnvVarSource&) const = default;
};
template <class V>
void describe(V& v, EnvVarSource& x) {
  v("fieldRef", x.field_ref);
  v("resourceFieldRef", x.resource_field_ref);
  v("configMapKeyRef", x.config_map_key_ref);
  v("secretKeyRef", x.secret_key_ref);
}

struct EnvVar {
  std::string name;
  std::string value;
  std::optional<EnvVarSource> value_from;
  bool operator==(const EnvVar&) const = default;
};
template <class V>
void describe(V& v, EnvVar& x) {
  v("name", x.name, keep_zero);
  v("value", x.value);
  v("valueFrom", x.value_from);
}

/// A whole ConfigMap or Secret as environment (configMapRef / secretRef).
struct EnvSourceRef {
  std::string name;
  std::optional<bool> optional;
  bool operator==(const EnvSourceRef&) const = default;
};
template <class V>
void describe(V& v, EnvSourceRef& x) {
  v("name", x.name);
  v("optional", x.optional);
}

struct EnvFromSource {
  std::string prefix;
  std::optional<EnvSourceRef> config_map_ref;
  std::optional<EnvSourceRef> secret_ref;
  bool operator==(const EnvFromSource&) const = default;
};
template <class V>
void describe(V& v, EnvFromSource& x) {
  v("prefix", x.prefix);
  v("configMapRef", x.config_map_ref);
  v("secretRef", x.secret_ref);
}

// -- ports and resources ---------------------------------------------------------------

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

/// A pod-level resource claim (spec.resourceClaims) a container uses, by name.
struct ResourceClaim {
  std::string name;
  std::string request;
  bool operator==(const ResourceClaim&) const = default;
};
template <class V>
void describe(V& v, ResourceClaim& x) {
  v("name", x.name, keep_zero);
  v("request", x.request);
}

struct ResourceRequirements {
  ResourceList limits;
  ResourceList requests;
  std::vector<ResourceClaim> claims;
  bool operator==(const ResourceRequirements&) const = default;
};
template <class V>
void describe(V& v, ResourceRequirements& x) {
  v("limits", x.limits);
  v("requests", x.requests);
  v("claims", x.claims);
}

/// How an in-place resize of one resource applies (InPlacePodVerticalScaling).
struct ContainerResizePolicy {
  std::string resource_name;
  std::string restart_policy;  // NotRequired, RestartContainer
  bool operator==(const ContainerResizePolicy&) const = default;
};
template <class V>
void describe(V& v, ContainerResizePolicy& x) {
  v("resourceName", x.resource_name, keep_zero);
  v("restartPolicy", x.restart_policy, keep_zero);
}

// -- probe and hook handlers -------------------------------------------------------------

struct ExecAction {
  std::vector<std::string> command;
  bool operator==(const ExecAction&) const = default;
};
template <class V>
void describe(V& v, ExecAction& x) {
  v("command", x.command);
}

struct HTTPHeader {
  std::string name;
  std::string value;
  bool operator==(const HTTPHeader&) const = default;
};
template <class V>
void describe(V& v, HTTPHeader& x) {
  v("name", x.name, keep_zero);
  v("value", x.value, keep_zero);
}

struct HTTPGetAction {
  std::string path;
  IntOrString port;
  std::string host;
  std::string scheme;
  std::vector<HTTPHeader> http_headers;
  bool operator==(const HTTPGetAction&) const = default;
};
template <class V>
void describe(V& v, HTTPGetAction& x) {
  v("path", x.path);
  v("port", x.port, keep_zero);
  v("host", x.host);
  v("scheme", x.scheme);
  v("httpHeaders", x.http_headers);
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

struct GRPCAction {
  int32_t port = 0;
  std::optional<std::string> service;
  bool operator==(const GRPCAction&) const = default;
};
template <class V>
void describe(V& v, GRPCAction& x) {
  v("port", x.port, keep_zero);
  v("service", x.service);
}

struct SleepAction {
  int64_t seconds = 0;
  bool operator==(const SleepAction&) const = default;
};
template <class V>
void describe(V& v, SleepAction& x) {
  v("seconds", x.seconds, keep_zero);
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
  std::optional<GRPCAction> grpc;
  bool operator==(const Probe&) const = default;
};
template <class V>
void describe(V& v, Probe& x) {
  v("exec", x.exec);
  v("httpGet", x.http_get);
  v("tcpSocket", x.tcp_socket);
  v("grpc", x.grpc);
  v("initialDelaySeconds", x.initial_delay_seconds);
  v("timeoutSeconds", x.timeout_seconds);
  v("periodSeconds", x.period_seconds);
  v("successThreshold", x.success_threshold);
  v("failureThreshold", x.failure_threshold);
  v("terminationGracePeriodSeconds", x.termination_grace_period_seconds);
}

/// What a postStart or preStop hook does (exactly one handler).
struct LifecycleHandler {
  std::optional<ExecAction> exec;
  std::optional<HTTPGetAction> http_get;
  std::optional<TCPSocketAction> tcp_socket;
  std::optional<SleepAction> sleep;
  bool operator==(const LifecycleHandler&) const = default;
};
template <class V>
void describe(V& v, LifecycleHandler& x) {
  v("exec", x.exec);
  v("httpGet", x.http_get);
  v("tcpSocket", x.tcp_socket);
  v("sleep", x.sleep);
}

struct Lifecycle {
  std::optional<LifecycleHandler> post_start;
  std::optional<LifecycleHandler> pre_stop;
  bool operator==(const Lifecycle&) const = default;
};
template <class V>
void describe(V& v, Lifecycle& x) {
  v("postStart", x.post_start);
  v("preStop", x.pre_stop);
}

// -- mounts and devices ---------------------------------------------------------------

struct VolumeMount {
  std::string name;
  bool read_only = false;
  std::string mount_path;
  std::string sub_path;
  std::optional<std::string> recursive_read_only;  // Disabled, IfPossible, Enabled
  std::optional<std::string> mount_propagation;    // None, HostToContainer, Bidirectional
  std::string sub_path_expr;
  bool operator==(const VolumeMount&) const = default;
};
template <class V>
void describe(V& v, VolumeMount& x) {
  v("name", x.name, keep_zero);
  v("readOnly", x.read_only);
  v("recursiveReadOnly", x.recursive_read_only);
  v("mountPath", x.mount_path, keep_zero);
  v("subPath", x.sub_path);
  v("mountPropagation", x.mount_propagation);
  v("subPathExpr", x.sub_path_expr);
}

/// A raw block volume (volumeMode: Block) exposed as a device.
struct VolumeDevice {
  std::string name;
  std::string device_path;
  bool operator==(const VolumeDevice&) const = default;
};
template <class V>
void describe(V& v, VolumeDevice& x) {
  v("name", x.name, keep_zero);
  v("devicePath", x.device_path, keep_zero);
}

// -- the container ------------------------------------------------------------------------

// The five boxed fields are large and rarely set (see boxed.hpp).
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
  Boxed<Probe> liveness_probe;
  Boxed<Probe> readiness_probe;
  Boxed<Probe> startup_probe;
  std::string termination_message_path;
  std::string termination_message_policy;
  std::string image_pull_policy;
  std::vector<EnvFromSource> env_from;
  std::vector<ContainerResizePolicy> resize_policy;
  /// Only "Always", only for init containers: the init container is a sidecar.
  std::optional<std::string> restart_policy;
  std::vector<VolumeDevice> volume_devices;
  Boxed<Lifecycle> lifecycle;
  Boxed<SecurityContext> security_context;
  bool stdin_ = false;
  bool stdin_once = false;
  bool tty = false;
  bool operator==(const Container&) const = default;

  /// An init container that keeps running beside the app containers (restartPolicy Always).
  bool is_sidecar() const { return restart_policy == "Always"; }
};
template <class V>
void describe(V& v, Container& x) {
  v("name", x.name, keep_zero);
  v("image", x.image);
  v("command", x.command);
  v("args", x.args);
  v("workingDir", x.working_dir);
  v("ports", x.ports);
  v("envFrom", x.env_from);
  v("env", x.env);
  v("resources", x.resources, keep_zero);
  v("resizePolicy", x.resize_policy);
  v("restartPolicy", x.restart_policy);
  v("volumeMounts", x.volume_mounts);
  v("volumeDevices", x.volume_devices);
  v("livenessProbe", x.liveness_probe);
  v("readinessProbe", x.readiness_probe);
  v("startupProbe", x.startup_probe);
  v("lifecycle", x.lifecycle);
  v("terminationMessagePath", x.termination_message_path);
  v("terminationMessagePolicy", x.termination_message_policy);
  v("imagePullPolicy", x.image_pull_policy);
  v("securityContext", x.security_context);
  v("stdin", x.stdin_);
  v("stdinOnce", x.stdin_once);
  v("tty", x.tty);
}

/// A debugging container added to a running pod through the ephemeralcontainers
/// subresource (never on create). Its JSON is a Container's fields plus
/// targetContainerName, inline (upstream EphemeralContainerCommon).
struct EphemeralContainer {
  Container container;
  std::string target_container_name;
  bool operator==(const EphemeralContainer&) const = default;
};
template <class V>
void describe(V& v, EphemeralContainer& x) {
  describe(v, x.container);  // inline: the same JSON object
  v("targetContainerName", x.target_container_name);
}

}  // namespace kactor::api
