// Service (a stable virtual IP and name for a set of pods) and Endpoints (the
// addresses behind it, kept by the endpoints controller).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/object.hpp"
#include "api/types/condition.hpp"

namespace kactor::api {

struct ServicePort {
  std::string name;
  std::string protocol;  // TCP (default), UDP, SCTP
  std::optional<std::string> app_protocol;
  int32_t port = 0;
  IntOrString target_port;  // defaults to `port`
  int32_t node_port = 0;
  bool operator==(const ServicePort&) const = default;
};
template <class V>
void describe(V& v, ServicePort& x) {
  v("name", x.name);
  v("protocol", x.protocol);
  v("appProtocol", x.app_protocol);
  v("port", x.port, keep_zero);
  v("targetPort", x.target_port);
  v("nodePort", x.node_port);
}

struct ClientIPConfig {
  std::optional<int32_t> timeout_seconds;  // 1..86400, default 10800
  bool operator==(const ClientIPConfig&) const = default;
};
template <class V>
void describe(V& v, ClientIPConfig& x) {
  v("timeoutSeconds", x.timeout_seconds);
}

struct SessionAffinityConfig {
  std::optional<ClientIPConfig> client_ip;
  bool operator==(const SessionAffinityConfig&) const = default;
};
template <class V>
void describe(V& v, SessionAffinityConfig& x) {
  v("clientIP", x.client_ip);
}

struct ServiceSpec {
  std::vector<ServicePort> ports;
  std::map<std::string, std::string> selector;
  std::string cluster_ip;  // "None" for a headless service
  std::vector<std::string> cluster_ips;
  std::string type;  // ClusterIP (default), NodePort, LoadBalancer, ExternalName
  std::vector<std::string> external_ips;
  std::string session_affinity;  // None (default), ClientIP
  std::string load_balancer_ip;
  std::vector<std::string> load_balancer_source_ranges;
  std::string external_name;
  std::string external_traffic_policy;  // Cluster, Local
  int32_t health_check_node_port = 0;
  bool publish_not_ready_addresses = false;
  std::optional<SessionAffinityConfig> session_affinity_config;
  std::vector<std::string> ip_families;         // IPv4, IPv6
  std::optional<std::string> ip_family_policy;  // SingleStack, PreferDualStack, RequireDualStack
  std::optional<bool> allocate_load_balancer_node_ports;
  std::optional<std::string> internal_traffic_policy;  // Cluster, Local
  /// The load-balancer implementation in charge; set: the service controller leaves the
  /// Service to that implementation (type LoadBalancer only, immutable once set).
  std::optional<std::string> load_balancer_class;
  bool operator==(const ServiceSpec&) const = default;
};
template <class V>
void describe(V& v, ServiceSpec& x) {
  v("ports", x.ports);
  v("selector", x.selector);
  v("clusterIP", x.cluster_ip);
  v("clusterIPs", x.cluster_ips);
  v("type", x.type);
  v("externalIPs", x.external_ips);
  v("sessionAffinity", x.session_affinity);
  v("loadBalancerIP", x.load_balancer_ip);
  v("loadBalancerSourceRanges", x.load_balancer_source_ranges);
  v("externalName", x.external_name);
  v("externalTrafficPolicy", x.external_traffic_policy);
  v("healthCheckNodePort", x.health_check_node_port);
  v("publishNotReadyAddresses", x.publish_not_ready_addresses);
  v("sessionAffinityConfig", x.session_affinity_config);
  v("ipFamilies", x.ip_families);
  v("ipFamilyPolicy", x.ip_family_policy);
  v("allocateLoadBalancerNodePorts", x.allocate_load_balancer_node_ports);
  v("internalTrafficPolicy", x.internal_traffic_policy);
  v("loadBalancerClass", x.load_balancer_class);
}

struct LoadBalancerIngress {
  std::string ip;
  std::string hostname;
  bool operator==(const LoadBalancerIngress&) const = default;
};
template <class V>
void describe(V& v, LoadBalancerIngress& x) {
  v("ip", x.ip);
  v("hostname", x.hostname);
}

struct LoadBalancerStatus {
  std::vector<LoadBalancerIngress> ingress;
  bool operator==(const LoadBalancerStatus&) const = default;
};
template <class V>
void describe(V& v, LoadBalancerStatus& x) {
  v("ingress", x.ingress);
}

struct ServiceStatus {
  LoadBalancerStatus load_balancer;
  std::vector<Condition> conditions;
  bool operator==(const ServiceStatus&) const = default;
};
template <class V>
void describe(V& v, ServiceStatus& x) {
  v("loadBalancer", x.load_balancer, keep_zero);
  v("conditions", x.conditions);
}

struct Service : ObjectBase<Service> {
  ServiceSpec spec;
  ServiceStatus status;
  static const TypeInfo& static_type();
  bool operator==(const Service&) const = default;
};
template <class V>
void describe(V& v, Service& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

/// Selectable fields: spec.clusterIP, spec.type.
std::optional<std::string> field_value(const Service& s, std::string_view field);

// -- Endpoints -------------------------------------------------------------------

struct EndpointAddress {
  std::string ip;
  std::string hostname;
  std::optional<std::string> node_name;
  std::optional<ObjectReference> target_ref;
  bool operator==(const EndpointAddress&) const = default;
};
template <class V>
void describe(V& v, EndpointAddress& x) {
  v("ip", x.ip, keep_zero);
  v("hostname", x.hostname);
  v("nodeName", x.node_name);
  v("targetRef", x.target_ref);
}

struct EndpointPort {
  std::string name;
  int32_t port = 0;
  std::string protocol;
  std::optional<std::string> app_protocol;
  bool operator==(const EndpointPort&) const = default;
};
template <class V>
void describe(V& v, EndpointPort& x) {
  v("name", x.name);
  v("port", x.port, keep_zero);
  v("protocol", x.protocol);
  v("appProtocol", x.app_protocol);
}

struct EndpointSubset {
  std::vector<EndpointAddress> addresses;
  std::vector<EndpointAddress> not_ready_addresses;
  std::vector<EndpointPort> ports;
  bool operator==(const EndpointSubset&) const = default;
};
template <class V>
void describe(V& v, EndpointSubset& x) {
  v("addresses", x.addresses);
  v("notReadyAddresses", x.not_ready_addresses);
  v("ports", x.ports);
}

/// No spec/status split: the whole object is written by the endpoints controller.
struct Endpoints : ObjectBase<Endpoints> {
  std::vector<EndpointSubset> subsets;
  static const TypeInfo& static_type();
  bool operator==(const Endpoints&) const = default;
};
template <class V>
void describe(V& v, Endpoints& x) {
  v("metadata", x.metadata, keep_zero);
  v("subsets", x.subsets);
}

}  // namespace kactor::api
