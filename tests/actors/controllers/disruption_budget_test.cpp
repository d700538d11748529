// The disruption controller's arithmetic (disruption_budget.*), after upstream's
// pkg/controller/disruption/disruption_test.go scenarios (named per case), with times on a
// VirtualClock.
#include <catch2/catch.hpp>

#include "actors/controllers/disruption_budget.hpp"
#include "api/testing/builders.hpp"
#include "api/time/virtual_clock.hpp"
#include "api/types/pdb_util.hpp"

using namespace kactor;
using namespace kactor::actors::controllers::disruption;

namespace {

const TimePoint kEpoch{std::chrono::sys_days(std::chrono::year{2026} / 1 / 1).time_since_epoch()};

api::PodDisruptionBudget budget_min(api::IntOrString min_available) {
  api::PodDisruptionBudget pdb;
  pdb.metadata.namespace_ = "default";
  pdb.metadata.name = "web";
  pdb.metadata.generation = 1;
  pdb.spec.min_available = min_available;
  pdb.spec.selector = api::LabelSelector{};
  pdb.spec.selector->match_labels = {{"app", "web"}};
  return pdb;
}

api::PodDisruptionBudget budget_max(api::IntOrString max_unavailable) {
  auto pdb = budget_min({});
  pdb.spec.min_available.reset();
  pdb.spec.max_unavailable = max_unavailable;
  return pdb;
}

/// A pod, ready or not, controlled by `owner` (kind/uid) when given.
PodPtr pod(const std::string& name, bool ready, const std::string& owner_kind = "",
           const std::string& owner_uid = "") {
  auto p = api::testing::make_pod("default", name, {{"app", "web"}});
  p.status.phase = "Running";
  api::PodCondition c;
  c.type = "Ready";
  c.status = ready ? "True" : "False";
  p.status.conditions.push_back(c);
  if (!owner_kind.empty()) {
    api::OwnerReference ref;
    ref.api_version = owner_kind == "ReplicationController" ? "v1" : "apps/v1";
    ref.kind = owner_kind;
    ref.name = owner_uid;
    ref.uid = owner_uid;
    ref.controller = true;
    p.metadata.owner_references.push_back(ref);
  }
  return std::make_shared<api::Pod>(std::move(p));
}

/// Controllers by uid with their scale.
ScaleFinder scales(std::map<std::string, int32_t> by_uid) {
  return [by_uid](const api::OwnerReference& ref, const std::string&) -> std::optional<ControllerScale> {
    auto it = by_uid.find(ref.uid);
    if (it == by_uid.end()) return std::nullopt;
    return ControllerScale{it->first, it->second};
  };
}

const ScaleFinder kNoControllers = scales({});

/// The whole computation as the controller runs it.
api::PodDisruptionBudgetStatus run(const api::PodDisruptionBudget& pdb, const std::vector<PodPtr>& pods,
                                   const ScaleFinder& finder, TimePoint now = kEpoch) {
  auto count = expected_pod_count(pdb, pods, finder);
  REQUIRE(count.has_value());
  auto disrupted = disrupted_pod_map(pdb, pods, now);
  const int32_t healthy = count_healthy(pods, disrupted.pods, now);
  auto next = next_status(pdb, healthy, *count, std::move(disrupted.pods), now);
  return next ? *next : pdb.status;
}

}  // namespace

TEST_CASE("disruption: integer minAvailable expects the pods there are (TestUnavailable)",
          "[controllers][disruption]") {
  auto pdb = budget_min(api::IntOrString::from_int(3));
  auto s = run(pdb, {pod("a", true), pod("b", true), pod("c", true), pod("d", true)}, kNoControllers);
  CHECK(s.expected_pods == 4);
  CHECK(s.desired_healthy == 3);
  CHECK(s.current_healthy == 4);
  CHECK(s.disruptions_allowed == 1);
  CHECK(s.observed_generation == 1);
  REQUIRE(s.conditions.size() == 1);
  CHECK(s.conditions[0].type == "DisruptionAllowed");
  CHECK(s.conditions[0].status == "True");
  CHECK(s.conditions[0].reason == "SufficientPods");
  CHECK(s.conditions[0].message.empty());

  // One pod stops being ready: no disruption left.
  auto worse = run(pdb, {pod("a", true), pod("b", true), pod("c", true), pod("d", false)}, kNoControllers);
  CHECK(worse.current_healthy == 3);
  CHECK(worse.disruptions_allowed == 0);
  CHECK(worse.conditions[0].status == "False");
  CHECK(worse.conditions[0].reason == "InsufficientPods");
}

TEST_CASE("disruption: no pods means no disruptions, whatever the budget (no pods yet)",
          "[controllers][disruption]") {
  auto s = run(budget_min(api::IntOrString::from_int(0)), {}, kNoControllers);
  CHECK(s.expected_pods == 0);
  CHECK(s.disruptions_allowed == 0);
  CHECK(s.conditions[0].reason == "InsufficientPods");
}

TEST_CASE("disruption: a percentage counts against the controller's scale, rounded up "
          "(TestReplicationController)",
          "[controllers][disruption]") {
  // 34% of 3 replicas is 1.02, rounded up: 2 must stay healthy.
  auto pdb = budget_min(api::IntOrString::from_string("34%"));
  auto finder = scales({{"rc", 3}});
  auto one = run(pdb, {pod("a", true, "ReplicationController", "rc")}, finder);
  CHECK(one.expected_pods == 3);
  CHECK(one.desired_healthy == 2);
  CHECK(one.disruptions_allowed == 0);
  auto three = run(pdb,
                   {pod("a", true, "ReplicationController", "rc"), pod("b", true, "ReplicationController", "rc"),
                    pod("c", true, "ReplicationController", "rc")},
                   finder);
  CHECK(three.expected_pods == 3);  // one controller, counted once
  CHECK(three.disruptions_allowed == 1);
}

TEST_CASE("disruption: the scales of several controllers add up (TestMultipleControllers)",
          "[controllers][disruption]") {
  auto pdb = budget_min(api::IntOrString::from_string("1%"));
  auto s = run(pdb, {pod("a", true, "ReplicaSet", "rs-1"), pod("b", true, "ReplicaSet", "rs-2")},
               scales({{"rs-1", 1}, {"rs-2", 1}}));
  CHECK(s.expected_pods == 2);
  CHECK(s.desired_healthy == 1);
  CHECK(s.disruptions_allowed == 1);
}

TEST_CASE("disruption: maxUnavailable, as an integer or a percentage (TestIntegerMaxUnavailable, "
          "TestReplicaSet)",
          "[controllers][disruption]") {
  std::vector<PodPtr> pods;
  for (int i = 0; i < 10; ++i) pods.push_back(pod("p" + std::to_string(i), true, "ReplicaSet", "rs"));
  auto finder = scales({{"rs", 10}});
  auto one = run(budget_max(api::IntOrString::from_int(1)), pods, finder);
  CHECK(one.expected_pods == 10);
  CHECK(one.desired_healthy == 9);
  CHECK(one.disruptions_allowed == 1);
  // 25% of 10 is 2.5, rounded up to 3 unavailable: 7 healthy wanted.
  auto quarter = run(budget_max(api::IntOrString::from_string("25%")), pods, finder);
  CHECK(quarter.desired_healthy == 7);
  CHECK(quarter.disruptions_allowed == 3);
  // More unavailable allowed than expected pods: nobody needs to stay.
  auto all = run(budget_max(api::IntOrString::from_int(20)), pods, finder);
  CHECK(all.desired_healthy == 0);
  CHECK(all.disruptions_allowed == 10);
}

TEST_CASE("disruption: pods without a controller are reported, a missing controller fails "
          "(TestNakedPod, TestStatusForUnmanagedPod)",
          "[controllers][disruption]") {
  auto pdb = budget_min(api::IntOrString::from_string("28%"));
  auto naked = expected_pod_count(pdb, {pod("naked", true)}, kNoControllers);
  REQUIRE(naked.has_value());
  CHECK(naked->expected == 0);
  CHECK(naked->unmanaged == std::vector<std::string>{"naked"});
  CHECK(run(pdb, {pod("naked", true)}, kNoControllers).disruptions_allowed == 0);

  auto orphan = expected_pod_count(pdb, {pod("orphan", true, "ReplicaSet", "gone")}, kNoControllers);
  REQUIRE_FALSE(orphan.has_value());
  CHECK(orphan.error().message == "found no controllers for pod \"orphan\"");

  auto failed = failed_status(pdb, orphan.error().message, kEpoch);
  CHECK(failed.disruptions_allowed == 0);
  REQUIRE(failed.conditions.size() == 1);
  CHECK(failed.conditions[0].status == "False");
  CHECK(failed.conditions[0].reason == "SyncFailed");
  CHECK(failed.conditions[0].message == "found no controllers for pod \"orphan\"");
}

TEST_CASE("disruption: evicted pods stop counting until DeletionTimeout (TestUpdateDisruptedPods)",
          "[controllers][disruption]") {
  VirtualClock clock(kEpoch);
  auto pdb = budget_min(api::IntOrString::from_int(1));
  std::vector<PodPtr> pods{pod("a", true), pod("b", true), pod("c", true)};
  pdb.status.disrupted_pods["a"] = api::Time{clock.now()};
  pdb.status.disrupted_pods["gone"] = api::Time{clock.now()};  // no such pod any more

  clock.advance(std::chrono::seconds(30));
  auto recent = disrupted_pod_map(pdb, pods, clock.now());
  CHECK(recent.pods.size() == 1);  // "gone" is dropped: the controller saw it go
  CHECK(recent.pods.contains("a"));
  REQUIRE(recent.recheck.has_value());
  CHECK(*recent.recheck == kEpoch + kDeletionTimeout);
  CHECK(count_healthy(pods, recent.pods, clock.now()) == 2);
  auto s = run(pdb, pods, kNoControllers, clock.now());
  CHECK(s.current_healthy == 2);
  CHECK(s.disruptions_allowed == 1);
  CHECK(s.disrupted_pods.contains("a"));

  // Two minutes on, the eviction evidently did not happen: the pod counts again.
  clock.advance(kDeletionTimeout);
  auto expired = disrupted_pod_map(pdb, pods, clock.now());
  CHECK(expired.pods.empty());
  CHECK(expired.expired == std::vector<std::string>{"a"});
  CHECK_FALSE(expired.recheck.has_value());
  CHECK(run(pdb, pods, kNoControllers, clock.now()).current_healthy == 3);
}

TEST_CASE("disruption: pods being deleted are not healthy and leave disruptedPods",
          "[controllers][disruption]") {
  auto pdb = budget_min(api::IntOrString::from_int(1));
  auto leaving = api::testing::make_pod("default", "a", {{"app", "web"}});
  leaving.metadata.deletion_timestamp = api::Time{kEpoch};
  api::PodCondition ready;
  ready.type = "Ready";
  ready.status = "True";
  leaving.status.conditions.push_back(ready);
  std::vector<PodPtr> pods{std::make_shared<api::Pod>(leaving), pod("b", true)};
  pdb.status.disrupted_pods["a"] = api::Time{kEpoch};
  auto s = run(pdb, pods, kNoControllers, kEpoch + std::chrono::seconds(1));
  CHECK(s.current_healthy == 1);
  CHECK(s.expected_pods == 2);
  CHECK(s.disrupted_pods.empty());
  CHECK(s.disruptions_allowed == 0);
}

TEST_CASE("disruption: an up-to-date status is not written again", "[controllers][disruption]") {
  auto pdb = budget_min(api::IntOrString::from_int(1));
  std::vector<PodPtr> pods{pod("a", true), pod("b", true)};
  pdb.status = run(pdb, pods, kNoControllers);
  auto count = expected_pod_count(pdb, pods, kNoControllers);
  REQUIRE(count.has_value());
  CHECK_FALSE(next_status(pdb, 2, *count, {}, kEpoch + std::chrono::minutes(1)).has_value());
  // A new generation is observed even when the numbers stay.
  pdb.metadata.generation = 2;
  auto bumped = next_status(pdb, 2, *count, {}, kEpoch + std::chrono::minutes(1));
  REQUIRE(bumped.has_value());
  CHECK(bumped->observed_generation == 2);
  CHECK(bumped->conditions[0].observed_generation == 2);
  // The condition's status did not change, so neither does its transition time.
  CHECK(bumped->conditions[0].last_transition_time.value == kEpoch);
}

namespace {

/// A running pod marked DisruptionTarget=True (`reason`) at `marked`.
api::Pod marked_pod(TimePoint marked, const std::string& reason = "PreemptionByScheduler") {
  auto p = *pod("victim", true);
  api::PodCondition c;
  c.type = kDisruptionTarget;
  c.status = "True";
  c.reason = reason;
  c.message = "default-scheduler: preempting to accommodate a higher priority pod";
  c.last_transition_time = api::Time{marked};
  p.status.conditions.push_back(c);
  return p;
}

}  // namespace

TEST_CASE("disruption: a DisruptionTarget not followed by a deletion turns stale after two "
          "minutes (TestStalePodDisruption)",
          "[controllers][disruption]") {
  using std::chrono::seconds;
  const auto p = marked_pod(kEpoch);
  REQUIRE(stale_disruption_at(p) == kEpoch + kStalePodDisruptionTimeout);
  CHECK(kStalePodDisruptionTimeout == std::chrono::minutes(2));

  // Before the timeout: nothing to reset.
  CHECK_FALSE(reset_stale_disruption(p, kEpoch + kStalePodDisruptionTimeout - seconds(1)));

  // At the timeout: False since now; who set it and why stay (1.32's apply names only type,
  // status and lastTransitionTime); the other conditions are untouched.
  const auto now = kEpoch + kStalePodDisruptionTimeout + seconds(1);
  auto reset = reset_stale_disruption(p, now);
  REQUIRE(reset);
  const auto* c = reset->condition(kDisruptionTarget);
  REQUIRE(c);
  CHECK(c->status == "False");
  CHECK(c->last_transition_time.value == now);
  CHECK(c->reason == "PreemptionByScheduler");
  CHECK(c->message == "default-scheduler: preempting to accommodate a higher priority pod");
  REQUIRE(reset->condition("Ready"));
  CHECK(reset->condition("Ready")->status == "True");
  CHECK(reset->conditions.size() == p.status.conditions.size());

  // Once False, nothing is stale any more.
  api::Pod after = p;
  after.status = *reset;
  CHECK_FALSE(stale_disruption_at(after));
}

TEST_CASE("disruption: a DisruptionTarget is never stale on a pod being deleted, a terminal "
          "pod, or when the kubelet set it",
          "[controllers][disruption]") {
  const auto late = kEpoch + std::chrono::hours(1);
  auto deleting = marked_pod(kEpoch);
  deleting.metadata.deletion_timestamp = api::Time{kEpoch};
  auto failed = marked_pod(kEpoch);
  failed.status.phase = "Failed";
  auto succeeded = marked_pod(kEpoch);
  succeeded.status.phase = "Succeeded";
  auto by_kubelet = marked_pod(kEpoch, kTerminationByKubelet);
  auto unmarked = *pod("calm", true);
  for (const auto* p : {&deleting, &failed, &succeeded, &by_kubelet, &unmarked}) {
    INFO(p->metadata.name << " " << p->status.phase);
    CHECK_FALSE(stale_disruption_at(*p));
    CHECK_FALSE(reset_stale_disruption(*p, late));
  }
}
