// CPU that serving requests costs, for the simulated runtime: a client container whose
// command is a request loop to a Service (the HorizontalPodAutoscaler walkthrough's load
// generator, `while sleep 0.01; do wget -q -O- http://php-apache; done`) loads that Service's
// ready endpoints, and the kubelet running those pods charges the cpu to them
// (docs/kubelet.md, "Served requests"). Plain data, no CAF.
//
// The rule, kept small and stated so a reader can check the numbers:
// - a loop `while sleep S; do wget|curl ... http://HOST[:PORT][/PATH]; done` (in `sh -c`,
//   `bash -c` or the container's args) sends 1/S requests per second to the Service HOST
//   names (`name`, `name.namespace`, `name.namespace.svc[.cluster.local]`); no other form is
//   recognised (a command that merely mentions a URL sends nothing);
// - every request costs the serving container `cpu_per_request` of cpu time (6.5 ms by
//   default, calibrated so that the walkthrough ends where its documentation does: one load
//   generator asks 100 × 6.5 ms = 650m of the Service, which 7 replicas serve at ~46 % of
//   their 200m requests, within the HPA's tolerance of its 50 % target);
// - that demand is shared evenly among the Service's ready endpoints (kube-proxy picks one
//   at random per connection: evenly on average), charged to the container that declares the
//   endpoint's port (else the pod's first container), and capped at that container's cpu
//   limit (the cgroup throttles it; what is over the limit is not served faster);
// - only a running client that is not being deleted sends; the loop's own cpu is the
//   client's usage model as for any container.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/time/clock.hpp"
#include "api/types/pod.hpp"
#include "api/types/service.hpp"

namespace kactor::kubelet {

/// Servers known to use cpu only for requests: the walkthrough's `registry.k8s.io/hpa-example`
/// (php-apache computing square roots per request; also under its older k8s.gcr.io and
/// gcr.io/google_containers names). The usage model gives them kIdleServerMillicores when no
/// annotation says otherwise, instead of a fraction of their request, so that the HPA sees
/// them at 0 % without load, as the walkthrough shows.
bool idles_between_requests(const std::string& image);
inline constexpr int64_t kIdleServerMillicores = 1;

/// The index a process's shared pod cache files request-loop clients under (one value,
/// kRequestLoopClients), so a kubelet finds them without walking every pod.
inline constexpr const char* kRequestLoopIndex = "kactor.io/request-loop";
inline constexpr const char* kRequestLoopClients = "clients";

/// The index a process's shared Endpoints cache files each Endpoints object under, once for
/// every node named by one of its ready addresses: whether a node serves any Service. An
/// address that names no node but a pod (an Endpoints object written by hand) files it under
/// kAnyServingNode too, since that pod may run on any node ("*" is no node's name); one that
/// names neither (an external IP) is never charged, so it files nothing.
inline constexpr const char* kServingNodeIndex = "kactor.io/serving-node";
inline constexpr const char* kAnyServingNode = "*";

/// What one client container sends.
struct RequestLoop {
  std::string service;
  std::string namespace_;  // the Service's (the client's unless the host names one)
  double requests_per_second = 0;
  bool operator==(const RequestLoop&) const = default;
};

/// The request loop `container`'s command and args run, if they are one (see above).
std::optional<RequestLoop> request_loop(const api::Container& container,
                                        const std::string& pod_namespace);

/// Every request loop of `pod`'s containers.
std::vector<RequestLoop> request_loops(const api::Pod& pod);

/// A serving pod's share of the demand: cpu in nanocores, and the ports it was asked on.
struct ServedShare {
  uint64_t nano_cores = 0;
  std::vector<int32_t> ports;
};
/// By serving pod, "namespace/name".
using ServedDemand = std::map<std::string, ServedShare>;

/// The demand `clients` put on their Services' ready endpoints. `endpoints_of(ns, name)` is
/// the Service's Endpoints object, or nullptr.
template <class EndpointsOf>
ServedDemand served_demand(const std::vector<const api::Pod*>& clients,
                           EndpointsOf endpoints_of, Duration cpu_per_request);

/// The container of `pod` a share is charged to: the first one declaring one of `ports`,
/// else the first; -1 for a pod without containers.
int serving_container(const api::PodSpec& pod, const std::vector<int32_t>& ports);

/// Whether a pod sends its requests now: running, not being deleted.
bool sends_requests(const api::Pod& pod);

/// The nodes of `endpoints`' ready addresses, each once, and kAnyServingNode for addresses
/// that name a pod but no node (kServingNodeIndex's values).
std::vector<std::string> serving_nodes(const api::Endpoints& endpoints);

// -- implementation of the template --

void add_demand(ServedDemand& out, const api::Endpoints& endpoints, double nano_cores);

template <class EndpointsOf>
ServedDemand served_demand(const std::vector<const api::Pod*>& clients,
                           EndpointsOf endpoints_of, Duration cpu_per_request) {
  ServedDemand out;
  const double cost_ns = static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(cpu_per_request).count());
  for (const auto* pod : clients) {
    if (!sends_requests(*pod)) continue;
    for (const auto& loop : request_loops(*pod)) {
      const api::Endpoints* ep = endpoints_of(loop.namespace_, loop.service);
      // cpu-seconds per second, in nanocores: requests/s × cost.
      if (ep) add_demand(out, *ep, loop.requests_per_second * cost_ns);
    }
  }
  return out;
}

}  // namespace kactor::kubelet
