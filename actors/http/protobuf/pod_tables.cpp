// Field tables of Pod and its parts (k8s.io/api/core/v1/generated.proto): what
// `kubectl run` and `kubectl create deployment|job|cronjob` fill in, and the common fields
// around them. Left out (no table, so refused under fieldValidation=Strict by number):
// volumes, security contexts, lifecycle hooks, affinity, topology spread, ephemeral
// containers, DNS config, resource claims and container statuses.
#include "actors/http/protobuf/detail/schema.hpp"

namespace kactor::http::protobuf::detail {

namespace {

// -- environment --

const Message& object_field_selector() {
  static constexpr Field fields[] = {
      value(1, "apiVersion", Type::string),
      value(2, "fieldPath", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ObjectFieldSelector", fields};
  return m;
}

const Message& resource_field_selector() {
  static constexpr Field fields[] = {
      value(1, "containerName", Type::string),
      value(2, "resource", Type::string),
      pointer(3, "divisor", Type::quantity),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ResourceFieldSelector", fields};
  return m;
}

/// ConfigMapKeySelector and SecretKeySelector have the same shape.
const Message& key_selector() {
  static constexpr Field fields[] = {
      inlined(1, &local_object_reference),
      value(2, "key", Type::string),
      pointer(3, "optional", Type::boolean),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ConfigMapKeySelector", fields};
  return m;
}

const Message& env_var_source() {
  static constexpr Field fields[] = {
      nested(1, "fieldRef", &object_field_selector),
      nested(2, "resourceFieldRef", &resource_field_selector),
      nested(3, "configMapKeyRef", &key_selector),
      nested(4, "secretKeyRef", &key_selector),
  };
  static constexpr Message m{"k8s.io.api.core.v1.EnvVarSource", fields};
  return m;
}

const Message& env_var() {
  static constexpr Field fields[] = {
      value(1, "name", Type::string),
      value(2, "value", Type::string),
      nested(3, "valueFrom", &env_var_source),
  };
  static constexpr Message m{"k8s.io.api.core.v1.EnvVar", fields};
  return m;
}

/// ConfigMapEnvSource and SecretEnvSource have the same shape.
const Message& env_source() {
  static constexpr Field fields[] = {
      inlined(1, &local_object_reference),
      pointer(2, "optional", Type::boolean),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ConfigMapEnvSource", fields};
  return m;
}

const Message& env_from_source() {
  static constexpr Field fields[] = {
      value(1, "prefix", Type::string),
      nested(2, "configMapRef", &env_source),
      nested(3, "secretRef", &env_source),
  };
  static constexpr Message m{"k8s.io.api.core.v1.EnvFromSource", fields};
  return m;
}

// -- resources, ports, mounts --

const Message& resource_claim() {
  static constexpr Field fields[] = {
      value(1, "name", Type::string),
      value(2, "request", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ResourceClaim", fields};
  return m;
}

const Message& resource_requirements() {
  static constexpr Field fields[] = {
      map(1, "limits", Type::quantity),
      map(2, "requests", Type::quantity),
      list(3, "claims", &resource_claim),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ResourceRequirements", fields};
  return m;
}

const Message& container_port() {
  static constexpr Field fields[] = {
      value(1, "name", Type::string),         value(2, "hostPort", Type::int32),
      value(3, "containerPort", Type::int32), value(4, "protocol", Type::string),
      value(5, "hostIP", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ContainerPort", fields};
  return m;
}

const Message& volume_mount() {
  static constexpr Field fields[] = {
      value(1, "name", Type::string),
      value(2, "readOnly", Type::boolean),
      value(3, "mountPath", Type::string),
      value(4, "subPath", Type::string),
      pointer(5, "mountPropagation", Type::string),
      value(6, "subPathExpr", Type::string),
      pointer(7, "recursiveReadOnly", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.VolumeMount", fields};
  return m;
}

const Message& volume_device() {
  static constexpr Field fields[] = {
      value(1, "name", Type::string),
      value(2, "devicePath", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.VolumeDevice", fields};
  return m;
}

const Message& container_resize_policy() {
  static constexpr Field fields[] = {
      value(1, "resourceName", Type::string),
      value(2, "restartPolicy", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ContainerResizePolicy", fields};
  return m;
}

// -- probes --

const Message& exec_action() {
  static constexpr Field fields[] = {list(1, "command", Type::string)};
  static constexpr Message m{"k8s.io.api.core.v1.ExecAction", fields};
  return m;
}

const Message& http_header() {
  static constexpr Field fields[] = {
      value(1, "name", Type::string),
      value(2, "value", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.HTTPHeader", fields};
  return m;
}

const Message& http_get_action() {
  static constexpr Field fields[] = {
      value(1, "path", Type::string),       value(2, "port", Type::int_or_string),
      value(3, "host", Type::string),       value(4, "scheme", Type::string),
      list(5, "httpHeaders", &http_header),
  };
  static constexpr Message m{"k8s.io.api.core.v1.HTTPGetAction", fields};
  return m;
}

const Message& tcp_socket_action() {
  static constexpr Field fields[] = {
      value(1, "port", Type::int_or_string),
      value(2, "host", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.TCPSocketAction", fields};
  return m;
}

const Message& grpc_action() {
  static constexpr Field fields[] = {
      value(1, "port", Type::int32),
      pointer(2, "service", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.GRPCAction", fields};
  return m;
}

const Message& probe_handler() {
  static constexpr Field fields[] = {
      nested(1, "exec", &exec_action),
      nested(2, "httpGet", &http_get_action),
      nested(3, "tcpSocket", &tcp_socket_action),
      nested(4, "grpc", &grpc_action),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ProbeHandler", fields};
  return m;
}

const Message& probe() {
  static constexpr Field fields[] = {
      inlined(1, &probe_handler),
      value(2, "initialDelaySeconds", Type::int32),
      value(3, "timeoutSeconds", Type::int32),
      value(4, "periodSeconds", Type::int32),
      value(5, "successThreshold", Type::int32),
      value(6, "failureThreshold", Type::int32),
      pointer(7, "terminationGracePeriodSeconds", Type::int64),
  };
  static constexpr Message m{"k8s.io.api.core.v1.Probe", fields};
  return m;
}

// -- the container and the pod --

const Message& container() {
  static constexpr Field fields[] = {
      value(1, "name", Type::string),
      value(2, "image", Type::string),
      list(3, "command", Type::string),
      list(4, "args", Type::string),
      value(5, "workingDir", Type::string),
      list(6, "ports", &container_port),
      list(7, "env", &env_var),
      nested(8, "resources", &resource_requirements),
      list(9, "volumeMounts", &volume_mount),
      nested(10, "livenessProbe", &probe),
      nested(11, "readinessProbe", &probe),
      value(13, "terminationMessagePath", Type::string),
      value(14, "imagePullPolicy", Type::string),
      value(16, "stdin", Type::boolean),
      value(17, "stdinOnce", Type::boolean),
      value(18, "tty", Type::boolean),
      list(19, "envFrom", &env_from_source),
      value(20, "terminationMessagePolicy", Type::string),
      list(21, "volumeDevices", &volume_device),
      nested(22, "startupProbe", &probe),
      list(23, "resizePolicy", &container_resize_policy),
      pointer(24, "restartPolicy", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.Container", fields};
  return m;
}

const Message& toleration() {
  static constexpr Field fields[] = {
      value(1, "key", Type::string),
      value(2, "operator", Type::string),
      value(3, "value", Type::string),
      value(4, "effect", Type::string),
      pointer(5, "tolerationSeconds", Type::int64),
  };
  static constexpr Message m{"k8s.io.api.core.v1.Toleration", fields};
  return m;
}

const Message& pod_spec() {
  static constexpr Field fields[] = {
      list(2, "containers", &container),
      value(3, "restartPolicy", Type::string),
      pointer(4, "terminationGracePeriodSeconds", Type::int64),
      pointer(5, "activeDeadlineSeconds", Type::int64),
      value(6, "dnsPolicy", Type::string),
      map(7, "nodeSelector", Type::string),
      value(8, "serviceAccountName", Type::string),
      value(9, "serviceAccount", Type::string),
      value(10, "nodeName", Type::string),
      value(11, "hostNetwork", Type::boolean),
      value(12, "hostPID", Type::boolean),
      value(13, "hostIPC", Type::boolean),
      list(15, "imagePullSecrets", &local_object_reference),
      value(16, "hostname", Type::string),
      value(17, "subdomain", Type::string),
      value(19, "schedulerName", Type::string),
      list(20, "initContainers", &container),
      pointer(21, "automountServiceAccountToken", Type::boolean),
      list(22, "tolerations", &toleration),
      value(24, "priorityClassName", Type::string),
      pointer(25, "priority", Type::int32),
      pointer(27, "shareProcessNamespace", Type::boolean),
      pointer(29, "runtimeClassName", Type::string),
      pointer(30, "enableServiceLinks", Type::boolean),
      pointer(31, "preemptionPolicy", Type::string),
      map(32, "overhead", Type::quantity),
      pointer(35, "setHostnameAsFQDN", Type::boolean),
      pointer(37, "hostUsers", Type::boolean),
  };
  static constexpr Message m{"k8s.io.api.core.v1.PodSpec", fields};
  return m;
}

const Message& pod_condition() {
  static constexpr Field fields[] = {
      value(1, "type", Type::string),        value(2, "status", Type::string),
      value(3, "lastProbeTime", Type::time), value(4, "lastTransitionTime", Type::time),
      value(5, "reason", Type::string),      value(6, "message", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.PodCondition", fields};
  return m;
}

/// PodIP and HostIP have the same shape.
const Message& pod_ip() {
  static constexpr Field fields[] = {value(1, "ip", Type::string)};
  static constexpr Message m{"k8s.io.api.core.v1.PodIP", fields};
  return m;
}

const Message& pod_status() {
  static constexpr Field fields[] = {
      value(1, "phase", Type::string),
      list(2, "conditions", &pod_condition),
      value(3, "message", Type::string),
      value(4, "reason", Type::string),
      value(5, "hostIP", Type::string),
      value(6, "podIP", Type::string),
      pointer(7, "startTime", Type::time),
      value(9, "qosClass", Type::string),
      value(11, "nominatedNodeName", Type::string),
      list(12, "podIPs", &pod_ip),
      list(16, "hostIPs", &pod_ip),
  };
  static constexpr Message m{"k8s.io.api.core.v1.PodStatus", fields};
  return m;
}

// -- ReplicationController --

const Message& replication_controller_spec() {
  static constexpr Field fields[] = {
      pointer(1, "replicas", Type::int32),
      map(2, "selector", Type::string),
      nested(3, "template", &pod_template_spec),
      value(4, "minReadySeconds", Type::int32),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ReplicationControllerSpec", fields};
  return m;
}

const Message& replication_controller_status() {
  static constexpr Field fields[] = {
      value(1, "replicas", Type::int32),           value(2, "fullyLabeledReplicas", Type::int32),
      value(3, "observedGeneration", Type::int64), value(4, "readyReplicas", Type::int32),
      value(5, "availableReplicas", Type::int32),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ReplicationControllerStatus", fields};
  return m;
}

}  // namespace

const Message& pod() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &pod_spec),
      nested(3, "status", &pod_status),
  };
  static constexpr Message m{"k8s.io.api.core.v1.Pod", fields};
  return m;
}

const Message& pod_template_spec() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &pod_spec),
  };
  static constexpr Message m{"k8s.io.api.core.v1.PodTemplateSpec", fields};
  return m;
}

const Message& replication_controller() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &replication_controller_spec),
      nested(3, "status", &replication_controller_status),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ReplicationController", fields};
  return m;
}

}  // namespace kactor::http::protobuf::detail
