// The disruption controller as an actor: it keeps budgets' status from the pods and their
// controllers, frees evictions that did not happen after DeletionTimeout (virtual time) and
// reports SyncFailed when a percentage cannot be counted.
#include "actors/apiserver/protocol/eviction_request.hpp"
#include "actors/controllers/disruption_budget.hpp"
#include "api/types/eviction.hpp"
#include "tests/actors/controllers/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

const std::map<std::string, std::string> kWeb{{"app", "web"}};

api::PodDisruptionBudget make_budget(api::IntOrString min_available) {
  api::PodDisruptionBudget pdb;
  pdb.metadata.namespace_ = "default";
  pdb.metadata.name = "web";
  pdb.spec.min_available = std::move(min_available);
  pdb.spec.selector = api::LabelSelector{};
  pdb.spec.selector->match_labels = kWeb;
  return pdb;
}

/// A ready pod controlled by `owner` (a ReplicationController).
void ready_pod(ControllerFixture& f, const std::string& name, const api::ReplicationController* owner,
               const std::string& node = "") {
  auto p = make_pod("default", name, kWeb);
  p.spec.node_name = node;
  if (owner) {
    api::OwnerReference ref;
    ref.api_version = "v1";
    ref.kind = "ReplicationController";
    ref.name = owner->metadata.name;
    ref.uid = owner->metadata.uid;
    ref.controller = true;
    p.metadata.owner_references.push_back(ref);
  }
  auto created = f.client->create(p);
  REQUIRE(created.has_value());
  set_pod_running(*f.client, **created, "10.1.0.1", true, f.clock.now());
}

std::shared_ptr<const api::PodDisruptionBudget> budget(ControllerFixture& f) {
  auto r = f.client->get<api::PodDisruptionBudget>("default", "web");
  return r ? *r : nullptr;
}

bool status_is(ControllerFixture& f, int32_t expected, int32_t desired, int32_t healthy, int32_t allowed) {
  auto b = budget(f);
  return b && b->status.observed_generation == b->metadata.generation &&
         b->status.expected_pods == expected && b->status.desired_healthy == desired &&
         b->status.current_healthy == healthy && b->status.disruptions_allowed == allowed;
}

constexpr auto kPoll = std::chrono::milliseconds(50);

}  // namespace

TEST_CASE("disruption controller: a percentage of the controller's scale, kept as pods change",
          "[controllers][disruption]") {
  ControllerFixture f({"disruption"});
  f.start();
  // No replication controller runs here: the test makes the RC's pods itself.
  auto rc = f.client->create(api::testing::make_replication_controller("default", "web", 4, kWeb));
  REQUIRE(rc.has_value());
  for (auto name : {"web-1", "web-2", "web-3"}) ready_pod(f, name, rc->get());
  REQUIRE(f.client->create(make_budget(api::IntOrString::from_string("50%"))).has_value());

  // 3 of the RC's 4 replicas are ready; half of 4 must stay.
  REQUIRE(f.wait_until([&] { return status_is(f, 4, 2, 3, 1); }, std::chrono::seconds(10), kPoll));
  auto b = budget(f);
  REQUIRE(b->status.conditions.size() == 1);
  CHECK(b->status.conditions[0].type == "DisruptionAllowed");
  CHECK(b->status.conditions[0].status == "True");
  CHECK(b->status.conditions[0].reason == "SufficientPods");

  // The eviction API takes the one disruption; the pod (on no node) goes at once and the
  // controller, seeing it gone, drops it from disruptedPods.
  auto eviction = std::make_shared<api::Eviction>();
  eviction->metadata.name = "web-1";
  REQUIRE_FALSE(f.client->call(apiserver::eviction_request("default", "web-1", eviction)).error);
  REQUIRE(f.wait_until(
      [&] { return status_is(f, 4, 2, 2, 0) && budget(f)->status.disrupted_pods.empty(); },
      std::chrono::seconds(10), kPoll));
  CHECK(budget(f)->status.conditions[0].reason == "InsufficientPods");

  // The RC scales to 2: the budget expects 2 and needs 1.
  auto scaled = **f.client->get<api::ReplicationController>("default", "web");
  scaled.spec.replicas = 2;
  REQUIRE(f.client->update(scaled).has_value());
  REQUIRE(f.wait_until([&] { return status_is(f, 2, 1, 2, 1); }, std::chrono::seconds(10), kPoll));
}

TEST_CASE("disruption controller: an eviction that did not happen counts again after two minutes",
          "[controllers][disruption]") {
  ControllerFixture f({"disruption"});
  f.start();
  for (auto name : {"web-1", "web-2", "web-3"}) ready_pod(f, name, nullptr);
  REQUIRE(f.client->create(make_budget(api::IntOrString::from_int(1))).has_value());
  REQUIRE(f.wait_until([&] { return status_is(f, 3, 1, 3, 2); }, std::chrono::seconds(10), kPoll));

  // As if the eviction API had charged web-1 and its deletion then failed.
  auto b = *budget(f);
  b.status.disrupted_pods["web-1"] = api::Time{f.clock.now()};
  b.status.disruptions_allowed = 1;
  REQUIRE(f.client->update_status(b).has_value());
  REQUIRE(f.wait_until([&] { return status_is(f, 3, 1, 2, 1); }, std::chrono::seconds(10), kPoll));
  CHECK(budget(f)->status.disrupted_pods.contains("web-1"));

  // DeletionTimeout later (virtual time) the controller looks again by itself. Time moves
  // on while waiting, in case its recheck timer was set after the status became visible.
  REQUIRE(f.wait_until(
      [&] {
        if (status_is(f, 3, 1, 3, 2) && budget(f)->status.disrupted_pods.empty()) return true;
        f.clock.advance(actors::controllers::disruption::kDeletionTimeout);
        return false;
      },
      std::chrono::seconds(10), kPoll));
}

TEST_CASE("disruption controller: a pod whose controller cannot be found fails the sync",
          "[controllers][disruption]") {
  ControllerFixture f({"disruption"});
  f.start();
  api::ReplicationController ghost = api::testing::make_replication_controller("default", "ghost", 3, kWeb);
  ghost.metadata.uid = "no-such-uid";
  ready_pod(f, "web-1", &ghost);
  REQUIRE(f.client->create(make_budget(api::IntOrString::from_string("50%"))).has_value());
  auto failed = [&] {
    auto b = budget(f);
    return b && b->status.conditions.size() == 1 && b->status.conditions[0].reason == "SyncFailed";
  };
  REQUIRE(f.wait_until(failed, std::chrono::seconds(10), kPoll));
  auto b = budget(f);
  CHECK(b->status.conditions[0].status == "False");
  CHECK(b->status.conditions[0].message == "found no controllers for pod \"web-1\"");
  CHECK(b->status.disruptions_allowed == 0);
}

TEST_CASE("disruption controller: a DisruptionTarget not followed by a deletion within two "
          "minutes turns False",
          "[controllers][disruption]") {
  using actors::controllers::disruption::kStalePodDisruptionTimeout;
  ControllerFixture f({"disruption"});
  f.start();
  // Marks a running pod as the scheduler marks a preemption victim (then fails to delete it,
  // as far as this test is concerned), with `reason`; `node`: the pod is bound there.
  auto mark = [&](const std::string& name, const std::string& reason, const std::string& node) {
    ready_pod(f, name, nullptr, node);
    auto p = **f.client->get<api::Pod>("default", name);
    api::PodCondition c;
    c.type = "DisruptionTarget";
    c.status = "True";
    c.reason = reason;
    c.message = "default-scheduler: preempting to accommodate a higher priority pod";
    c.last_transition_time = api::Time{f.clock.now()};
    p.status.conditions.push_back(c);
    REQUIRE(f.client->update_status(p).has_value());
  };
  const auto marked_at = f.clock.now();
  // Left alone: one being deleted (on a node, so it stays until its kubelet finishes), one
  // the kubelet marked (node-pressure eviction ends the pod itself, however long it takes).
  mark("deleting", "PreemptionByScheduler", "node-1");
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "deleting").has_value());
  mark("by-kubelet", "TerminationByKubelet", "node-1");
  mark("victim", "PreemptionByScheduler", "");

  auto condition = [&](const std::string& name) -> std::optional<api::PodCondition> {
    auto p = f.client->get<api::Pod>("default", name);
    REQUIRE(p.has_value());
    const auto* c = (*p)->status.condition("DisruptionTarget");
    return c ? std::optional(*c) : std::nullopt;
  };
  REQUIRE((*f.client->get<api::Pod>("default", "deleting"))->metadata.deletion_timestamp);

  // Virtual time moves on in steps of 30 s until the controller resets the victim's mark.
  REQUIRE(f.wait_until(
      [&] {
        if (condition("victim")->status == "False") return true;
        f.clock.advance(std::chrono::seconds(30));
        return false;
      },
      std::chrono::seconds(10), kPoll));
  auto reset = *condition("victim");
  CHECK(reset.last_transition_time.value >= marked_at + kStalePodDisruptionTimeout);
  CHECK(reset.reason == "PreemptionByScheduler");  // upstream 1.32 keeps who set it and why
  CHECK((*f.client->get<api::Pod>("default", "victim"))->status.condition("Ready")->status ==
        "True");
  // The others were due at the same time and stay marked.
  CHECK(condition("deleting")->status == "True");
  CHECK(condition("by-kubelet")->status == "True");
}
