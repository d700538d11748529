// Status and conditions: Available, Progressing with its reasons, the progress deadline.
#include "actors/controllers/deployment_rollout.hpp"
#include "actors/controllers/deployment_status.hpp"
#include "tests/actors/controllers/deployment_support.hpp"

using namespace kactor;
using namespace kactor::testing;
namespace dep = kactor::actors::controllers::deployment;

namespace {
const api::DeploymentCondition& cond(const api::DeploymentStatus& s, const char* type) {
  auto* c = dep::get_condition(s, type);
  REQUIRE(c != nullptr);
  return *c;
}
}  // namespace

TEST_CASE("the status counts come from the ReplicaSets, Available needs replicas − "
          "maxUnavailable",
          "[controllers][deployment]") {
  auto d = make_deployment(4, api::IntOrString::from_int(1), api::IntOrString::from_int(1));
  d.metadata.generation = 3;
  auto old = make_rs("web-old", 2, 2);
  auto fresh = make_rs("web-new", 3, 1);
  fresh.status.replicas = 2;  // one pod still being created
  auto t0 = rollout_epoch();
  auto s = dep::calculate_status(d, {&old, &fresh}, &fresh, t0);
  CHECK(s.observed_generation == 3);
  CHECK(s.replicas == 4);
  CHECK(s.updated_replicas == 2);
  CHECK(s.ready_replicas == 3);
  CHECK(s.available_replicas == 3);
  CHECK(s.unavailable_replicas == 2);  // 5 wanted, 3 available
  CHECK(cond(s, dep::kAvailable).status == "True");
  CHECK(cond(s, dep::kAvailable).reason == dep::kMinimumReplicasAvailable);
  old.status.available_replicas = 0;
  auto low = dep::calculate_status(d, {&old, &fresh}, &fresh, t0);
  CHECK(cond(low, dep::kAvailable).status == "False");
  CHECK(cond(low, dep::kAvailable).reason == dep::kMinimumReplicasUnavailable);
  CHECK(cond(low, dep::kAvailable).message == "Deployment does not have minimum availability.");
}

TEST_CASE("Progressing: updated on progress, NewReplicaSetAvailable when complete, "
          "ProgressDeadlineExceeded after the deadline without progress",
          "[controllers][deployment]") {
  auto d = make_deployment(2, api::IntOrString::from_int(1), api::IntOrString::from_int(0));
  d.spec.progress_deadline_seconds = 60;
  auto t0 = rollout_epoch();
  auto old = make_rs("web-old", 2, 2);
  auto fresh = make_rs("web-new", 1, 0);
  fresh.status.replicas = 0;
  dep::set_condition(d.status, dep::make_condition(dep::kProgressing, "True",
                                                   dep::kNewReplicaSetCreated,
                                                   "Created new replica set \"web-new\"", t0));
  d.status.replicas = 2;

  // A pod of the new ReplicaSet appears: progress.
  fresh.status.replicas = 1;
  auto t1 = t0 + std::chrono::seconds(10);
  auto out = dep::rollout_status(d, {&old, &fresh}, &fresh, t1);
  auto& p = cond(out.status, dep::kProgressing);
  CHECK(p.reason == dep::kReplicaSetUpdated);
  CHECK(p.message == "ReplicaSet \"web-new\" is progressing.");
  CHECK(p.last_update_time.value == t1);
  CHECK(p.last_transition_time.value == t0);  // still True
  d.status = out.status;

  // No progress: nothing to write, but a look again just after the deadline.
  auto t2 = t1 + std::chrono::seconds(20);
  auto idle = dep::rollout_status(d, {&old, &fresh}, &fresh, t2);
  CHECK(idle.status == d.status);
  REQUIRE(idle.recheck_after.has_value());
  CHECK(*idle.recheck_after == std::chrono::seconds(41));

  // Past the deadline: ProgressDeadlineExceeded, and it stays.
  auto t3 = t1 + std::chrono::seconds(61);
  auto late = dep::rollout_status(d, {&old, &fresh}, &fresh, t3);
  auto& failed = cond(late.status, dep::kProgressing);
  CHECK(failed.status == "False");
  CHECK(failed.reason == dep::kProgressDeadlineExceeded);
  CHECK(failed.message == "ReplicaSet \"web-new\" has timed out progressing.");
  CHECK_FALSE(late.recheck_after.has_value());
  d.status = late.status;
  // Pausing does not hide it.
  d.spec.paused = true;
  CHECK_FALSE(dep::set_paused_condition(d, d.status, t3));
  d.spec.paused = false;

  // Complete: every replica updated and available.
  old = make_rs("web-old", 0, 0);
  fresh = make_rs("web-new", 2, 2);
  auto t4 = t3 + std::chrono::seconds(5);
  auto done = dep::rollout_status(d, {&old, &fresh}, &fresh, t4);
  auto& ok = cond(done.status, dep::kProgressing);
  CHECK(ok.status == "True");
  CHECK(ok.reason == dep::kNewReplicaSetAvailable);
  CHECK(ok.message == "ReplicaSet \"web-new\" has successfully progressed.");
  CHECK(ok.last_transition_time.value == t4);
}

TEST_CASE("pausing and resuming show in Progressing", "[controllers][deployment]") {
  auto d = make_deployment(2, api::IntOrString::from_int(1), api::IntOrString::from_int(0));
  auto t0 = rollout_epoch();
  d.spec.paused = true;
  REQUIRE(dep::set_paused_condition(d, d.status, t0));
  CHECK(cond(d.status, dep::kProgressing).reason == dep::kDeploymentPaused);
  CHECK(cond(d.status, dep::kProgressing).status == "Unknown");
  CHECK(cond(d.status, dep::kProgressing).message == "Deployment is paused");
  CHECK_FALSE(dep::set_paused_condition(d, d.status, t0));
  d.spec.paused = false;
  REQUIRE(dep::set_paused_condition(d, d.status, t0));
  CHECK(cond(d.status, dep::kProgressing).reason == dep::kDeploymentResumed);
  CHECK(cond(d.status, dep::kProgressing).message == "Deployment is resumed");
}

TEST_CASE("a ReplicaSet's ReplicaFailure is copied into the Deployment, the new one's first, "
          "and removed when none has one",
          "[controllers][deployment]") {
  auto d = make_deployment(2, api::IntOrString::from_int(1), api::IntOrString::from_int(0));
  auto t0 = rollout_epoch();
  auto old = make_rs("web-old", 1, 1);
  auto fresh = make_rs("web-new", 2, 1);
  auto failure = [&](const std::string& reason, const std::string& message) {
    api::ReplicaSetCondition c;
    c.type = "ReplicaFailure";
    c.status = "True";
    c.reason = reason;
    c.message = message;
    c.last_transition_time.value = t0;
    return c;
  };
  old.status.conditions.push_back(failure("FailedDelete", "old"));
  auto s = dep::rollout_status(d, {&old, &fresh}, &fresh, t0 + std::chrono::seconds(5)).status;
  CHECK(cond(s, dep::kReplicaFailure).reason == "FailedDelete");  // no new failure: the old one's

  fresh.status.conditions.push_back(failure("FailedCreate", "pods \"web-new-x\" is forbidden"));
  s = dep::rollout_status(d, {&old, &fresh}, &fresh, t0 + std::chrono::seconds(5)).status;
  const auto& c = cond(s, dep::kReplicaFailure);
  CHECK(c.status == "True");
  CHECK(c.reason == "FailedCreate");
  CHECK(c.message == "pods \"web-new-x\" is forbidden");
  // Both times are the ReplicaSet's transition, not the sync's.
  CHECK(c.last_transition_time.value == t0);
  CHECK(c.last_update_time.value == t0);

  d.status = s;
  old.status.conditions.clear();
  fresh.status.conditions.clear();
  s = dep::rollout_status(d, {&old, &fresh}, &fresh, t0 + std::chrono::seconds(9)).status;
  CHECK(dep::get_condition(s, dep::kReplicaFailure) == nullptr);
}
