#include "api/defaults/service_defaults.hpp"

#include "api/types/service_util.hpp"

namespace kactor::api {

void set_defaults(Service& svc) {
  auto& spec = svc.spec;
  if (spec.session_affinity.empty()) spec.session_affinity = "None";
  if (spec.session_affinity == "None") spec.session_affinity_config.reset();
  if (spec.session_affinity == "ClientIP") {
    auto& cfg = spec.session_affinity_config;
    if (!cfg || !cfg->client_ip || !cfg->client_ip->timeout_seconds)
      cfg = SessionAffinityConfig{ClientIPConfig{10800}};
  }
  if (spec.type.empty()) spec.type = "ClusterIP";
  for (auto& p : spec.ports) {
    if (p.protocol.empty()) p.protocol = "TCP";
    if (p.target_port.empty() || (p.target_port.is_string && p.target_port.string_value.empty()))
      p.target_port = IntOrString::from_int(p.port);
  }
  if (externally_accessible(svc) && spec.external_traffic_policy.empty())
    spec.external_traffic_policy = "Cluster";
  if (!spec.internal_traffic_policy &&
      (spec.type == "ClusterIP" || spec.type == "NodePort" || spec.type == "LoadBalancer"))
    spec.internal_traffic_policy = "Cluster";
  if (spec.type == "LoadBalancer" && !spec.allocate_load_balancer_node_ports)
    spec.allocate_load_balancer_node_ports = true;
  if (spec.type != "ExternalName") {
    if (spec.cluster_ips.empty() && !spec.cluster_ip.empty()) spec.cluster_ips = {spec.cluster_ip};
    if (spec.cluster_ip.empty() && !spec.cluster_ips.empty()) spec.cluster_ip = spec.cluster_ips[0];
  }
}

void set_defaults(Endpoints& ep) {
  for (auto& ss : ep.subsets)
    for (auto& p : ss.ports)
      if (p.protocol.empty()) p.protocol = "TCP";
}

}  // namespace kactor::api
