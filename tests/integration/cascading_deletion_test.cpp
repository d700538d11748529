// Cascading deletion and namespace deletion in a whole cluster: pods running on nodes go
// through their kubelets' graceful termination before their owner (foreground) or their
// namespace goes; orphaned pods keep running without an owner.
#include <catch2/catch.hpp>

#include "actors/client/blocking_client.hpp"
#include "tests/integration/cluster_support.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

std::string rc_manifest(const std::string& ns, const std::string& name, int replicas) {
  return "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: " + name +
         "\n  namespace: " + ns + "\nspec:\n  replicas: " + std::to_string(replicas) +
         "\n  selector:\n    app: " + name + "\n  template:\n    metadata:\n      labels:\n        app: " +
         name + "\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.25\n";
}

size_t pods_labelled(const std::vector<api::ObjectPtr>& objs, const std::string& app) {
  size_t n = 0;
  for (auto& o : objs)
    if (o->metadata.labels.count("app") && o->metadata.labels.at("app") == app) ++n;
  return n;
}

bool has(const std::vector<api::ObjectPtr>& objs, const std::string& name) {
  for (auto& o : objs)
    if (o->metadata.name == name) return true;
  return false;
}

client::DeleteOptions propagation(const std::string& policy) {
  client::DeleteOptions o;
  o.propagation_policy = policy;
  return o;
}

}  // namespace

TEST_CASE("foreground deletion of an RC: its running pods terminate first, and orphan keeps them",
          "[cluster][gc]") {
  auto started = Cluster::start(seeded_options());
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.apply(rc_manifest("default", "fg", 3) + "---\n" +
                        rc_manifest("default", "kept", 2))
              .has_value());
  REQUIRE(cluster.wait_for(
      api::Pod::static_type(),
      [](const auto& objs) {
        return running_pods(objs, "fg").size() == 3 && running_pods(objs, "kept").size() == 2;
      },
      kWait));

  auto r = cluster.client().remove(api::ReplicationController::static_type(), "default", "fg",
                                   propagation("Foreground"));
  REQUIRE(r.has_value());
  CHECK((*r)->metadata.finalizers == std::vector<std::string>{"foregroundDeletion"});
  // The RC is there as long as any of its pods is (each watched change is checked).
  bool rc_went_first = false;
  REQUIRE(cluster.wait_for(
      api::ReplicationController::static_type(),
      [&](const auto& rcs) {
        auto pods = cluster.client().list<api::Pod>("default");
        REQUIRE(pods.has_value());
        std::vector<api::ObjectPtr> objs(pods->items.begin(), pods->items.end());
        if (!has(rcs, "fg") && pods_labelled(objs, "fg") > 0) rc_went_first = true;
        return !has(rcs, "fg");
      },
      kWait));
  CHECK_FALSE(rc_went_first);
  auto after = cluster.client().list<api::Pod>("default");
  REQUIRE(after.has_value());
  CHECK(pods_labelled({after->items.begin(), after->items.end()}, "fg") == 0);

  // Orphan: the RC goes, its pods keep running, with no owner.
  REQUIRE(cluster.client()
              .remove(api::ReplicationController::static_type(), "default", "kept",
                      propagation("Orphan"))
              .has_value());
  REQUIRE(cluster.wait_for(
      api::ReplicationController::static_type(),
      [](const auto& rcs) { return !has(rcs, "kept"); }, kWait));
  auto pods = cluster.client().list<api::Pod>("default");
  REQUIRE(pods.has_value());
  auto kept = running_pods({pods->items.begin(), pods->items.end()}, "kept");
  REQUIRE(kept.size() == 2);
  for (auto& p : kept) CHECK(p->metadata.owner_references.empty());
}

TEST_CASE("a deleted namespace's running pods terminate through their kubelets, then it goes",
          "[cluster][namespace]") {
  auto options = seeded_options();
  options.nodes = 2;
  auto started = Cluster::start(options);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n").has_value());
  REQUIRE(cluster.apply(rc_manifest("team", "app", 4)).has_value());
  REQUIRE(cluster.apply("apiVersion: v1\nkind: Service\nmetadata:\n  name: app\n  namespace: team\n"
                        "spec:\n  selector:\n    app: app\n  ports:\n  - port: 80\n")
              .has_value());
  REQUIRE(cluster.wait_for(
      api::Pod::static_type(), [](const auto& objs) { return running_pods(objs, "app").size() == 4; },
      kWait));

  REQUIRE(cluster.client().remove(api::Namespace::static_type(), "", "team").has_value());
  // Pods were bound, so they were deleted gracefully: each was seen terminating.
  REQUIRE(cluster.wait_for(
      api::Namespace::static_type(), [](const auto& objs) { return !has(objs, "team"); }, kWait));
  for (const auto* t : {&api::Pod::static_type(), &api::Service::static_type(),
                        &api::Endpoints::static_type(),
                        &api::ReplicationController::static_type()}) {
    auto left = cluster.client().list(*t, "team");
    REQUIRE(left.has_value());
    INFO(t->resource);
    CHECK(left->items.empty());
  }
}
