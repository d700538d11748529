// The simulated cloud: the default CloudProvider (cloud_provider.hpp), an actor that
// "provisions" load balancers by handing out addresses from a pool, after a latency on the
// Clock (so virtual time drives it), with failures injected on demand or at a seeded rate.
// It keys load balancers by load_balancer_name() (the Service's UID), and a new one takes
// the address the Service asks for (spec.loadBalancerIP) or already reports in
// status.loadBalancer.ingress when that address is free: so a Service keeps its address
// when the controller restarts, and when a whole cluster restarts (the simulated cloud's
// own state lives in memory only).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <caf/fwd.hpp>

#include "api/status.hpp"
#include "api/time/clock.hpp"
#include "api/util/random.hpp"

namespace kactor::cloud {

struct SimulatedCloudOptions {
  /// Where ingress addresses come from: every address of the CIDR but its network and
  /// broadcast address. 172.18.255.0/24 is outside kactor's service (10.96.0.0/12) and pod
  /// (10.244.0.0/16) ranges, in the range kind's docker network and MetalLB examples use.
  std::string pool = "172.18.255.0/24";
  /// How long every load-balancer call takes (on the Clock).
  Duration latency = std::chrono::seconds(1);
  /// The probability that a call fails (drawn from the seeded random stream); 0: never.
  double failure_rate = 0;
  /// The first `fail_next` calls fail (then messages can ask for more: messages.hpp).
  int32_t fail_next = 0;
};

/// One provisioned load balancer, as the simulated cloud holds it.
struct SimulatedLoadBalancer {
  std::string service;  // "namespace/name"
  std::string ip;
  std::vector<std::string> hosts;  // sorted
  bool operator==(const SimulatedLoadBalancer&) const = default;
};

/// A snapshot of the simulated cloud (for tests and diagnostics).
struct SimulatedCloudState {
  std::map<std::string, SimulatedLoadBalancer> load_balancers;  // by load-balancer name
  size_t free_addresses = 0;
  uint64_t calls = 0;   // load-balancer calls answered
  uint64_t failed = 0;  // of which failed
};

/// Spawns the simulated cloud. BadRequest naming the option when the pool or rates are bad.
api::Result<caf::actor> spawn_simulated_cloud(caf::actor_system& system, Clock& clock,
                                              Random random, SimulatedCloudOptions options);

}  // namespace kactor::cloud
