// The garbage collector against a real API server: background, foreground and orphan
// propagation, dangling and invalid owner references, for several kinds (pods of RCs,
// ConfigMaps owning ConfigMaps, a Node owning its Lease).
#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

api::OwnerReference ref_to(const api::Object& owner, std::optional<bool> block = std::nullopt) {
  api::OwnerReference r;
  r.api_version = owner.type().api_version();
  r.kind = owner.type().kind;
  r.name = owner.metadata.name;
  r.uid = owner.metadata.uid;
  r.block_owner_deletion = block;
  return r;
}

std::vector<std::shared_ptr<const api::Pod>> pods_of(ControllerFixture& f, const std::string& app) {
  std::vector<std::shared_ptr<const api::Pod>> out;
  for (auto& p : f.list<api::Pod>("default"))
    if (p->metadata.labels.count("app") && p->metadata.labels.at("app") == app) out.push_back(p);
  return out;
}

client::DeleteOptions propagation(const std::string& policy) {
  client::DeleteOptions o;
  o.propagation_policy = policy;
  return o;
}

bool exists(ControllerFixture& f, const api::TypeInfo& t, const std::string& ns,
            const std::string& name) {
  return f.client->get(t, ns, name).has_value();
}

}  // namespace

TEST_CASE("background: the pods of a deleted RC are deleted after it", "[controllers][gc]") {
  ControllerFixture f({"replicationcontroller", "garbagecollector"});
  f.start();
  REQUIRE(f.client->create(make_replication_controller("default", "web", 2, {{"app", "web"}})).has_value());
  REQUIRE(f.wait_until([&] { return pods_of(f, "web").size() == 2; }));
  REQUIRE(f.client
              ->remove(api::ReplicationController::static_type(), "default", "web",
                       propagation("Background"))
              .has_value());
  CHECK_FALSE(exists(f, api::ReplicationController::static_type(), "default", "web"));
  REQUIRE(f.wait_until([&] { return pods_of(f, "web").empty(); }));
}

TEST_CASE("orphan: the pods stay, without the reference, and so does a core/v1 RC's default",
          "[controllers][gc]") {
  ControllerFixture f({"replicationcontroller", "garbagecollector"});
  f.start();
  for (std::string policy : {"Orphan", ""}) {
    INFO("propagationPolicy=" << (policy.empty() ? "(none)" : policy));
    const std::string app = policy.empty() ? "default-policy" : "orphaned";
    REQUIRE(f.client->create(make_replication_controller("default", app, 2, {{"app", app}})).has_value());
    REQUIRE(f.wait_until([&] { return pods_of(f, app).size() == 2; }));
    auto r = f.client->remove(api::ReplicationController::static_type(), "default", app,
                              propagation(policy));
    REQUIRE(r.has_value());
    // Held by the orphan finalizer until the collector has released every pod.
    CHECK((*r)->metadata.finalizers == std::vector<std::string>{"orphan"});
    REQUIRE(f.wait_until(
        [&] { return !exists(f, api::ReplicationController::static_type(), "default", app); }));
    auto pods = pods_of(f, app);
    REQUIRE(pods.size() == 2);
    for (auto& p : pods) {
      CHECK(p->metadata.owner_references.empty());
      CHECK_FALSE(p->metadata.deletion_timestamp);
    }
  }
}

TEST_CASE("foreground: the owner waits for its blocking dependents", "[controllers][gc]") {
  ControllerFixture f({"garbagecollector"});
  f.start();
  auto owner = f.client->create(make_config_map("default", "owner"));
  REQUIRE(owner.has_value());
  // One dependent blocks the owner and is itself held by a finalizer; one does not block.
  auto held = make_config_map("default", "held");
  held.metadata.owner_references = {ref_to(**owner, true)};
  held.metadata.finalizers = {"example.com/hold"};
  REQUIRE(f.client->create(held).has_value());
  auto loose = make_config_map("default", "loose");
  loose.metadata.owner_references = {ref_to(**owner)};
  REQUIRE(f.client->create(loose).has_value());

  auto r = f.client->remove(api::ConfigMap::static_type(), "default", "owner",
                            propagation("Foreground"));
  REQUIRE(r.has_value());
  CHECK((*r)->metadata.deletion_timestamp.has_value());
  CHECK((*r)->metadata.finalizers == std::vector<std::string>{"foregroundDeletion"});

  // Both dependents are deleted; the held one stays terminating, and so does the owner.
  const auto& cm = api::ConfigMap::static_type();
  REQUIRE(f.wait_until([&] {
    auto h = f.client->get(cm, "default", "held");
    return !exists(f, cm, "default", "loose") && h && (*h)->metadata.deletion_timestamp;
  }));
  auto still = f.client->get(cm, "default", "owner");
  REQUIRE(still.has_value());
  CHECK((*still)->metadata.finalizers == std::vector<std::string>{"foregroundDeletion"});

  // Releasing the dependent's finalizer lets it go, and then the owner.
  REQUIRE(f.client
              ->patch(cm, "default", "held", "application/merge-patch+json",
                      R"({"metadata":{"finalizers":null}})")
              .has_value());
  REQUIRE(f.wait_until([&] { return !exists(f, cm, "default", "owner"); }));
  CHECK_FALSE(exists(f, cm, "default", "held"));
}

TEST_CASE("foreground: an RC's pods are deleted before it", "[controllers][gc]") {
  ControllerFixture f({"replicationcontroller", "garbagecollector"});
  f.start();
  REQUIRE(f.client->create(make_replication_controller("default", "fg", 3, {{"app", "fg"}})).has_value());
  REQUIRE(f.wait_until([&] { return pods_of(f, "fg").size() == 3; }));
  REQUIRE(f.client
              ->remove(api::ReplicationController::static_type(), "default", "fg",
                       propagation("Foreground"))
              .has_value());
  // Whenever the RC is seen gone, its pods are gone already.
  bool rc_gone_with_pods_left = false;
  REQUIRE(f.wait_until([&] {
    bool rc_gone = !exists(f, api::ReplicationController::static_type(), "default", "fg");
    bool pods_left = !pods_of(f, "fg").empty();
    if (rc_gone && pods_left) rc_gone_with_pods_left = true;
    return rc_gone && !pods_left;
  }));
  CHECK_FALSE(rc_gone_with_pods_left);
}

TEST_CASE("dangling owners: absent or another uid under the same name", "[controllers][gc]") {
  ControllerFixture f({"garbagecollector"});
  f.start();
  const auto& cm = api::ConfigMap::static_type();
  auto solid = f.client->create(make_config_map("default", "solid"));
  REQUIRE(solid.has_value());
  auto reused = f.client->create(make_config_map("default", "reused"));  // its uid is not the one referenced
  REQUIRE(reused.has_value());

  api::OwnerReference stale = ref_to(**reused);
  stale.uid = "00000000-0000-0000-0000-000000000000";
  auto orphan = make_config_map("default", "dangling-only");
  orphan.metadata.owner_references = {stale};
  REQUIRE(f.client->create(orphan).has_value());

  // With one solid owner left it stays, losing only the dangling reference.
  auto mixed = make_config_map("default", "mixed");
  api::OwnerReference absent = ref_to(**solid);
  absent.name = "never-existed";
  absent.uid = "11111111-1111-1111-1111-111111111111";
  mixed.metadata.owner_references = {ref_to(**solid), absent};
  REQUIRE(f.client->create(mixed).has_value());

  REQUIRE(f.wait_until([&] {
    auto m = f.client->get(cm, "default", "mixed");
    return !exists(f, cm, "default", "dangling-only") && m &&
           (*m)->metadata.owner_references.size() == 1;
  }));
  auto m = f.client->get(cm, "default", "mixed");
  REQUIRE(m.has_value());
  CHECK((*m)->metadata.owner_references[0].uid == (*solid)->metadata.uid);
  CHECK_FALSE((*m)->metadata.deletion_timestamp);
}

TEST_CASE("a Node's Lease goes with the Node, and a namespaced owner of a cluster-scoped object is "
          "invalid",
          "[controllers][gc]") {
  ControllerFixture f({"garbagecollector"});
  f.start();
  auto node = f.client->create(make_node("n1"));
  REQUIRE(node.has_value());
  api::Lease lease;
  lease.metadata.namespace_ = "kube-node-lease";
  lease.metadata.name = "n1";
  lease.metadata.owner_references = {ref_to(**node)};
  REQUIRE(f.client->create(lease).has_value());

  // A Namespace (cluster-scoped) claiming a ConfigMap (namespaced) as its owner.
  auto owner_cm = f.client->create(make_config_map("default", "would-be-owner"));
  REQUIRE(owner_cm.has_value());
  auto ns = make_namespace("claimed");
  ns.metadata.owner_references = {ref_to(**owner_cm)};
  REQUIRE(f.client->create(ns).has_value());

  REQUIRE(f.client->remove(api::Node::static_type(), "", "n1").has_value());
  REQUIRE(f.wait_until(
      [&] { return !exists(f, api::Lease::static_type(), "kube-node-lease", "n1"); }));

  // The invalid reference counts as absent: the namespace is deleted (Terminating, as any
  // namespace deletion), with a warning event.
  REQUIRE(f.wait_until([&] {
    auto n = f.client->get(api::Namespace::static_type(), "", "claimed");
    return !n || (*n)->metadata.deletion_timestamp;
  }));
  bool warned = false;
  REQUIRE(f.wait_until([&] {
    for (auto& e : f.list<api::Event>(""))
      if (e->reason == "OwnerRefInvalidNamespace" && e->involved_object.name == "claimed" &&
          e->message.find("does not exist in namespace \"\"") != std::string::npos)
        warned = true;
    return warned;
  }));
}
