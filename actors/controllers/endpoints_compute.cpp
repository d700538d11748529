#include "actors/controllers/endpoints_compute.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

namespace kactor::actors::controllers {

namespace {

std::string protocol_or_tcp(const std::string& p) {
  return p.empty() ? "TCP" : p;
}

/// The pod's port for `sp`: a number as is, a name looked up in the containers.
std::optional<int32_t> resolve_port(const api::Pod& pod, const api::ServicePort& sp) {
  if (!sp.target_port.is_string)
    return sp.target_port.int_value != 0 ? sp.target_port.int_value : sp.port;
  for (auto& c : pod.spec.containers)
    for (auto& cp : c.ports)
      if (cp.name == sp.target_port.string_value &&
          protocol_or_tcp(cp.protocol) == protocol_or_tcp(sp.protocol))
        return cp.container_port;
  return std::nullopt;
}

auto port_tuple(const api::EndpointPort& p) {
  return std::tie(p.name, p.port, p.protocol);
}
bool port_less(const api::EndpointPort& a, const api::EndpointPort& b) {
  return port_tuple(a) < port_tuple(b);
}
bool address_less(const api::EndpointAddress& a, const api::EndpointAddress& b) {
  auto an = a.target_ref ? a.target_ref->name : std::string();
  auto bn = b.target_ref ? b.target_ref->name : std::string();
  return std::tie(a.ip, an) < std::tie(b.ip, bn);
}

}  // namespace

std::map<std::string, std::string> endpoints_labels(const api::Service& svc) {
  auto labels = svc.metadata.labels;
  if (svc.spec.cluster_ip == "None") labels["service.kubernetes.io/headless"] = "";
  return labels;
}

std::vector<api::EndpointSubset> compute_subsets(const api::Service& svc,
                                                 const std::vector<PodPtr>& pods) {
  bool publish = svc.spec.publish_not_ready_addresses;
  // Port set (sorted) → subset; std::map over the ports keeps the subsets in a stable order.
  std::map<std::vector<std::tuple<std::string, int32_t, std::string>>, api::EndpointSubset>
      by_ports;
  for (auto& pod : pods) {
    if (pod->status.pod_ip.empty() || is_terminal(*pod)) continue;
    if (pod->metadata.deletion_timestamp && !publish) continue;
    api::EndpointAddress addr;
    addr.ip = pod->status.pod_ip;
    if (!pod->spec.node_name.empty()) addr.node_name = pod->spec.node_name;
    api::ObjectReference ref;
    ref.kind = "Pod";
    ref.namespace_ = pod->metadata.namespace_;
    ref.name = pod->metadata.name;
    ref.uid = pod->metadata.uid;
    addr.target_ref = ref;
    std::vector<api::EndpointPort> ports;
    for (auto& sp : svc.spec.ports) {
      auto port = resolve_port(*pod, sp);
      if (!port) continue;  // this pod does not serve the named port
      api::EndpointPort ep;
      ep.name = sp.name;
      ep.port = *port;
      ep.protocol = protocol_or_tcp(sp.protocol);
      ep.app_protocol = sp.app_protocol;
      ports.push_back(ep);
    }
    // A pod serving none of a Service's ports contributes nothing (headless with no ports
    // still lists addresses).
    if (ports.empty() && !svc.spec.ports.empty()) continue;
    std::sort(ports.begin(), ports.end(), port_less);
    std::vector<std::tuple<std::string, int32_t, std::string>> sig;
    for (auto& p : ports) sig.emplace_back(p.name, p.port, p.protocol);
    auto& subset = by_ports[sig];
    subset.ports = ports;
    bool ready = publish || is_ready(*pod);
    (ready ? subset.addresses : subset.not_ready_addresses).push_back(std::move(addr));
  }
  std::vector<api::EndpointSubset> out;
  for (auto& [sig, subset] : by_ports) {
    std::sort(subset.addresses.begin(), subset.addresses.end(), address_less);
    std::sort(subset.not_ready_addresses.begin(), subset.not_ready_addresses.end(), address_less);
    out.push_back(std::move(subset));
  }
  return out;
}

}  // namespace kactor::actors::controllers
