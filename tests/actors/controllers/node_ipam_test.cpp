#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

api::Node node_with_cidr(const std::string& name, const std::string& cidr = "") {
  api::Node n;
  n.metadata.name = name;
  n.spec.pod_cidr = cidr;
  if (!cidr.empty()) n.spec.pod_cidrs = {cidr};
  return n;
}

std::map<std::string, std::string> node_cidrs(ControllerFixture& f) {
  std::map<std::string, std::string> out;
  for (auto& n : f.list<api::Node>()) out[n->metadata.name] = n->spec.pod_cidr;
  return out;
}

bool all_assigned(const std::map<std::string, std::string>& m, size_t n) {
  if (m.size() != n) return false;
  for (auto& [k, v] : m)
    if (v.empty()) return false;
  return true;
}

}  // namespace

TEST_CASE("node IPAM hands out unique /24s, keeps them across restarts and reuses freed ones",
          "[controllers][ipam]") {
  ControllerFixture f({"nodeipam"});
  // A node that already has a CIDR before the controller starts must keep it.
  REQUIRE(f.client->create(node_with_cidr("old", "10.244.0.0/24")).has_value());
  f.start();
  for (auto name : {"n1", "n2", "n3"}) REQUIRE(f.client->create(node_with_cidr(name)).has_value());
  REQUIRE(f.wait_until([&] { return all_assigned(node_cidrs(f), 4); }));
  auto cidrs = node_cidrs(f);
  CHECK(cidrs["old"] == "10.244.0.0/24");
  std::set<std::string> unique;
  for (auto& [k, v] : cidrs) {
    CHECK(v.ends_with("/24"));
    CHECK(v.starts_with("10.244."));
    unique.insert(v);
  }
  CHECK(unique.size() == 4);

  // Restart: the bitmap is rebuilt from the nodes, so new nodes get fresh CIDRs.
  f.stop();
  f.start();
  REQUIRE(f.client->create(node_with_cidr("n4")).has_value());
  REQUIRE(f.wait_until([&] { return all_assigned(node_cidrs(f), 5); }));
  auto after = node_cidrs(f);
  CHECK(!unique.contains(after["n4"]));

  // Reuse of a deleted node's CIDR needs the range exhausted (the scan is cyclic): next test.
}

TEST_CASE("node IPAM reuses released CIDRs and reports exhaustion", "[controllers][ipam]") {
  ControllerFixture f({"nodeipam"});
  f.options.cluster_cidr = "10.244.0.0/23";  // two /24s
  f.start();
  REQUIRE(f.client->create(node_with_cidr("a")).has_value());
  REQUIRE(f.client->create(node_with_cidr("b")).has_value());
  REQUIRE(f.wait_until([&] { return all_assigned(node_cidrs(f), 2); }));
  auto b_cidr = node_cidrs(f)["b"];
  REQUIRE(f.client->create(node_with_cidr("c")).has_value());
  // No CIDR left for c: a warning event is recorded on it.
  REQUIRE(f.wait_until(
      [&] {
        auto events = f.client->list(api::Event::static_type(), "default");
        if (!events) return false;
        for (auto& e : events->items)
          if (static_cast<const api::Event&>(*e).reason == "CIDRNotAvailable") return true;
        return false;
      },
      std::chrono::seconds(10), std::chrono::milliseconds(20)));
  CHECK(node_cidrs(f)["c"].empty());
  REQUIRE(f.client->remove(api::Node::static_type(), "", "b").has_value());
  // The retry is backed off in virtual time: advance until c gets b's CIDR.
  REQUIRE(f.wait_until(
      [&] {
        f.clock.advance(std::chrono::seconds(1));
        return node_cidrs(f)["c"] == b_cidr;
      },
      std::chrono::seconds(10), std::chrono::milliseconds(20)));
}
