// Field tables of core/v1 messages other than Pod's (k8s.io/api/core/v1/generated.proto).
#include "actors/http/protobuf/detail/schema.hpp"

namespace kactor::http::protobuf::detail {

namespace {

// -- Namespace --

const Message& namespace_spec() {
  static constexpr Field fields[] = {list(1, "finalizers", Type::string)};
  static constexpr Message m{"k8s.io.api.core.v1.NamespaceSpec", fields};
  return m;
}

const Message& namespace_condition() {
  static constexpr Field fields[] = {
      value(1, "type", Type::string),
      value(2, "status", Type::string),
      value(4, "lastTransitionTime", Type::time),
      value(5, "reason", Type::string),
      value(6, "message", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.NamespaceCondition", fields};
  return m;
}

const Message& namespace_status() {
  static constexpr Field fields[] = {
      value(1, "phase", Type::string),
      list(2, "conditions", &namespace_condition),
  };
  static constexpr Message m{"k8s.io.api.core.v1.NamespaceStatus", fields};
  return m;
}

// -- Service --

const Message& service_port() {
  static constexpr Field fields[] = {
      value(1, "name", Type::string),    value(2, "protocol", Type::string),
      value(3, "port", Type::int32),     value(4, "targetPort", Type::int_or_string),
      value(5, "nodePort", Type::int32), pointer(6, "appProtocol", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ServicePort", fields};
  return m;
}

const Message& client_ip_config() {
  static constexpr Field fields[] = {pointer(1, "timeoutSeconds", Type::int32)};
  static constexpr Message m{"k8s.io.api.core.v1.ClientIPConfig", fields};
  return m;
}

const Message& session_affinity_config() {
  static constexpr Field fields[] = {nested(1, "clientIP", &client_ip_config)};
  static constexpr Message m{"k8s.io.api.core.v1.SessionAffinityConfig", fields};
  return m;
}

const Message& service_spec() {
  static constexpr Field fields[] = {
      list(1, "ports", &service_port),
      map(2, "selector", Type::string),
      value(3, "clusterIP", Type::string),
      value(4, "type", Type::string),
      list(5, "externalIPs", Type::string),
      value(7, "sessionAffinity", Type::string),
      value(8, "loadBalancerIP", Type::string),
      list(9, "loadBalancerSourceRanges", Type::string),
      value(10, "externalName", Type::string),
      value(11, "externalTrafficPolicy", Type::string),
      value(12, "healthCheckNodePort", Type::int32),
      value(13, "publishNotReadyAddresses", Type::boolean),
      nested(14, "sessionAffinityConfig", &session_affinity_config),
      pointer(17, "ipFamilyPolicy", Type::string),
      list(18, "clusterIPs", Type::string),
      list(19, "ipFamilies", Type::string),
      pointer(20, "allocateLoadBalancerNodePorts", Type::boolean),
      pointer(21, "loadBalancerClass", Type::string),
      pointer(22, "internalTrafficPolicy", Type::string),
      pointer(23, "trafficDistribution", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ServiceSpec", fields};
  return m;
}

const Message& port_status() {
  static constexpr Field fields[] = {
      value(1, "port", Type::int32),
      value(2, "protocol", Type::string),
      pointer(3, "error", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.PortStatus", fields};
  return m;
}

const Message& load_balancer_ingress() {
  static constexpr Field fields[] = {
      value(1, "ip", Type::string),
      value(2, "hostname", Type::string),
      pointer(3, "ipMode", Type::string),
      list(4, "ports", &port_status),
  };
  static constexpr Message m{"k8s.io.api.core.v1.LoadBalancerIngress", fields};
  return m;
}

const Message& load_balancer_status() {
  static constexpr Field fields[] = {list(1, "ingress", &load_balancer_ingress)};
  static constexpr Message m{"k8s.io.api.core.v1.LoadBalancerStatus", fields};
  return m;
}

const Message& service_status() {
  static constexpr Field fields[] = {
      nested(1, "loadBalancer", &load_balancer_status),
      list(2, "conditions", &condition),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ServiceStatus", fields};
  return m;
}

// -- ResourceQuota --

const Message& scoped_resource_selector_requirement() {
  static constexpr Field fields[] = {
      value(1, "scopeName", Type::string),
      value(2, "operator", Type::string),
      list(3, "values", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ScopedResourceSelectorRequirement", fields};
  return m;
}

const Message& scope_selector() {
  static constexpr Field fields[] = {
      list(1, "matchExpressions", &scoped_resource_selector_requirement)};
  static constexpr Message m{"k8s.io.api.core.v1.ScopeSelector", fields};
  return m;
}

const Message& resource_quota_spec() {
  static constexpr Field fields[] = {
      map(1, "hard", Type::quantity),
      list(2, "scopes", Type::string),
      nested(3, "scopeSelector", &scope_selector),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ResourceQuotaSpec", fields};
  return m;
}

const Message& resource_quota_status() {
  static constexpr Field fields[] = {
      map(1, "hard", Type::quantity),
      map(2, "used", Type::quantity),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ResourceQuotaStatus", fields};
  return m;
}

}  // namespace

const Message& object_reference() {
  static constexpr Field fields[] = {
      value(1, "kind", Type::string),       value(2, "namespace", Type::string),
      value(3, "name", Type::string),       value(4, "uid", Type::string),
      value(5, "apiVersion", Type::string), value(6, "resourceVersion", Type::string),
      value(7, "fieldPath", Type::string),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ObjectReference", fields};
  return m;
}

const Message& local_object_reference() {
  static constexpr Field fields[] = {value(1, "name", Type::string)};
  static constexpr Message m{"k8s.io.api.core.v1.LocalObjectReference", fields};
  return m;
}

const Message& namespace_() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &namespace_spec),
      nested(3, "status", &namespace_status),
  };
  static constexpr Message m{"k8s.io.api.core.v1.Namespace", fields};
  return m;
}

const Message& config_map() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      map(2, "data", Type::string),
      map(3, "binaryData", Type::bytes),
      pointer(4, "immutable", Type::boolean),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ConfigMap", fields};
  return m;
}

const Message& secret() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),    map(2, "data", Type::bytes),
      value(3, "type", Type::string),         map(4, "stringData", Type::string),
      pointer(5, "immutable", Type::boolean),
  };
  static constexpr Message m{"k8s.io.api.core.v1.Secret", fields};
  return m;
}

const Message& service_account() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      list(2, "secrets", &object_reference),
      list(3, "imagePullSecrets", &local_object_reference),
      pointer(4, "automountServiceAccountToken", Type::boolean),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ServiceAccount", fields};
  return m;
}

const Message& service() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &service_spec),
      nested(3, "status", &service_status),
  };
  static constexpr Message m{"k8s.io.api.core.v1.Service", fields};
  return m;
}

const Message& resource_quota() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &resource_quota_spec),
      nested(3, "status", &resource_quota_status),
  };
  static constexpr Message m{"k8s.io.api.core.v1.ResourceQuota", fields};
  return m;
}

const Message& binding() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "target", &object_reference),
  };
  static constexpr Message m{"k8s.io.api.core.v1.Binding", fields};
  return m;
}

}  // namespace kactor::http::protobuf::detail
