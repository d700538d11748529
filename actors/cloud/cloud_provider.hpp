// The cloud provider interface, in the shape of upstream's cloudprovider.LoadBalancer:
// get / ensure / update hosts / ensure deleted. A provider is an actor speaking the
// protocol below, so a slow cloud never blocks a CAF worker: the caller gets its answer
// as a response, in its own context, through `CloudProvider`. The simulated cloud
// (simulated_cloud.hpp) is the default; embedders and tests may spawn their own actor that
// answers the same messages (Zones and Instances are not part of it: nothing reads them).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "api/status.hpp"
#include "api/types/service.hpp"

namespace kactor::cloud {

/// What every load-balancer call carries (upstream passes clusterName, *v1.Service and
/// []*v1.Node).
struct LoadBalancerRequest {
  /// kube-controller-manager's --cluster-name ("kubernetes").
  std::string cluster_name = "kubernetes";
  std::shared_ptr<const api::Service> service;
  /// The nodes that should receive the load balancer's traffic (ensure and update only).
  std::vector<std::string> hosts;
};

/// A call's outcome: the load balancer's status (ensure; get when it exists), whether it
/// exists (get), or the cloud's error.
struct LoadBalancerReply {
  bool exists = false;
  api::LoadBalancerStatus status;
  std::optional<api::Status> error;
};

/// A cloud's error as a Status: 500 InternalError carrying the cloud's message as it is (the
/// service controller quotes it in its events, as upstream quotes the provider's error).
api::Status cloud_error(std::string message);

/// Upstream's cloudprovider.DefaultLoadBalancerName: "a" + the service's UID without dashes,
/// cut to 32 characters. Keyed by UID, a load balancer follows its Service object (a
/// Service deleted and recreated under the same name gets a new one).
std::string load_balancer_name(const api::Service& svc);

/// The caller's side of the protocol: each call sends one request and runs `done` with the
/// reply in the calling actor's context. A provider that does not answer within `timeout`
/// (or is gone) yields a reply carrying an error Status.
class CloudProvider {
 public:
  using Done = std::function<void(LoadBalancerReply)>;

  CloudProvider(caf::event_based_actor* self, caf::actor provider,
                std::chrono::milliseconds timeout = std::chrono::minutes(5));

  /// GetLoadBalancer: whether it exists, and its status.
  void get_load_balancer(LoadBalancerRequest req, Done done);
  /// EnsureLoadBalancer: creates or updates it for the service and hosts; its status.
  void ensure_load_balancer(LoadBalancerRequest req, Done done);
  /// UpdateLoadBalancer: only the hosts changed.
  void update_load_balancer(LoadBalancerRequest req, Done done);
  /// EnsureLoadBalancerDeleted: gone afterwards (no error if it never existed).
  void ensure_load_balancer_deleted(LoadBalancerRequest req, Done done);

 private:
  template <class Atom>
  void call(Atom atom, LoadBalancerRequest req, Done done);

  caf::event_based_actor* self_;
  caf::actor provider_;
  std::chrono::milliseconds timeout_;
};

}  // namespace kactor::cloud
