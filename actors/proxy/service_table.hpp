// kube-proxy's view of the cluster, free of CAF: (service IP, port, protocol) and
// (node port, protocol) → ready endpoints, and the choice of one endpoint per connection
// with iptables' probabilities and ClientIP session affinity.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "api/time/clock.hpp"
#include "api/util/random.hpp"

namespace kactor::api {
struct Service;
struct Endpoints;
}  // namespace kactor::api

namespace kactor::proxy {

/// One connection attempt as a client pod (or, to a NodePort or load-balancer IP, an outside
/// client) makes it.
struct Connection {
  std::string client_ip;
  /// The service's ClusterIP, an address of its status.loadBalancer.ingress, or one of its
  /// externalIPs; ignored when `node_port` is set.
  std::string service_ip;
  /// The service port, or the NodePort when `node_port` is set.
  int32_t port = 0;
  std::string protocol = "TCP";
  bool node_port = false;
};

/// Where a connection ends up.
struct Backend {
  std::string ip;
  int32_t port = 0;
  std::string to_string() const { return ip + ":" + std::to_string(port); }
  auto operator<=>(const Backend&) const = default;
};

enum class ConnectError : uint8_t { unknown_service, no_endpoints };
/// "unknown service" / "no endpoints".
const char* to_string(ConnectError e);

/// Traffic to the cluster IP follows spec.internalTrafficPolicy; traffic from outside (to a
/// NodePort, a load-balancer IP or an external IP) follows spec.externalTrafficPolicy. Local
/// means only the endpoints on this proxy's own node (Endpoints addresses' nodeName), and
/// none there means the connection is dropped (no_endpoints), as upstream's rules do.
class ServiceTable {
 public:
  /// `node_name`: the node this table's proxy runs on (for the Local policies).
  explicit ServiceTable(std::string node_name = "") : node_name_(std::move(node_name)) {}

  /// Recomputes the entries of one service from its current Service and Endpoints
  /// (either may be null: deleted or not seen yet). `key` is "namespace/name".
  void sync(const std::string& key, const api::Service* svc, const api::Endpoints* eps);

  /// Picks the backend for `c` at time `now`: the client's sticky backend under ClientIP
  /// affinity (if still ready and used within the timeout), else endpoint i of n with
  /// probability 1/(n−i) in a fixed order, which is a uniform choice.
  std::expected<Backend, ConnectError> connect(const Connection& c, TimePoint now, Random& random);

  /// Ready endpoints of a service port (empty if unknown), for tests and diagnostics.
  std::vector<Backend> endpoints(const std::string& service_ip, int32_t port,
                                 const std::string& protocol) const;
  size_t size() const { return cluster_.size(); }

 private:
  struct Entry {
    std::string service_key;
    std::vector<Backend> endpoints;  // sorted, so choices are reproducible
    bool client_ip_affinity = false;
    Duration affinity_timeout{};
  };
  struct Sticky {
    Backend backend;
    TimePoint last_used;
  };
  using ClusterKey = std::tuple<std::string, int32_t, std::string>;  // ip, port, protocol
  using NodePortKey = std::pair<int32_t, std::string>;               // node port, protocol
  /// Affinity is per service port and client, as iptables' "recent" lists are.
  using StickyKey = std::tuple<std::string, int32_t, std::string, std::string>;

  std::expected<Backend, ConnectError> pick(const Entry& e, const StickyKey& sticky_key,
                                            TimePoint now, Random& random);

  std::map<ClusterKey, Entry> cluster_;
  std::map<NodePortKey, Entry> node_ports_;
  std::map<StickyKey, Sticky> sticky_;
  std::string node_name_;
};

}  // namespace kactor::proxy
