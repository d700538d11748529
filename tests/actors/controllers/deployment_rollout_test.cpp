// The rollout arithmetic against upstream's numbers (deployment util and the documented
// proportional-scaling example).
#include "actors/controllers/deployment_rollout.hpp"
#include "tests/actors/controllers/deployment_support.hpp"

using namespace kactor;
using namespace kactor::testing;
namespace dep = kactor::actors::controllers::deployment;

namespace {
api::IntOrString pct(const char* s) { return api::IntOrString::from_string(s); }
api::IntOrString num(int v) { return api::IntOrString::from_int(v); }
}  // namespace

TEST_CASE("maxSurge rounds up, maxUnavailable down, and both 0 allow one unavailable",
          "[controllers][deployment]") {
  struct Row {
    api::IntOrString surge, unavailable;
    int desired, want_surge, want_unavailable;
  };
  for (auto& r : std::vector<Row>{{pct("25%"), pct("25%"), 10, 3, 2},
                                  {pct("25%"), pct("25%"), 4, 1, 1},
                                  {pct("25%"), pct("25%"), 1, 1, 0},
                                  {pct("50%"), pct("50%"), 3, 2, 1},
                                  {num(2), num(1), 10, 2, 1},
                                  {num(0), pct("10%"), 5, 0, 1},  // 0.5 rounds down to 0 → 1
                                  {num(0), num(0), 3, 0, 1}}) {
    auto f = dep::resolve_fenceposts(r.surge, r.unavailable, r.desired);
    INFO(r.surge.to_string() << " / " << r.unavailable.to_string() << " of " << r.desired);
    CHECK(f.surge == r.want_surge);
    CHECK(f.unavailable == r.want_unavailable);
  }
  auto d = make_deployment(3, num(1), num(5));
  CHECK(dep::max_unavailable(d) == 3);  // never more than the replicas
  d.spec.strategy = {"Recreate", std::nullopt};
  CHECK(dep::max_surge(d) == 0);
  CHECK(dep::max_unavailable(d) == 0);
  CHECK_FALSE(dep::scaled_value(pct("x%"), 10, true).has_value());
}

TEST_CASE("a rolling update grows the new ReplicaSet within the surge and shrinks the old "
          "ones while enough stay available",
          "[controllers][deployment]") {
  auto d = make_deployment(10, num(3), num(2));
  auto old = make_rs("web-old", 10, 10, 0, 1);
  auto fresh = make_rs("web-new", 0, 0, 10, 2);
  dep::ReplicaSets sets{&fresh, {&old}};
  CHECK(dep::new_rs_new_replicas(d, sets) == 3);
  dep::Scaler up(d);
  REQUIRE(dep::reconcile_new_replica_set(d, sets, up));
  CHECK(*fresh.spec.replicas == 3);
  REQUIRE(up.scalings().size() == 1);
  CHECK(up.scalings()[0].message() == "Scaled up replica set web-new from 0 to 3");
  CHECK(fresh.metadata.annotations.at(dep::kDesiredReplicasAnnotation) == "10");
  CHECK(fresh.metadata.annotations.at(dep::kMaxReplicasAnnotation) == "13");
  // At the surge: no more growth until old pods go.
  dep::Scaler again(d);
  CHECK_FALSE(dep::reconcile_new_replica_set(d, sets, again));
  // 13 pods, 8 must stay available, the 3 new ones are not yet: 2 old ones may go.
  dep::Scaler down(d);
  REQUIRE(dep::reconcile_old_replica_sets(d, sets, down));
  CHECK(*old.spec.replicas == 8);
  CHECK(down.scalings()[0].message() == "Scaled down replica set web-old from 10 to 8");
  // None more until new pods become available.
  old.status.replicas = 8;
  old.status.available_replicas = 8;
  dep::Scaler wait(d);
  CHECK_FALSE(dep::reconcile_old_replica_sets(d, sets, wait));
  fresh.status.replicas = 3;
  fresh.status.available_replicas = 3;
  dep::Scaler more(d);
  REQUIRE(dep::reconcile_old_replica_sets(d, sets, more));
  CHECK(*old.spec.replicas == 5);  // 11 pods, 11 available, 8 needed: 3 go
}

TEST_CASE("an old ReplicaSet whose status still counts the pods it is shrinking from is "
          "counted at its new size",
          "[controllers][deployment]") {
  // 4 replicas, maxSurge 1, maxUnavailable 1: 3 must stay available. The last pass shrank the
  // old ReplicaSet from 4 to 3; its controller has not yet written a status for that, so it
  // still reports 4 available while it deletes one of them. One new pod became available.
  auto d = make_deployment(4, num(1), num(1));
  auto old = make_rs("web-old", 3, 4, 0, 1);
  old.status.replicas = 4;
  auto fresh = make_rs("web-new", 1, 1, 10, 2);
  dep::ReplicaSets sets{&fresh, {&old}};
  dep::Scaler s(d);
  // 3 old + 1 new available, 3 needed: one old pod may go, not two.
  REQUIRE(dep::reconcile_old_replica_sets(d, sets, s));
  CHECK(*old.spec.replicas == 2);
}

TEST_CASE("unavailable old pods are removed first", "[controllers][deployment]") {
  auto d = make_deployment(10, num(3), num(2));
  auto oldest = make_rs("web-a", 4, 1, 0, 1);  // 3 unavailable
  auto old = make_rs("web-b", 6, 6, 5, 2);
  auto fresh = make_rs("web-c", 3, 0, 10, 3);
  dep::ReplicaSets sets{&fresh, {&old, &oldest}};
  dep::Scaler s(d);
  // 13 pods − 8 needed − 3 new unavailable = 2 may go: both from the unhealthy ones.
  REQUIRE(dep::reconcile_old_replica_sets(d, sets, s));
  CHECK(*oldest.spec.replicas == 2);
  CHECK(*old.spec.replicas == 6);
}

TEST_CASE("a resize mid-rollout is shared out in proportion (the documented example)",
          "[controllers][deployment]") {
  // kubernetes.io "Proportional scaling": 10 replicas, maxSurge 3, maxUnavailable 2, a
  // rollout stuck at 8 old + 5 new; scaled to 15: 3 more to the old, 2 more to the new.
  auto d = make_deployment(10, num(3), num(2));
  auto old = make_rs("web-old", 8, 8, 0, 1);
  auto fresh = make_rs("web-new", 5, 0, 10, 2);
  for (auto* rs : {&old, &fresh}) dep::set_replicas_annotations(*rs, 10, 13);
  d.spec.replicas = 15;
  d.status.replicas = 13;
  dep::ReplicaSets sets{&fresh, {&old}};
  CHECK(dep::is_scaling_event(d, sets));
  dep::Scaler s(d);
  REQUIRE(dep::scale_proportionally(d, sets, s));
  CHECK(*old.spec.replicas == 11);
  CHECK(*fresh.spec.replicas == 7);
  CHECK(old.metadata.annotations.at(dep::kDesiredReplicasAnnotation) == "15");
  CHECK(fresh.metadata.annotations.at(dep::kMaxReplicasAnnotation) == "18");
  CHECK_FALSE(dep::is_scaling_event(d, sets));
  // And down to 0: everything goes.
  d.spec.replicas = 0;
  dep::Scaler zero(d);
  dep::scale_proportionally(d, sets, zero);
  CHECK(*old.spec.replicas == 0);
  CHECK(*fresh.spec.replicas == 0);
}

TEST_CASE("one active ReplicaSet simply follows the Deployment's size, a saturated new one "
          "lets the old go",
          "[controllers][deployment]") {
  auto d = make_deployment(5, pct("25%"), pct("25%"));
  auto old = make_rs("web-old", 0, 0, 0, 1);
  auto fresh = make_rs("web-new", 3, 3, 10, 2);
  dep::ReplicaSets sets{&fresh, {&old}};
  CHECK(dep::find_active_or_latest(sets) == &fresh);
  dep::Scaler s(d);
  REQUIRE(dep::scale_proportionally(d, sets, s));
  CHECK(*fresh.spec.replicas == 5);

  auto leftover = make_rs("web-left", 1, 1, 0, 1);
  auto done = make_rs("web-done", 5, 5, 10, 2);
  dep::set_replicas_annotations(done, 5, 7);
  dep::ReplicaSets saturated{&done, {&leftover}};
  CHECK(dep::is_saturated(d, &done));
  dep::Scaler t(d);
  REQUIRE(dep::scale_proportionally(d, saturated, t));
  CHECK(*leftover.spec.replicas == 0);
}

TEST_CASE("Recreate scales the old ReplicaSets to 0, then the new one to all replicas",
          "[controllers][deployment]") {
  auto d = make_deployment(4, num(1), num(1));
  d.spec.strategy = {"Recreate", std::nullopt};
  auto old = make_rs("web-old", 4, 4, 0, 1);
  auto fresh = make_rs("web-new", 0, 0, 10, 2);
  dep::ReplicaSets sets{&fresh, {&old}};
  CHECK(dep::new_rs_new_replicas(d, sets) == 4);
  dep::Scaler s(d);
  REQUIRE(dep::scale_down_old_for_recreate(sets, s));
  CHECK(*old.spec.replicas == 0);
  REQUIRE(dep::scale_up_new_for_recreate(d, sets, s));
  CHECK(*fresh.spec.replicas == 4);
}

TEST_CASE("history cleanup removes the lowest revisions beyond the limit, only quiet ones",
          "[controllers][deployment]") {
  auto d = make_deployment(2, pct("25%"), pct("25%"));
  d.spec.revision_history_limit = 1;
  auto r1 = make_rs("web-1", 0, 0, 0, 1);
  auto r2 = make_rs("web-2", 0, 0, 5, 2);
  auto r3 = make_rs("web-3", 0, 0, 9, 3);
  r2.status.replicas = 1;  // a pod still going
  auto out = dep::history_to_clean_up(d, {&r3, &r2, &r1});
  REQUIRE(out.size() == 1);
  CHECK(out[0]->metadata.name == "web-1");
  d.spec.revision_history_limit = 3;
  CHECK(dep::history_to_clean_up(d, {&r3, &r2, &r1}).empty());
}
