// Cluster::stop_node: a node stops as a crashed machine would. Its kubelet and kube-proxy
// vanish, its lease is no longer renewed, and nothing is cleaned up for it.
#include <catch2/catch.hpp>

#include <caf/all.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "actors/client/blocking_client.hpp"
#include "actors/kubelet/kubelet.hpp"
#include "tests/integration/cluster_support.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

/// The renewTime of `node`'s heartbeat Lease, if it has one.
std::optional<TimePoint> renewed_at(const std::vector<api::ObjectPtr>& leases,
                                    const std::string& node) {
  for (auto& o : leases) {
    auto l = api::as<api::Lease>(o);
    if (l && l->metadata.namespace_ == kubelet::kNodeLeaseNamespace && l->metadata.name == node &&
        l->spec.renew_time)
      return l->spec.renew_time->value;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("a stopped node's kubelet and proxy end, and nothing is cleaned up", "[cluster]") {
  auto opts = seeded_options();
  // Heartbeats every 50 ms, so the other nodes' renewals show quickly that node-1's stopped.
  const auto lease_interval = 50ms;
  opts.node_lease_interval = lease_interval;
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.wait_nodes_ready(3, kWait));

  // A pod on the node to stop.
  api::Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = "on-node-1";
  pod.spec.node_name = "node-1";
  pod.spec.containers.push_back(api::Container{.name = "app", .image = "pause:3.9"});
  REQUIRE(cluster.client().create(pod).has_value());
  REQUIRE(wait_pod(cluster, "on-node-1", [](const api::Pod& p) {
    return p.status.phase == "Running" && !p.status.pod_ip.empty();
  }));
  auto running = cluster.client().get<api::Pod>("default", "on-node-1");
  REQUIRE(running.has_value());
  auto node_before = cluster.client().get<api::Node>("", "node-1");
  REQUIRE(node_before.has_value());
  REQUIRE_FALSE((*node_before)->spec.pod_cidr.empty());

  // Its kubelet and kube-proxy end.
  caf::actor kubelet = cluster.kubelet("node-1");
  caf::actor proxy = cluster.proxy("node-1");
  REQUIRE(kubelet);
  REQUIRE(proxy);
  caf::scoped_actor self{cluster.system()};
  self->monitor(kubelet);
  self->monitor(proxy);
  cluster.stop_node("node-1");
  std::set<caf::actor_addr> ended;
  bool timed_out = false;
  while (ended.size() < 2 && !timed_out)
    self->receive([&](caf::down_msg& down) { ended.insert(down.source); },
                  caf::after(kWait) >> [&] { timed_out = true; });
  CHECK(ended.count(kubelet.address()) == 1);
  CHECK(ended.count(proxy.address()) == 1);
  const auto stopped_at = cluster.clock().now();

  CHECK(cluster.node_names() == std::vector<std::string>{"node-0", "node-2"});
  CHECK_FALSE(cluster.kubelet("node-1"));
  CHECK_FALSE(cluster.proxy("node-1"));

  // No more heartbeats: the other nodes renew their leases a few times over, node-1's stays
  // where it was when its kubelet ended.
  const auto later = stopped_at + 3 * lease_interval;
  std::optional<TimePoint> last_renewal;
  REQUIRE(cluster.wait_for(
      api::Lease::static_type(),
      [&](const std::vector<api::ObjectPtr>& leases) {
        last_renewal = renewed_at(leases, "node-1");
        auto n0 = renewed_at(leases, "node-0");
        auto n2 = renewed_at(leases, "node-2");
        return n0 && n2 && *n0 > later && *n2 > later;
      },
      kWait));
  REQUIRE(last_renewal.has_value());
  CHECK(*last_renewal <= stopped_at);

  // Nothing is cleaned up: the Node keeps its subnet (and the Ready it last reported), the
  // pod stays bound to it, Running, with its address.
  auto node_after = cluster.client().get<api::Node>("", "node-1");
  REQUIRE(node_after.has_value());
  CHECK((*node_after)->spec.pod_cidr == (*node_before)->spec.pod_cidr);
  CHECK(count_ready_nodes({*node_after}) == 1);
  auto pod_after = cluster.client().get<api::Pod>("default", "on-node-1");
  REQUIRE(pod_after.has_value());
  CHECK((*pod_after)->metadata.deletion_timestamp == std::nullopt);
  CHECK((*pod_after)->spec.node_name == "node-1");
  CHECK((*pod_after)->status.phase == "Running");
  CHECK((*pod_after)->status.pod_ip == (*running)->status.pod_ip);

  // Stopping it again, or a node that never was, changes nothing.
  cluster.stop_node("node-1");
  cluster.stop_node("no-such-node");
  CHECK(cluster.node_names() == std::vector<std::string>{"node-0", "node-2"});
}

TEST_CASE("a stopped node started again under its name takes its Node and subnet back",
          "[cluster]") {
  auto opts = seeded_options();
  opts.nodes = 2;
  opts.cluster_cidr = "10.244.0.0/23";  // room for exactly these two nodes
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.wait_nodes_ready(2, kWait));
  auto before = cluster.client().get<api::Node>("", "node-1");
  REQUIRE(before.has_value());
  REQUIRE_FALSE((*before)->spec.pod_cidr.empty());

  cluster.stop_node("node-1");
  // Lease times are kept to the microsecond.
  const auto restarted_at = std::chrono::floor<std::chrono::microseconds>(cluster.clock().now());
  // The stopped node's Node still holds its subnet: a new node would find none left...
  auto other = cluster.add_node({.name = "node-9"});
  REQUIRE_FALSE(other.has_value());
  CHECK(other.error().details.causes.at(0).field == "clusterCIDR");
  // ...but the same node may come back.
  auto again = cluster.add_node({.name = "node-1"});
  REQUIRE(again.has_value());
  CHECK(cluster.node_names() == std::vector<std::string>{"node-0", "node-1"});
  REQUIRE(cluster.kubelet("node-1"));

  // Its new kubelet heartbeats again, under the same Node object with the same subnet.
  REQUIRE(cluster.wait_for(
      api::Lease::static_type(),
      [&](const std::vector<api::ObjectPtr>& leases) {
        auto renewed = renewed_at(leases, "node-1");
        return renewed && *renewed >= restarted_at;
      },
      kWait));
  auto after = cluster.client().get<api::Node>("", "node-1");
  REQUIRE(after.has_value());
  CHECK((*after)->metadata.uid == (*before)->metadata.uid);
  CHECK((*after)->spec.pod_cidr == (*before)->spec.pod_cidr);
}
