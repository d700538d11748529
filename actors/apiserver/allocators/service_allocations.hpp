// The API server's Service allocations: which ClusterIPs and NodePorts are taken, and the
// hooks the Core calls on Service create/update/delete and at load. Free of CAF.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "actors/apiserver/allocators/options.hpp"
#include "actors/apiserver/allocators/range_allocators.hpp"
#include "api/object.hpp"
#include "api/status.hpp"
#include "api/util/random.hpp"

namespace kactor::api {
struct Service;
}

namespace kactor::apiserver {
class ObjectTables;
}

namespace kactor::apiserver::allocators {

/// ClusterIPs and NodePorts: what a Service holds, or what one request took.
struct Held {
  std::vector<std::string> ips;
  std::vector<int32_t> ports;
  bool empty() const { return ips.empty() && ports.empty(); }
};

/// What a Service holds from the allocators: its ClusterIPs (not "None"), the distinct
/// non-zero NodePorts of its ports, and its healthCheckNodePort.
Held held_by(const api::Service& svc);

/// Upstream's rules: a Service gets a ClusterIP unless it is headless or ExternalName, and
/// NodePorts when it is NodePort, or LoadBalancer with allocateLoadBalancerNodePorts.
bool needs_cluster_ip(const api::Service& svc);
bool allocates_node_ports(const api::Service& svc);
/// A LoadBalancer Service with externalTrafficPolicy Local gets a healthCheckNodePort from the
/// NodePort range: the load balancer asks it which nodes have endpoints.
bool needs_health_check_node_port(const api::Service& svc);

/// The allocator pair plus the Service-level rules. Every hook takes any object and
/// ignores everything but Services, so the Core calls them unconditionally.
class ServiceAllocations {
 public:
  /// Never fails: bad options are remembered and reported by restore() (so the API server
  /// refuses to start) and by every Service create.
  ServiceAllocations(const ServiceAllocatorOptions& options, Random random);

  /// At load: marks what every stored Service holds, so allocations survive restarts.
  /// Returns the options' error, if they were invalid.
  std::optional<api::Status> restore(const ObjectTables& tables);

  /// Before a create is stored: fills in and takes spec.clusterIP(s) (honouring a requested
  /// one) and the NodePorts. Returns what it took (to give back if the create does not
  /// happen); on error it has taken nothing.
  api::Result<Held> on_create(api::Object& obj);

  /// Before defaulting an update: an update that omits clusterIP(s), a port's nodePort or the
  /// healthCheckNodePort keeps the stored values (as upstream, for idempotent applies);
  /// NodePorts a type change makes unnecessary are dropped, and so is a healthCheckNodePort
  /// carried over to a Service that no longer needs one.
  void prepare_update(api::Object& next, const api::Object& old) const;
  /// After validating an update: takes what `next` needs beyond what `old` holds.
  api::Result<Held> on_update(api::Object& next, const api::Object& old);

  /// After an update is staged: gives back what `old` held and `now` does not.
  void release_difference(const api::Object& old, const api::Object& now);
  /// When an object is removed from the store: gives back everything it held.
  void on_removed(const api::Object& old);
  /// Gives back what a failed or dry-run request took.
  void release(const Held& held);

  /// For tests and diagnostics; null when the options were invalid.
  const IpAllocator* ips() const { return ips_ ? &*ips_ : nullptr; }
  const PortAllocator* ports() const { return ports_ ? &*ports_ : nullptr; }

 private:
  /// Takes the ClusterIP `svc` asks for, or a free one; records it in `taken`.
  std::optional<api::Status> take_cluster_ip(api::Service& svc, Held& taken);
  /// Takes NodePorts for every port that needs one; `owned` are ports the Service already
  /// holds (an update), which need no allocation.
  std::optional<api::Status> take_node_ports(api::Service& svc, const std::vector<int32_t>& owned,
                                             Held& taken);
  /// Takes the healthCheckNodePort `svc` asks for, or a free one, unless it is in `owned`.
  std::optional<api::Status> take_health_check_node_port(api::Service& svc,
                                                         const std::vector<int32_t>& owned,
                                                         Held& taken);

  std::optional<api::Status> error_;
  std::optional<IpAllocator> ips_;
  std::optional<PortAllocator> ports_;
  Random random_;
};

}  // namespace kactor::apiserver::allocators
