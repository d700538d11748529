// Node-pressure eviction through the kubelet (housekeeping.cpp), under a VirtualClock: a pod
// whose memory grows past the node's threshold makes the node report MemoryPressure and is
// evicted with upstream's reason and message; BestEffort pods are refused while the pressure
// lasts; the condition clears only after the transition period. The same for nodefs.
#include "tests/actors/kubelet/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

/// The status of the node's condition `type` ("" while it has none).
std::string condition(KubeletFixture& f, const std::string& node, const std::string& type) {
  auto n = f.node(node);
  const auto* c = n ? n->status.condition(type) : nullptr;
  return c ? c->status : "";
}

bool failed_evicted(KubeletFixture& f, const std::string& name) {
  auto p = f.pod(name);
  return p && p->status.phase == "Failed" && p->status.reason == "Evicted";
}

/// A kubelet on node-1 with 4Gi of memory and 100Gi of disk.
caf::actor small_node(KubeletFixture& f) {
  kubelet::KubeletOptions o;
  o.node_name = "node-1";
  o.capacity = {{"cpu", qty("4")}, {"memory", qty("4Gi")}, {"ephemeral-storage", qty("100Gi")}};
  return f.ready_node(std::move(o), "10.244.1.0/24");
}

/// Creates the pod on node-1 and lets its containers start.
void run(KubeletFixture& f, const caf::actor& k, api::Pod p) {
  auto name = p.metadata.name;
  f.create_bound(std::move(p), "node-1");
  REQUIRE(f.eventually([&] { return f.reported(name); }));
  f.step(k, 100ms);
  REQUIRE(f.eventually([&] { return f.pod(name)->status.phase == "Running"; }));
}

}  // namespace

TEST_CASE("memory pressure: the pod over its request is evicted, BestEffort pods are refused, "
          "the condition clears after the transition period",
          "[kubelet][eviction]") {
  KubeletFixture f;
  f.watch_events();
  auto k = small_node(f);
  auto t0 = f.clock.now();  // the kubelet samples at t0 + 10 s, + 20 s, ...
  // Memory: a steady pod within its request (half of 1Gi), a quiet one of higher usage than
  // request... and one that grows to 3.5Gi after a minute: 4012Mi in all, 84Mi available.
  auto steady = make_pod_requesting("default", "steady", nullptr, "1Gi");
  auto grower = make_pod_requesting("default", "grower", nullptr, "1Gi");
  grower.metadata.annotations["kactor.io/memory-usage"] = "500Mi for 60s, then 3500Mi";
  run(f, k, steady);
  run(f, k, grower);
  CHECK(f.node("node-1")->status.allocatable.at("memory") == qty("4Gi") - qty("100Mi"));

  // Until the grower grows, no pressure.
  for (int i = 0; i < 6; ++i) f.step(k, 10s);
  auto s = f.summary(k);
  REQUIRE(s);
  CHECK(s->node.memory.working_set_bytes == uint64_t{1012} << 20);
  CHECK(condition(f, "node-1", "MemoryPressure") == "False");

  f.step(k, 10s);  // t0 + 70 s: 4012Mi used
  s = f.summary(k);
  CHECK(s->node.memory.available_bytes == uint64_t{84} << 20);
  REQUIRE(f.eventually([&] { return condition(f, "node-1", "MemoryPressure") == "True"; }));
  auto pressured = f.node("node-1")->status.condition("MemoryPressure");
  CHECK(pressured->reason == "KubeletHasInsufficientMemory");
  CHECK(pressured->message == "kubelet has insufficient memory available");
  // Posted as soon as the sample at t0 + 70 s was handled.
  CHECK(pressured->last_transition_time.value >= t0 + 70s);
  CHECK(pressured->last_transition_time.value <= f.clock.now());

  REQUIRE(f.eventually([&] { return failed_evicted(f, "grower"); }));
  auto evicted = f.pod("grower");
  CHECK(evicted->status.message ==
        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 84Mi. "
        "Container app was using 3500Mi, request is 1Gi, has larger consumption of memory. ");
  REQUIRE(evicted->status.condition("DisruptionTarget"));
  CHECK(evicted->status.condition("DisruptionTarget")->reason == "TerminationByKubelet");
  REQUIRE(f.eventually([&] {
    auto c = f.pod("grower")->status.container_statuses;
    return !c.empty() && c[0].state.terminated;
  }));
  REQUIRE(f.eventually([&] { return !f.events_about("grower", "Evicted").empty(); }));
  auto event = f.events_about("grower", "Evicted").front();
  CHECK(event->type == "Warning");
  CHECK(event->message == evicted->status.message);
  // One pod per interval, and the pressure is gone with it: the steady pod stays.
  f.step(k, 10s);
  CHECK(f.pod("steady")->status.phase == "Running");
  CHECK(f.summary(k)->node.memory.working_set_bytes == uint64_t{512} << 20);

  // While the condition holds, a BestEffort pod is refused; a Burstable one runs.
  f.create_bound(make_pod("default", "best-effort"), "node-1");
  REQUIRE(f.eventually([&] { return failed_evicted(f, "best-effort"); }));
  CHECK(f.pod("best-effort")->status.message == "The node had condition: [MemoryPressure]. ");
  REQUIRE(f.eventually([&] { return !f.events_about("best-effort", "Evicted").empty(); }));
  run(f, k, make_pod_requesting("default", "burstable", nullptr, "64Mi"));

  // The condition clears 5 minutes after the threshold was last met (t0 + 70 s).
  while (f.clock.now() < t0 + 70s + 4min + 50s) f.step(k, 10s);
  CHECK(condition(f, "node-1", "MemoryPressure") == "True");
  f.step(k, 10s);  // t0 + 370 s
  REQUIRE(f.eventually([&] { return condition(f, "node-1", "MemoryPressure") == "False"; }));
  CHECK(f.node("node-1")->status.condition("MemoryPressure")->reason ==
        "KubeletHasSufficientMemory");
  // BestEffort pods run again.
  run(f, k, make_pod("default", "best-effort-later"));
}

TEST_CASE("disk pressure: the pod filling nodefs is evicted and pods are refused",
          "[kubelet][eviction]") {
  KubeletFixture f;
  auto k = small_node(f);
  auto filler = make_pod("default", "filler");
  filler.metadata.annotations["kactor.io/disk-usage"] = "1Gi for 15s, then 94Gi";
  run(f, k, filler);
  run(f, k, make_pod("default", "quiet"));
  CHECK(f.node("node-1")->status.allocatable.at("ephemeral-storage") == qty("90Gi"));

  f.step(k, 10s);
  CHECK(condition(f, "node-1", "DiskPressure") == "False");
  f.step(k, 10s);  // 94Gi of 100Gi used: 6Gi available, below 10%
  REQUIRE(f.eventually([&] { return condition(f, "node-1", "DiskPressure") == "True"; }));
  CHECK(f.node("node-1")->status.condition("DiskPressure")->reason == "KubeletHasDiskPressure");
  REQUIRE(f.eventually([&] { return failed_evicted(f, "filler"); }));
  CHECK(f.pod("filler")->status.message ==
        "The node was low on resource: ephemeral-storage. Threshold quantity: 10Gi, available: "
        "6Gi. Container app was using 94Gi, request is 0, has larger consumption of "
        "ephemeral-storage. ");
  CHECK(f.pod("quiet")->status.phase == "Running");
  CHECK(condition(f, "node-1", "MemoryPressure") == "False");

  // Under disk pressure even a Guaranteed pod is refused; a critical one is admitted.
  auto guaranteed = make_pod_requesting("default", "guaranteed", "100m", "64Mi");
  guaranteed.spec.containers[0].resources.limits = guaranteed.spec.containers[0].resources.requests;
  f.create_bound(guaranteed, "node-1");
  REQUIRE(f.eventually([&] { return failed_evicted(f, "guaranteed"); }));
  CHECK(f.pod("guaranteed")->status.message == "The node had condition: [DiskPressure]. ");
  auto critical = make_pod("default", "critical");
  critical.spec.priority_class_name = "system-node-critical";
  run(f, k, critical);
}
