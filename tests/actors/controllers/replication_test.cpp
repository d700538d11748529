// The ReplicationController / ReplicaSet controller against a real API server; the tests
// play the kubelet (pod status) and the scheduler (binding) themselves.
#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

/// An RC selecting app=<name>; its pods carry tier=web too (a label the selector leaves out).
api::ReplicationController make_rc(const std::string& name, int replicas) {
  auto rc = make_replication_controller("default", name, replicas, {{"app", name}});
  rc.spec.template_->metadata.labels["tier"] = "web";
  return rc;
}

std::vector<std::shared_ptr<const api::Pod>> owned_by(ControllerFixture& f, const std::string& uid,
                                                      bool active_only = true) {
  std::vector<std::shared_ptr<const api::Pod>> out;
  for (auto& p : f.list<api::Pod>("default")) {
    auto* ref = p->metadata.controller_ref();
    if (!ref || ref->uid != uid) continue;
    if (active_only && p->metadata.deletion_timestamp) continue;
    out.push_back(p);
  }
  return out;
}

void set_replicas(ControllerFixture& f, const std::string& name, int n) {
  // The controller writes status concurrently: retry on a resourceVersion conflict.
  for (int attempt = 0; attempt < 20; ++attempt) {
    auto rc = f.client->get<api::ReplicationController>("default", name);
    REQUIRE(rc.has_value());
    auto copy = **rc;
    copy.spec.replicas = n;
    auto r = f.client->update(copy);
    if (r) return;
    REQUIRE(r.error().code == 409);
  }
  FAIL("could not update replicas");
}

}  // namespace

TEST_CASE("an RC creates its replicas with owner references and replaces lost pods",
          "[controllers][replication]") {
  ControllerFixture f({"replicationcontroller"});
  f.start();
  auto rc = f.client->create(make_rc("web", 3));
  REQUIRE(rc.has_value());
  auto uid = (*rc)->metadata.uid;
  REQUIRE(f.wait_until([&] { return owned_by(f, uid).size() == 3; }));
  for (auto& p : owned_by(f, uid)) {
    CHECK(p->metadata.name.starts_with("web-"));
    CHECK(p->metadata.labels.at("tier") == "web");
    auto* ref = p->metadata.controller_ref();
    REQUIRE(ref != nullptr);
    CHECK(ref->kind == "ReplicationController");
    CHECK(ref->api_version == "v1");
    CHECK(ref->name == "web");
    CHECK(ref->block_owner_deletion == std::optional<bool>(true));
  }
  auto victim = owned_by(f, uid)[0];
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", victim->metadata.name).has_value());
  REQUIRE(f.wait_until([&] {
    auto pods = owned_by(f, uid);
    return pods.size() == 3 && std::none_of(pods.begin(), pods.end(), [&](auto& p) {
             return p->metadata.name == victim->metadata.name;
           });
  }));
  // Status: 3 replicas, all fully labelled, none ready yet.
  REQUIRE(f.wait_until([&] {
    auto got = f.client->get<api::ReplicationController>("default", "web");
    return got && (*got)->status.replicas == 3 && (*got)->status.fully_labeled_replicas == 3 &&
           (*got)->status.observed_generation == (*got)->metadata.generation;
  }));
}

TEST_CASE("an RC scales up and down, deleting not-ready and unassigned pods first",
          "[controllers][replication]") {
  ControllerFixture f({"replicationcontroller"});
  f.start();
  auto rc = f.client->create(make_rc("web", 3));
  REQUIRE(rc.has_value());
  auto uid = (*rc)->metadata.uid;
  REQUIRE(f.wait_until([&] { return owned_by(f, uid).size() == 3; }));
  set_replicas(f, "web", 5);
  REQUIRE(f.wait_until([&] { return owned_by(f, uid).size() == 5; }));
  // Five pods: three bound and ready, one bound but not ready, one unassigned.
  auto pods = owned_by(f, uid);
  std::set<std::string> keep;
  for (int i = 0; i < 4; ++i) {
    REQUIRE(f.client->bind("default", pods[i]->metadata.name, "node-1").has_value());
    set_pod_running(*f.client, *pods[i], "10.0.0." + std::to_string(i + 1), i < 3, f.clock.now());
    if (i < 3) keep.insert(pods[i]->metadata.name);
  }
  REQUIRE(f.wait_until([&] {
    auto got = f.client->get<api::ReplicationController>("default", "web");
    return got && (*got)->status.ready_replicas == 3 && (*got)->status.available_replicas == 3;
  }));
  set_replicas(f, "web", 2);
  // Bound pods are deleted gracefully (they keep a deletionTimestamp), so wait on active ones.
  REQUIRE(f.wait_until([&] { return owned_by(f, uid).size() == 2; }));
  auto left = owned_by(f, uid);
  for (auto& p : left) CHECK(keep.contains(p->metadata.name));
  REQUIRE(f.wait_until([&] {
    auto got = f.client->get<api::ReplicationController>("default", "web");
    return got && (*got)->status.replicas == 2 && (*got)->status.ready_replicas == 2;
  }));
}

TEST_CASE("an RC adopts matching orphans and releases pods that stop matching",
          "[controllers][replication]") {
  ControllerFixture f({"replicationcontroller"});
  auto orphan = make_pod("default", "stray", {{"app", "web"}});
  REQUIRE(f.client->create(orphan).has_value());
  f.start();
  auto rc = f.client->create(make_rc("web", 2));
  REQUIRE(rc.has_value());
  auto uid = (*rc)->metadata.uid;
  REQUIRE(f.wait_until([&] { return owned_by(f, uid).size() == 2; }));
  auto stray = f.client->get<api::Pod>("default", "stray");
  REQUIRE(stray.has_value());
  REQUIRE((*stray)->metadata.controller_ref() != nullptr);
  CHECK((*stray)->metadata.controller_ref()->uid == uid);
  // The stray pod counts as one of the two (only one pod was created).
  CHECK(f.list<api::Pod>("default").size() == 2);

  // Relabelled: released, and a replacement created.
  auto relabel = **stray;
  relabel.metadata.labels["app"] = "other";
  REQUIRE(f.client->update(relabel).has_value());
  REQUIRE(f.wait_until([&] {
    auto s = f.client->get<api::Pod>("default", "stray");
    return s && (*s)->metadata.owner_references.empty() && owned_by(f, uid).size() == 2;
  }));
  CHECK(f.list<api::Pod>("default").size() == 3);
}

TEST_CASE("availableReplicas waits for minReadySeconds of virtual time",
          "[controllers][replication]") {
  ControllerFixture f({"replicationcontroller"});
  f.start();
  auto spec = make_rc("web", 1);
  spec.spec.min_ready_seconds = 30;
  auto rc = f.client->create(spec);
  REQUIRE(rc.has_value());
  auto uid = (*rc)->metadata.uid;
  REQUIRE(f.wait_until([&] { return owned_by(f, uid).size() == 1; }));
  set_pod_running(*f.client, *owned_by(f, uid)[0], "10.0.0.9", true, f.clock.now());
  auto status = [&] {
    auto got = f.client->get<api::ReplicationController>("default", "web");
    REQUIRE(got.has_value());
    return (*got)->status;
  };
  REQUIRE(f.wait_until([&] { return status().ready_replicas == 1; }));
  CHECK(status().available_replicas == 0);
  f.clock.advance(std::chrono::seconds(31));
  REQUIRE(f.wait_until([&] { return status().available_replicas == 1; }));
}

TEST_CASE("a ReplicaSet is handled by the same controller", "[controllers][replication]") {
  ControllerFixture f({"replicaset"});
  f.start();
  api::ReplicaSet rs;
  rs.metadata.namespace_ = "default";
  rs.metadata.name = "api";
  rs.spec.replicas = 2;
  rs.spec.selector = api::LabelSelector{{{"app", "api"}}, {}};
  rs.spec.template_.metadata.labels = {{"app", "api"}};
  rs.spec.template_.spec = make_pod("default", "x").spec;
  auto created = f.client->create(rs);
  REQUIRE(created.has_value());
  auto uid = (*created)->metadata.uid;
  REQUIRE(f.wait_until([&] { return owned_by(f, uid).size() == 2; }));
  auto* ref = owned_by(f, uid)[0]->metadata.controller_ref();
  CHECK(ref->kind == "ReplicaSet");
  CHECK(ref->api_version == "apps/v1");
}
