// Kubelet (pod_sync.cpp): its pod status writes keep the conditions other components own
// (DisruptionTarget from the scheduler, the eviction API, the taint manager) even when a
// write was computed before another component's: it is made under the resourceVersion it
// was computed from, and computed again after a Conflict. The race is made deterministic
// by a gate in front of the API server that holds the kubelet's status write while the
// condition is patched in.
#include "tests/actors/kubelet/fixture.hpp"
#include "tests/support/request_gate.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

const char* kDisruptionPatch = R"({"status":{"conditions":[{
  "type":"DisruptionTarget","status":"True","reason":"PreemptionByScheduler",
  "message":"default-scheduler: preempting to accommodate a higher priority pod",
  "lastTransitionTime":"2026-01-01T00:00:00Z"}]}})";

bool condition_is(const api::Pod& p, const std::string& type, const std::string& status) {
  const auto* c = p.status.condition(type);
  return c && c->status == status;
}

}  // namespace

TEST_CASE("a status write computed before a DisruptionTarget patch keeps the condition",
          "[kubelet][kubelet-pods][kubelet-status-race]") {
  KubeletFixture f;
  // The kubelet talks to the API server through the gate; the test does not.
  RequestGate gate(f.system.get(), f.plane->apiserver());
  f.apiserver_handle = gate.actor;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  f.create_bound(make_pod("default", "web"), "node-1");
  REQUIRE(f.eventually([&] { return f.reported("web"); }));
  f.clock.advance(100ms);
  REQUIRE(f.eventually([&] {
    auto p = f.pod("web");
    return p && p->status.phase == "Running" && condition_is(*p, "Ready", "True");
  }));

  // The kubelet's next status write (the pod turns unready) is held at the gate: it was
  // computed from a version without the condition.
  gate.hold("update_status", "pods", "web");
  f.annotate(k, "web", kubelet::kReadyAnnotation, "false");
  REQUIRE(gate.wait_held());

  // Meanwhile the scheduler marks the pod as a preemption victim...
  REQUIRE(f.client
              ->patch(api::Pod::static_type(), "default", "web",
                      "application/strategic-merge-patch+json", kDisruptionPatch, true)
              .has_value());
  REQUIRE(condition_is(*f.pod("web"), "DisruptionTarget", "True"));
  // ...then the kubelet's write arrives.
  gate.release();

  // The kubelet's news (Ready False) lands, and the condition is still there.
  REQUIRE(f.eventually([&] { return condition_is(*f.pod("web"), "Ready", "False"); }));
  auto after = f.pod("web");
  REQUIRE(condition_is(*after, "DisruptionTarget", "True"));
  CHECK(after->status.condition("DisruptionTarget")->reason == "PreemptionByScheduler");

  // And it survives the kubelet's next write too (it now computes from a version with it).
  f.annotate(k, "web", kubelet::kReadyAnnotation, "");
  REQUIRE(f.eventually([&] { return condition_is(*f.pod("web"), "Ready", "True"); }));
  CHECK(condition_is(*f.pod("web"), "DisruptionTarget", "True"));
}

TEST_CASE("a status write that loses a race to a replaced pod does not touch the new pod",
          "[kubelet][kubelet-pods][kubelet-status-race]") {
  KubeletFixture f;
  RequestGate gate(f.system.get(), f.plane->apiserver());
  f.apiserver_handle = gate.actor;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  f.create_bound(make_pod("default", "web"), "node-1");
  REQUIRE(f.eventually([&] { return f.reported("web"); }));

  // The kubelet's status write of the first pod (Running, after its start) is held...
  gate.hold("update_status", "pods", "web");
  f.clock.advance(100ms);
  REQUIRE(gate.wait_held());

  // ...while the pod is replaced by another of the same name, bound nowhere.
  client::DeleteOptions now;
  now.grace_period_seconds = 0;
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "web", now).has_value());
  auto successor = f.client->create(make_pod("default", "web"));
  REQUIRE(successor.has_value());
  gate.release();

  // The kubelet lets its worker go; the successor never gets the old pod's status.
  REQUIRE(f.eventually([&] {
    auto s = f.query(k);
    return s && !pod_of(*s, "web");
  }));
  auto p = f.pod("web");
  REQUIRE(p);
  CHECK(p->metadata.uid == (*successor)->metadata.uid);
  CHECK(p->status.phase == "Pending");
  CHECK(p->status.container_statuses.empty());
  CHECK(p->status.pod_ip.empty());
}
