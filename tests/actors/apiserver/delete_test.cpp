// API server: graceful deletion, finalizers, preconditions, namespace lifecycle.
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

TEST_CASE("a pod on a node is deleted gracefully, then for good with grace 0",
          "[apiserver][delete]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_pod("default", "web")).has_value());
  REQUIRE(f.client->bind("default", "web", "node-1").has_value());
  const auto& pods = api::Pod::static_type();

  auto first = f.client->remove(pods, "default", "web");
  REQUIRE(first.has_value());
  CHECK((*first)->metadata.deletion_timestamp.has_value());
  CHECK((*first)->metadata.deletion_grace_period_seconds == 30);
  CHECK((*first)->metadata.deletion_timestamp->value == test_epoch() + std::chrono::seconds(30));
  REQUIRE(f.client->get<api::Pod>("default", "web").has_value());

  // The kubelet, once the containers stopped, deletes with grace 0.
  client::DeleteOptions now;
  now.grace_period_seconds = 0;
  REQUIRE(f.client->remove(pods, "default", "web", now).has_value());
  auto gone = f.client->get<api::Pod>("default", "web");
  REQUIRE_FALSE(gone.has_value());
  CHECK(gone.error().reason == "NotFound");
}

TEST_CASE("an unscheduled pod is deleted at once", "[apiserver][delete]") {
  ApiFixture f;
  REQUIRE(f.client->create(make_pod("default", "web")).has_value());
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "web").has_value());
  CHECK_FALSE(f.client->get<api::Pod>("default", "web").has_value());
}

TEST_CASE("finalizers hold an object until they are removed", "[apiserver][delete]") {
  ApiFixture f;
  api::ConfigMap cm;
  cm.metadata.namespace_ = "default";
  cm.metadata.name = "held";
  cm.metadata.finalizers = {"example.com/cleanup"};
  REQUIRE(f.client->create(cm).has_value());
  const auto& type = api::ConfigMap::static_type();

  auto deleting = f.client->remove(type, "default", "held");
  REQUIRE(deleting.has_value());
  CHECK((*deleting)->metadata.deletion_timestamp.has_value());
  auto still = f.client->get<api::ConfigMap>("default", "held");
  REQUIRE(still.has_value());

  auto released = **still;
  released.metadata.finalizers.clear();
  REQUIRE(f.client->update(released).has_value());
  CHECK_FALSE(f.client->get<api::ConfigMap>("default", "held").has_value());
}

TEST_CASE("delete preconditions and propagation policies", "[apiserver][delete]") {
  ApiFixture f;
  api::ConfigMap cm;
  cm.metadata.namespace_ = "default";
  cm.metadata.name = "c";
  auto created = f.client->create(cm);
  REQUIRE(created.has_value());
  const auto& type = api::ConfigMap::static_type();

  client::DeleteOptions wrong_uid;
  wrong_uid.precondition_uid = "not-the-uid";
  auto refused = f.client->remove(type, "default", "c", wrong_uid);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().reason == "Conflict");
  CHECK(refused.error().message ==
        "Operation cannot be fulfilled on configmaps \"c\": Precondition failed: UID in "
        "precondition: not-the-uid, UID in object meta: " +
            (*created)->metadata.uid);

  client::DeleteOptions orphan;
  orphan.propagation_policy = "Orphan";
  auto orphaning = f.client->remove(type, "default", "c", orphan);
  REQUIRE(orphaning.has_value());
  CHECK((*orphaning)->metadata.finalizers == std::vector<std::string>{"orphan"});
  CHECK((*orphaning)->metadata.deletion_timestamp.has_value());
}

TEST_CASE("namespace lifecycle: missing, Terminating, immortal", "[apiserver][namespace]") {
  ApiFixture f;
  auto in_missing = f.client->create(make_pod("nowhere", "web"));
  REQUIRE_FALSE(in_missing.has_value());
  CHECK(in_missing.error().code == 404);
  CHECK(in_missing.error().message == "namespaces \"nowhere\" not found");

  REQUIRE(f.client->create(make_namespace("team")).has_value());
  REQUIRE(f.client->create(make_pod("team", "before")).has_value());
  auto deleting = f.client->remove(api::Namespace::static_type(), "", "team");
  REQUIRE(deleting.has_value());
  auto ns = api::as<api::Namespace>(*deleting);
  CHECK(ns->status.phase == "Terminating");
  CHECK(ns->metadata.deletion_timestamp.has_value());
  CHECK(ns->spec.finalizers == std::vector<std::string>{"kubernetes"});

  auto refused = f.client->create(make_pod("team", "after"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 403);
  CHECK(refused.error().reason == "Forbidden");
  CHECK(refused.error().message ==
        "pods \"after\" is forbidden: unable to create new content in namespace team because it "
        "is being terminated");
  REQUIRE(refused.error().details.causes.size() == 1);
  CHECK(refused.error().details.causes[0].reason == "NamespaceTerminating");
  CHECK(refused.error().details.causes[0].field == "metadata.namespace");

  // Content may still be updated and deleted while the namespace terminates.
  REQUIRE(f.client->remove(api::Pod::static_type(), "team", "before").has_value());

  // Finalizing (what the namespace controller does last) removes the namespace.
  apiserver::Request fin;
  fin.verb = apiserver::Verb::finalize;
  fin.resource = "namespaces";
  fin.name = "team";
  auto empty = std::make_shared<api::Namespace>(*ns);
  empty->spec.finalizers.clear();
  fin.object = empty;
  auto finalized = f.client->call(fin);
  REQUIRE_FALSE(finalized.error.has_value());
  CHECK_FALSE(f.client->get<api::Namespace>("", "team").has_value());

  for (const char* immortal : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    auto r = f.client->remove(api::Namespace::static_type(), "", immortal);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == 403);
    CHECK(r.error().message ==
          "namespaces \"" + std::string(immortal) +
              "\" is forbidden: this namespace may not be deleted");
  }
}

TEST_CASE("garbage-collection finalizers: policy, a kind's default, and a second delete",
          "[apiserver][delete]") {
  ApiFixture f;
  const auto& cm_type = api::ConfigMap::static_type();
  auto finalizers_after = [&](const api::TypeInfo& type, const std::string& name,
                              const std::string& policy) {
    client::DeleteOptions options;
    options.propagation_policy = policy;
    auto r = f.client->remove(type, "default", name, options);
    REQUIRE(r.has_value());
    return (*r)->metadata.finalizers;
  };
  api::ConfigMap cm;
  cm.metadata.namespace_ = "default";
  cm.metadata.name = "c";
  cm.metadata.finalizers = {"example.com/keep"};
  REQUIRE(f.client->create(cm).has_value());
  CHECK(finalizers_after(cm_type, "c", "Foreground") ==
        std::vector<std::string>{"example.com/keep", "foregroundDeletion"});
  // Deleting again with another policy swaps the garbage-collection finalizer; without a
  // policy the one already there stays; Background drops it.
  CHECK(finalizers_after(cm_type, "c", "Orphan") ==
        std::vector<std::string>{"example.com/keep", "orphan"});
  CHECK(finalizers_after(cm_type, "c", "") == std::vector<std::string>{"example.com/keep", "orphan"});
  CHECK(finalizers_after(cm_type, "c", "Background") ==
        std::vector<std::string>{"example.com/keep"});

  // A core/v1 ReplicationController orphans its pods unless told otherwise (upstream keeps
  // that default for backward compatibility); a ReplicaSet does not.
  api::ReplicationController rc;
  rc.metadata.namespace_ = "default";
  rc.metadata.name = "rc";
  rc.spec.selector = {{"app", "x"}};
  rc.spec.template_.emplace();
  rc.spec.template_->metadata.labels = {{"app", "x"}};
  rc.spec.template_->spec = make_pod("default", "x").spec;
  REQUIRE(f.client->create(rc).has_value());
  CHECK(finalizers_after(api::ReplicationController::static_type(), "rc", "") ==
        std::vector<std::string>{"orphan"});
  CHECK(f.client->get<api::ReplicationController>("default", "rc").has_value());
}
