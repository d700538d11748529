// The service account and node IPAM controllers, the CIDR bitmap, victim ranking and the
// manager's controller selection.
#include "actors/controllers/cidr_set.hpp"
#include "actors/controllers/pod_util.hpp"
#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using actors::controllers::CidrSet;

TEST_CASE("a default ServiceAccount appears in every namespace, and comes back",
          "[controllers][serviceaccount]") {
  ControllerFixture f({"serviceaccount"});
  f.start();
  REQUIRE(f.client->create(make_namespace("team-a")).has_value());
  auto has_default = [&](const std::string& ns) {
    return f.client->get<api::ServiceAccount>(ns, "default").has_value();
  };
  REQUIRE(f.wait_until([&] { return has_default("team-a") && has_default("default"); }));
  REQUIRE(f.client->remove(api::ServiceAccount::static_type(), "team-a", "default").has_value());
  REQUIRE(f.wait_until([&] { return has_default("team-a"); }));
}

TEST_CASE("the CIDR set scans cyclically and reports exhaustion", "[controllers][ipam]") {
  auto set = CidrSet::create("10.244.0.0/30", 31);
  REQUIRE(set.has_value());
  CHECK(*set->allocate() == "10.244.0.0/31");
  CHECK(*set->allocate() == "10.244.0.2/31");
  auto full = set->allocate();
  REQUIRE(!full.has_value());
  CHECK(full.error().message ==
        "CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted "
        "range");
  REQUIRE(set->release("10.244.0.0/31").has_value());
  CHECK(*set->allocate() == "10.244.0.0/31");
  CHECK(!set->occupy("10.245.0.0/31").has_value());
  CHECK(!CidrSet::create("10.244.0.0/16", 8).has_value());
  CHECK(!CidrSet::create("10.244.0/16", 24).has_value());
}

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

TEST_CASE("surplus pods are ranked as upstream", "[controllers][replication][ranking]") {
  using actors::controllers::PodPtr;
  auto pod = [](std::string name, std::string node, std::string phase, bool ready,
                int sec_created) {
    auto p = std::make_shared<api::Pod>(make_pod("default", name));
    p->spec.node_name = node;
    p->status.phase = phase;
    api::PodCondition c;
    c.type = "Ready";
    c.status = ready ? "True" : "False";
    p->status.conditions.push_back(c);
    p->metadata.creation_timestamp.value = test_epoch() + std::chrono::seconds(sec_created);
    return PodPtr(p);
  };
  auto costly = std::make_shared<api::Pod>(*pod("costly", "n1", "Running", true, 0));
  costly->metadata.annotations["controller.kubernetes.io/pod-deletion-cost"] = "100";
  std::vector<PodPtr> pods{
      pod("ready-old", "n2", "Running", true, 0),
      pod("ready-new", "n2", "Running", true, 5),
      PodPtr(costly),
      pod("pending", "n1", "Pending", false, 0),
      pod("unassigned", "", "Pending", false, 0),
      pod("not-ready", "n1", "Running", false, 0),
      pod("crowded", "n3", "Running", true, 0),
      pod("crowded2", "n3", "Running", true, 0),
      pod("crowded3", "n3", "Running", true, 0),
  };
  auto ranked = actors::controllers::rank_for_deletion(pods, pods);
  std::vector<std::string> names;
  for (auto& p : ranked) names.push_back(p->metadata.name);
  std::vector<std::string> want{"unassigned", "pending",   "not-ready", "crowded", "crowded2",
                                "crowded3",   "ready-new", "ready-old", "costly"};
  CHECK(names == want);
}

TEST_CASE("the manager rejects unknown controllers and honours -name", "[controllers]") {
  ControllerFixture f({"*", "-nodeipam"});
  f.start();
  std::set<std::string> names;
  for (auto& [n, a] : f.manager.controllers) names.insert(n);
  CHECK(!names.contains("nodeipam"));
  CHECK(names.contains("endpoints"));
  f.options.controllers = {"nope"};
  CHECK(!actors::controllers::spawn_controller_manager(f.ctx, f.options).has_value());
}
