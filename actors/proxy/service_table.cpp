#include "actors/proxy/service_table.hpp"

#include <algorithm>

#include "api/types/service.hpp"

namespace kactor::proxy {

const char* to_string(ConnectError e) {
  switch (e) {
    case ConnectError::unknown_service:
      return "unknown service";
    case ConnectError::no_endpoints:
      return "no endpoints";
  }
  return "unknown service";
}

namespace {

/// A ready endpoint and the node its pod runs on ("" when the Endpoints do not say).
struct ReadyEndpoint {
  Backend backend;
  std::string node;
};

/// Ready endpoints for service port `sp`: every ready address of every subset whose port
/// has the service port's name (kube-proxy matches Endpoints ports by name) and protocol.
std::vector<ReadyEndpoint> ready_endpoints(const api::ServicePort& sp, const api::Endpoints* eps) {
  std::vector<ReadyEndpoint> out;
  if (!eps) return out;
  for (const auto& subset : eps->subsets)
    for (const auto& ep : subset.ports) {
      if (ep.name != sp.name || (ep.protocol.empty() ? "TCP" : ep.protocol) != sp.protocol)
        continue;
      for (const auto& a : subset.addresses)
        out.push_back(ReadyEndpoint{Backend{a.ip, ep.port}, a.node_name.value_or("")});
    }
  return out;
}

/// The backends of `ready`, only those on `node` when `local` (sorted, without repeats).
std::vector<Backend> backends(const std::vector<ReadyEndpoint>& ready, bool local,
                              const std::string& node) {
  std::vector<Backend> out;
  for (const auto& r : ready)
    if (!local || (!node.empty() && r.node == node)) out.push_back(r.backend);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

void ServiceTable::sync(const std::string& key, const api::Service* svc,
                        const api::Endpoints* eps) {
  std::erase_if(cluster_, [&](const auto& kv) { return kv.second.service_key == key; });
  std::erase_if(node_ports_, [&](const auto& kv) { return kv.second.service_key == key; });
  if (!svc) return;
  const auto& spec = svc->spec;
  // Headless and ExternalName services have no virtual IP: DNS answers for them.
  const bool has_ip =
      spec.type != "ExternalName" && !spec.cluster_ip.empty() && spec.cluster_ip != "None";
  const bool internal_local = spec.internal_traffic_policy.value_or("Cluster") == "Local";
  const bool external_local = spec.external_traffic_policy == "Local";
  // Addresses that outside clients reach the service at (besides NodePorts).
  std::vector<std::string> external_ips;
  if (has_ip) {
    for (const auto& ing : svc->status.load_balancer.ingress)
      if (!ing.ip.empty()) external_ips.push_back(ing.ip);
    for (const auto& ip : spec.external_ips) external_ips.push_back(ip);
  }
  for (const auto& sp : spec.ports) {
    Entry e;
    e.service_key = key;
    e.client_ip_affinity = spec.session_affinity == "ClientIP";
    int32_t timeout = 10800;
    if (spec.session_affinity_config && spec.session_affinity_config->client_ip &&
        spec.session_affinity_config->client_ip->timeout_seconds)
      timeout = *spec.session_affinity_config->client_ip->timeout_seconds;
    e.affinity_timeout = std::chrono::seconds(timeout);
    const auto ready = ready_endpoints(sp, eps);
    Entry external = e;
    e.endpoints = backends(ready, internal_local, node_name_);
    external.endpoints = backends(ready, external_local, node_name_);
    const std::string protocol = sp.protocol.empty() ? "TCP" : sp.protocol;
    if (has_ip) cluster_[ClusterKey{spec.cluster_ip, sp.port, protocol}] = e;
    for (const auto& ip : external_ips) cluster_[ClusterKey{ip, sp.port, protocol}] = external;
    if (sp.node_port != 0 && spec.type != "ExternalName")
      node_ports_[NodePortKey{sp.node_port, protocol}] = std::move(external);
  }
}

std::expected<Backend, ConnectError> ServiceTable::connect(const Connection& c, TimePoint now,
                                                           Random& random) {
  const std::string protocol = c.protocol.empty() ? "TCP" : c.protocol;
  if (c.node_port) {
    auto it = node_ports_.find(NodePortKey{c.port, protocol});
    if (it == node_ports_.end()) return std::unexpected(ConnectError::unknown_service);
    return pick(it->second, StickyKey{"nodeport", c.port, protocol, c.client_ip}, now, random);
  }
  auto it = cluster_.find(ClusterKey{c.service_ip, c.port, protocol});
  if (it == cluster_.end()) return std::unexpected(ConnectError::unknown_service);
  return pick(it->second, StickyKey{c.service_ip, c.port, protocol, c.client_ip}, now, random);
}

std::expected<Backend, ConnectError> ServiceTable::pick(const Entry& e, const StickyKey& sticky_key,
                                                        TimePoint now, Random& random) {
  const auto& eps = e.endpoints;
  if (eps.empty()) return std::unexpected(ConnectError::no_endpoints);
  if (e.client_ip_affinity) {
    auto it = sticky_.find(sticky_key);
    if (it != sticky_.end()) {
      bool still_ready = std::binary_search(eps.begin(), eps.end(), it->second.backend);
      if (still_ready && now - it->second.last_used <= e.affinity_timeout) {
        it->second.last_used = now;  // like iptables' recent --set: each use refreshes
        return it->second.backend;
      }
      sticky_.erase(it);
    }
  }
  // iptables: rule i of n matches with probability 1/(n-i); the last always matches.
  const size_t n = eps.size();
  size_t chosen = n - 1;
  for (size_t i = 0; i + 1 < n; ++i)
    if (random.uniform(n - i) == 0) {
      chosen = i;
      break;
    }
  if (e.client_ip_affinity) sticky_[sticky_key] = Sticky{eps[chosen], now};
  return eps[chosen];
}

std::vector<Backend> ServiceTable::endpoints(const std::string& service_ip, int32_t port,
                                             const std::string& protocol) const {
  auto it = cluster_.find(ClusterKey{service_ip, port, protocol});
  return it == cluster_.end() ? std::vector<Backend>{} : it->second.endpoints;
}

}  // namespace kactor::proxy
