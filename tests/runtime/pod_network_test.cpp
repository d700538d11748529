// The pod network: the default sized from the node count, and the check of a given one.
#include <catch2/catch.hpp>

#include "api/net/ipv4.hpp"
#include "runtime/pod_network.hpp"

using namespace kactor;
using runtime::check_cluster_cidr;
using runtime::default_cluster_cidr;

namespace {

constexpr const char* kServices = "10.96.0.0/12";

/// The one cause of a refusal must name the field, so the user knows what to change.
void require_names_cluster_cidr(const api::Status& s) {
  CHECK(s.code == 400);
  CHECK(s.reason == "BadRequest");
  REQUIRE(s.details.causes.size() == 1);
  CHECK(s.details.causes[0].field == "clusterCIDR");
  CHECK(s.details.causes[0].reason == "FieldValueInvalid");
  CHECK(s.message.starts_with("clusterCIDR: Invalid value: "));
}

}  // namespace

TEST_CASE("the default pod network is 10.244.0.0/16 up to 256 nodes", "[pod_network]") {
  for (size_t nodes : {0, 1, 3, 255, 256}) {
    INFO(nodes << " nodes");
    CHECK(default_cluster_cidr(nodes, 24, kServices) == "10.244.0.0/16");
  }
}

TEST_CASE("the default pod network grows with the node count", "[pod_network]") {
  struct Case {
    size_t nodes;
    const char* cidr;
  };
  for (auto [nodes, cidr] :
       {Case{257, "10.244.0.0/15"}, Case{512, "10.244.0.0/15"}, Case{513, "10.244.0.0/14"},
        Case{1000, "10.244.0.0/14"}, Case{1025, "10.240.0.0/13"}, Case{4096, "10.240.0.0/12"},
        Case{5000, "10.224.0.0/11"}, Case{32768, "10.128.0.0/9"}}) {
    INFO(nodes << " nodes");
    CHECK(default_cluster_cidr(nodes, 24, kServices) == cidr);
  }
}

TEST_CASE("every default pod network holds its nodes, keeps 10.244.0.0/16, avoids services",
          "[pod_network]") {
  auto services = *api::net::parse_ipv4_network(kServices);
  auto small = *api::net::parse_ipv4_network(runtime::kDefaultClusterCidr);
  for (size_t nodes = 1; nodes <= 32768; nodes = nodes * 3 / 2 + 1) {
    INFO(nodes << " nodes");
    auto cidr = default_cluster_cidr(nodes, 24, kServices);
    REQUIRE(cidr.has_value());
    CHECK(runtime::node_subnets(*cidr, 24) >= nodes);
    CHECK(check_cluster_cidr(*cidr, nodes, 24, kServices).has_value());
    auto net = *api::net::parse_ipv4_network(*cidr);
    CHECK(net.contains(small.base));  // a grown cluster keeps its nodes' subnets
    CHECK_FALSE(net.contains(services.base));
    CHECK_FALSE(services.contains(net.base));
    CHECK(api::net::parse_ipv4_network("10.0.0.0/8")->contains(net.base));
  }
}

TEST_CASE("no default pod network holds more nodes than fit clear of the services",
          "[pod_network]") {
  // 32769 /24s need a /8: around 10.244.0.0 that is 10.0.0.0/8, which holds 10.96.0.0/12.
  auto overlapping = default_cluster_cidr(32769, 24, kServices);
  REQUIRE_FALSE(overlapping.has_value());
  require_names_cluster_cidr(overlapping.error());
  CHECK_THAT(
      overlapping.error().message,
      Catch::Contains("10.0.0.0/8") && Catch::Contains("overlap the service CIDR 10.96.0.0/12"));
  // With services elsewhere the /8 is fine.
  CHECK(default_cluster_cidr(32769, 24, "172.20.0.0/16") == "10.0.0.0/8");

  auto too_many = default_cluster_cidr(65537, 24, kServices);
  REQUIRE_FALSE(too_many.has_value());
  require_names_cluster_cidr(too_many.error());
  CHECK_THAT(too_many.error().message, Catch::Contains("at most 65536 nodes"));
}

TEST_CASE("a given pod network that holds the nodes is accepted", "[pod_network]") {
  CHECK(check_cluster_cidr("10.244.0.0/16", 256, 24, kServices).has_value());
  CHECK(check_cluster_cidr("10.128.0.0/14", 1000, 24, kServices).has_value());
  CHECK(check_cluster_cidr("10.244.0.0/24", 1, 24, kServices).has_value());
  // Host bits are dropped, as kube-controller-manager's --cluster-cidr does.
  CHECK(check_cluster_cidr("10.244.7.0/16", 3, 24, kServices).has_value());
  CHECK(runtime::pod_network_for("192.168.0.0/16", 3, 24, kServices) == "192.168.0.0/16");
  CHECK(runtime::pod_network_for("", 3, 24, kServices) == "10.244.0.0/16");
}

TEST_CASE("a given pod network too small for the nodes is refused, saying what fits",
          "[pod_network]") {
  auto r = check_cluster_cidr("10.244.0.0/16", 257, 24, kServices);
  REQUIRE_FALSE(r.has_value());
  require_names_cluster_cidr(r.error());
  CHECK(r.error().message ==
        "clusterCIDR: Invalid value: \"10.244.0.0/16\": holds 256 node subnets (/24), fewer "
        "than the 257 nodes; a /15 or larger is needed");
  auto via = runtime::pod_network_for("10.244.0.0/16", 1000, 24, kServices);
  REQUIRE_FALSE(via.has_value());
  CHECK_THAT(via.error().message, Catch::Contains("a /14 or larger"));
}

TEST_CASE("a given pod network that is not a usable IPv4 CIDR is refused", "[pod_network]") {
  struct Case {
    const char* cidr;
    const char* why;
  };
  for (auto [cidr, why] :
       {Case{"10.244.0.0", "must be an IPv4 CIDR"}, Case{"fd00::/64", "must be an IPv4 CIDR"},
        Case{"10.244.0.0/33", "must be an IPv4 CIDR"}, Case{"", "must be an IPv4 CIDR"},
        Case{"10.244.0.0/25", "smaller than one node subnet (/24)"},
        Case{"11.0.0.0/7", "more than the 65536 node subnets"},
        Case{"10.96.0.0/16", "overlaps the service CIDR 10.96.0.0/12"},
        Case{"10.0.0.0/8", "overlaps the service CIDR 10.96.0.0/12"}}) {
    INFO(cidr);
    auto r = check_cluster_cidr(cidr, 1, 24, kServices);
    REQUIRE_FALSE(r.has_value());
    require_names_cluster_cidr(r.error());
    CHECK_THAT(r.error().message, Catch::Contains(cidr) && Catch::Contains(why));
  }
}

TEST_CASE("node_subnets counts the node subnets of a pod network", "[pod_network]") {
  CHECK(runtime::node_subnets("10.244.0.0/16", 24) == 256);
  CHECK(runtime::node_subnets("10.244.0.0/23", 24) == 2);
  CHECK(runtime::node_subnets("10.244.0.0/24", 24) == 1);
  CHECK(runtime::node_subnets("10.244.0.0/25", 24) == 0);
  CHECK(runtime::node_subnets("nonsense", 24) == 0);
}
