// The pod network of a whole cluster: sized from the node count when none is given, and a
// given one too small for the nodes refused before anything starts.
#include <catch2/catch.hpp>

#include <set>

#include "actors/client/blocking_client.hpp"
#include "tests/integration/cluster_support.hpp"

using namespace kactor;
using namespace kactor::testing;

TEST_CASE("a cluster of more nodes than a /16 holds gets every node a subnet and Ready",
          "[cluster][pod_network]") {
  // 257 /24s: one more than 10.244.0.0/16 holds, so the default must grow to a /15.
  auto opts = seeded_options();
  opts.nodes = 257;
  opts.node_capacity = {{"pods", *api::Quantity::parse("10")}};
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  CHECK(cluster.cluster_cidr() == "10.244.0.0/15");
  REQUIRE(cluster.wait_nodes_ready(257, kWait));
  auto nodes = cluster.client().list<api::Node>();
  REQUIRE(nodes.has_value());
  std::set<std::string> subnets;
  for (auto& n : nodes->items) subnets.insert(n->spec.pod_cidr);
  CHECK(subnets.size() == 257);
  CHECK(subnets.count("") == 0);
}

TEST_CASE("a cluster whose pod network is too small for its nodes is refused",
          "[cluster][pod_network]") {
  auto opts = seeded_options();
  opts.nodes = 3;
  opts.cluster_cidr = "10.244.0.0/23";
  auto started = Cluster::start(opts);
  REQUIRE_FALSE(started.has_value());
  const auto& status = started.error();
  CHECK(status.reason == "BadRequest");
  REQUIRE(status.details.causes.size() == 1);
  CHECK(status.details.causes[0].field == "clusterCIDR");
  CHECK(status.message ==
        "clusterCIDR: Invalid value: \"10.244.0.0/23\": holds 2 node subnets (/24), fewer than "
        "the 3 nodes; a /22 or larger is needed");

  // The same check counts an explicit node list.
  opts.nodes = 1;
  opts.node_list = {{.name = "a"}, {.name = "b"}, {.name = "c"}};
  CHECK_FALSE(Cluster::start(opts).has_value());
}

TEST_CASE("a node the pod network has no subnet left for is refused", "[cluster][pod_network]") {
  auto opts = seeded_options();
  opts.nodes = 2;
  opts.cluster_cidr = "10.244.0.0/23";
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  auto added = cluster.add_node({});
  REQUIRE_FALSE(added.has_value());
  CHECK(added.error().details.causes.at(0).field == "clusterCIDR");
  CHECK_THAT(added.error().message, Catch::Contains("all its 2 node subnets are taken"));
  CHECK(cluster.node_names() == std::vector<std::string>{"node-0", "node-1"});
  REQUIRE(cluster.wait_nodes_ready(2, kWait));
}
