// Services (NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE; wide: SELECTOR) and Endpoints
// (NAME ENDPOINTS AGE).
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "actors/http/tables/format.hpp"
#include "actors/http/tables/printers.hpp"
#include "api/types/service.hpp"

namespace kactor::http::tables {

namespace {

/// "80/TCP,443:30443/TCP": port, NodePort when allocated, protocol.
std::string ports_string(const std::vector<api::ServicePort>& ports) {
  std::vector<std::string> pieces;
  for (const auto& p : ports)
    pieces.push_back(p.node_port > 0 ? fmt::format("{}:{}/{}", p.port, p.node_port, p.protocol)
                                     : fmt::format("{}/{}", p.port, p.protocol));
  return join(pieces, ",");
}

/// The load balancer's IPs (or host names), sorted and de-duplicated. The server prints wide,
/// so nothing is cut short.
std::string load_balancer_addresses(const api::LoadBalancerStatus& lb) {
  std::set<std::string> found;
  for (const auto& ingress : lb.ingress) {
    if (!ingress.ip.empty())
      found.insert(ingress.ip);
    else if (!ingress.hostname.empty())
      found.insert(ingress.hostname);
  }
  return join({found.begin(), found.end()}, ",");
}

std::string external_ip(const api::Service& svc) {
  const auto& type = svc.spec.type;
  const auto& external_ips = svc.spec.external_ips;
  if (type == "ClusterIP" || type == "NodePort")
    return external_ips.empty() ? "<none>" : join(external_ips, ",");
  if (type == "LoadBalancer") {
    auto lb = load_balancer_addresses(svc.status.load_balancer);
    if (!external_ips.empty())
      return lb.empty() ? join(external_ips, ",") : lb + "," + join(external_ips, ",");
    return lb.empty() ? "<pending>" : lb;  // no address from the cloud provider yet
  }
  if (type == "ExternalName") return svc.spec.external_name;
  return "<unknown>";
}

void print_service(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& svc = static_cast<const api::Service&>(object);
  std::string cluster_ip =
      svc.spec.cluster_ips.empty() ? svc.spec.cluster_ip : svc.spec.cluster_ips.front();
  if (cluster_ip.empty()) cluster_ip = "<none>";
  auto ports = ports_string(svc.spec.ports);
  row.cells = {svc.metadata.name,
               svc.spec.type,
               cluster_ip,
               external_ip(svc),
               ports.empty() ? "<none>" : ports,
               age(svc.metadata.creation_timestamp, now),
               format_labels(svc.spec.selector)};
}

/// Host ports of the ready addresses, at most three, then " + N more...".
std::string endpoints_string(const api::Endpoints& ep) {
  if (ep.subsets.empty()) return "<none>";
  constexpr size_t kMax = 3;
  std::vector<std::string> shown;
  size_t count = 0;
  bool more = false;
  auto add = [&](std::string text) {
    if (shown.size() == kMax)
      more = true;
    else
      shown.push_back(std::move(text));
  };
  for (const auto& subset : ep.subsets) {
    if (subset.ports.empty()) {  // a headless service may have no ports: addresses alone
      count += subset.addresses.size();
      for (const auto& a : subset.addresses) add(a.ip);
      continue;
    }
    for (const auto& port : subset.ports) {
      count += subset.addresses.size();
      for (const auto& a : subset.addresses) {
        // net.JoinHostPort brackets IPv6 addresses.
        const bool v6 = a.ip.find(':') != std::string::npos;
        add(v6 ? fmt::format("[{}]:{}", a.ip, port.port) : fmt::format("{}:{}", a.ip, port.port));
      }
    }
  }
  auto text = join(shown, ",");
  if (more) return fmt::format("{} + {} more...", text, count - kMax);
  return text.empty() ? "<none>" : text;
}

void print_endpoints(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& ep = static_cast<const api::Endpoints&>(object);
  row.cells = {ep.metadata.name, endpoints_string(ep), age(ep.metadata.creation_timestamp, now)};
}

}  // namespace

Printer service_printer() {
  return {{name_column(),
           {"Type", "string", "",
            "type determines how the Service is exposed: ClusterIP, NodePort, LoadBalancer or "
            "ExternalName."},
           {"Cluster-IP", "string", "", "clusterIP is the IP address of the service."},
           {"External-IP", "string", "",
            "externalIPs is a list of IP addresses for which nodes in the cluster will also "
            "accept traffic for this service."},
           {"Port(s)", "string", "", "The list of ports that are exposed by this service."},
           age_column(),
           {"Selector", "string", "",
            "Route service traffic to pods with label keys and values matching this selector.", 1}},
          &print_service};
}

Printer endpoints_printer() {
  return {{name_column(),
           {"Endpoints", "string", "", "The set of all endpoints is the union of all subsets."},
           age_column()},
          &print_endpoints};
}

}  // namespace kactor::http::tables
