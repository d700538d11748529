// The namespace controller against a real API server: a deleted namespace loses all its
// content, reports what remains in its conditions, and goes once the last finalizer does.
#include "actors/controllers/namespace_conditions.hpp"
#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

const api::NamespaceCondition* condition(const api::Namespace& ns, const std::string& type) {
  for (auto& c : ns.status.conditions)
    if (c.type == type) return &c;
  return nullptr;
}

template <class T>
T named(const std::string& ns, const std::string& name) {
  T obj;
  obj.metadata.namespace_ = ns;
  obj.metadata.name = name;
  return obj;
}

}  // namespace

TEST_CASE("a deleted namespace loses every kind of content, then goes once finalizers are done",
          "[controllers][namespace]") {
  ControllerFixture f({"namespace", "garbagecollector", "replicationcontroller"});
  f.start();
  const std::string ns = "doomed";
  REQUIRE(f.client->create(make_namespace(ns)).has_value());
  REQUIRE(f.client->create(make_pod(ns, "p1")).has_value());
  REQUIRE(f.client->create(api::testing::make_service(ns, "svc", {{"app", "x"}})).has_value());
  auto rc = named<api::ReplicationController>(ns, "rc");
  rc.spec.replicas = 2;
  rc.spec.selector = {{"app", "rc"}};
  api::PodTemplateSpec tpl;
  tpl.metadata.labels = {{"app", "rc"}};
  tpl.spec = make_pod(ns, "x").spec;
  rc.spec.template_ = tpl;
  REQUIRE(f.client->create(rc).has_value());
  REQUIRE(f.client->create(named<api::ConfigMap>(ns, "cm")).has_value());
  REQUIRE(f.client->create(named<api::Secret>(ns, "secret")).has_value());
  auto held = named<api::ConfigMap>(ns, "held");
  held.metadata.finalizers = {"example.com/hold"};
  REQUIRE(f.client->create(held).has_value());
  // Content of another namespace is not touched.
  REQUIRE(f.client->create(named<api::ConfigMap>("default", "bystander")).has_value());
  REQUIRE(f.wait_until([&] { return f.list<api::Pod>(ns).size() == 3; }));

  auto r = f.client->remove(api::Namespace::static_type(), "", ns);
  REQUIRE(r.has_value());
  CHECK(api::as<api::Namespace>(**r)->status.phase == "Terminating");

  // Everything but the held ConfigMap goes; the conditions say what holds the namespace.
  auto only_held_left = [&] {
    auto n = f.client->get<api::Namespace>("", ns);
    if (!n) return false;
    const auto* remaining = condition(**n, "NamespaceContentRemaining");
    const auto* finalizers = condition(**n, "NamespaceFinalizersRemaining");
    return f.list<api::Pod>(ns).empty() && f.list<api::Service>(ns).empty() &&
           f.list<api::ReplicationController>(ns).empty() && f.list<api::Secret>(ns).empty() &&
           f.list<api::ConfigMap>(ns).size() == 1 && remaining && remaining->status == "True" &&
           remaining->message == "Some resources are remaining: configmaps. has 1 resource instances" &&
           finalizers && finalizers->status == "True";
  };
  REQUIRE(f.wait_until(only_held_left));
  auto n = f.client->get<api::Namespace>("", ns);
  REQUIRE(n.has_value());
  CHECK(condition(**n, "NamespaceFinalizersRemaining")->message ==
        "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource "
        "instances");
  CHECK(condition(**n, "NamespaceFinalizersRemaining")->reason == "SomeFinalizersRemain");
  CHECK(condition(**n, "NamespaceDeletionContentFailure")->status == "False");
  CHECK((*n)->spec.finalizers == std::vector<std::string>{"kubernetes"});

  // Removing the finalizer lets the ConfigMap go, and then the namespace.
  REQUIRE(f.client
              ->patch(api::ConfigMap::static_type(), ns, "held", "application/merge-patch+json",
                      R"({"metadata":{"finalizers":null}})")
              .has_value());
  REQUIRE(f.wait_until([&] { return !f.client->get<api::Namespace>("", ns).has_value(); }));
  CHECK(f.client->get<api::ConfigMap>("default", "bystander").has_value());

  // Creating content in a namespace that is gone is refused (NotFound), as before.
  CHECK(f.client->create(named<api::ConfigMap>(ns, "late")).error().code == 404);
}

TEST_CASE("a deleted namespace loses its Events, which the controller does not watch",
          "[controllers][namespace]") {
  ControllerFixture f({"namespace"});
  f.start();
  const std::string ns = "noisy";
  REQUIRE(f.client->create(make_namespace(ns)).has_value());
  for (const char* name : {"a.1", "b.1"}) {
    auto e = named<api::Event>(ns, name);
    e.involved_object.kind = "Pod";
    e.involved_object.namespace_ = ns;
    e.involved_object.name = "a";
    e.reason = "Started";
    e.type = "Normal";
    REQUIRE(f.client->create(e).has_value());
  }
  REQUIRE(f.client->remove(api::Namespace::static_type(), "", ns).has_value());
  REQUIRE(f.wait_until([&] { return !f.client->get<api::Namespace>("", ns).has_value(); }));
  CHECK(f.list<api::Event>(ns).empty());
}

TEST_CASE("deletion conditions: upstream's reasons and messages, transitions kept",
          "[controllers][namespace]") {
  using actors::controllers::NamespaceDeletionReport;
  using actors::controllers::namespace_deletion_conditions;
  api::Time t1{TimePoint{std::chrono::seconds(100)}};
  api::Time t2{TimePoint{std::chrono::seconds(200)}};

  NamespaceDeletionReport busy;
  busy.remaining = {{"pods.", 3}, {"configmaps.", 1}};
  busy.finalizers = {{"example.com/a", 1}, {"example.com/b", 2}};
  auto first = namespace_deletion_conditions(busy, {}, t1);
  REQUIRE(first.size() == 5);
  api::Namespace ns;
  ns.status.conditions = first;
  CHECK(condition(ns, "NamespaceDeletionDiscoveryFailure")->reason == "ResourcesDiscovered");
  CHECK(condition(ns, "NamespaceContentRemaining")->message ==
        "Some resources are remaining: configmaps. has 1 resource instances, pods. has 3 "
        "resource instances");
  CHECK(condition(ns, "NamespaceFinalizersRemaining")->message ==
        "Some content in the namespace has finalizers remaining: example.com/a in 1 resource "
        "instances, example.com/b in 2 resource instances");

  NamespaceDeletionReport failed = busy;
  failed.errors = {"failed to delete pods. p: boom"};
  ns.status.conditions = namespace_deletion_conditions(failed, first, t2);
  const auto* content = condition(ns, "NamespaceDeletionContentFailure");
  CHECK(content->status == "True");
  CHECK(content->reason == "ContentDeletionFailed");
  CHECK(content->message ==
        "Failed to delete all resource types, 1 remaining: [failed to delete pods. p: boom]");
  CHECK(content->last_transition_time == t2);  // changed status
  // Unchanged status keeps its transition time.
  CHECK(condition(ns, "NamespaceContentRemaining")->last_transition_time == t1);

  auto done = namespace_deletion_conditions({}, ns.status.conditions, t2);
  ns.status.conditions = done;
  CHECK(condition(ns, "NamespaceContentRemaining")->status == "False");
  CHECK(condition(ns, "NamespaceContentRemaining")->reason == "ContentRemoved");
  CHECK(condition(ns, "NamespaceFinalizersRemaining")->reason == "ContentHasNoFinalizers");
  CHECK(condition(ns, "NamespaceDeletionContentFailure")->reason == "ContentDeleted");
}
