// Node defaulting (api/defaults/node_defaults.cpp).
#include "tests/api/support/manifests.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("node defaults as the API server fills them", "[defaults]") {
  auto node = load(R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},
    "spec":{"podCIDR":"10.244.0.0/24"},"status":{"capacity":{"cpu":"2"}}})");
  node->type().set_defaults(*node);
  CHECK(as<Node>(*node)->status.allocatable == as<Node>(*node)->status.capacity);
  CHECK(as<Node>(*node)->spec.pod_cidrs == std::vector<std::string>{"10.244.0.0/24"});
}
