// Kubelet: the Events of a container's life as upstream writes them (reason, type, message,
// involvedObject with its fieldPath, source kubelet on the node), under the virtual clock:
// Pulling, Pulled, Created, Started; "already present" for an image the node holds; BackOff
// for a crashing container; Killing when the pod is deleted; Unhealthy for failed probes.
#include "actors/kubelet/container_events.hpp"
#include "actors/kubelet/sim_annotations.hpp"
#include "tests/actors/kubelet/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

using EventPtr = std::shared_ptr<const api::Event>;

/// The one Event about pod `pod` with `reason` and `message`, once it was written.
EventPtr wait_event(KubeletFixture& f, const std::string& pod, const std::string& reason,
                    const std::string& message) {
  EventPtr found;
  f.eventually([&] {
    for (auto& e : f.events_about(pod, reason))
      if (e->message == message) found = e;
    return found != nullptr;
  });
  INFO("event " << reason << ": " << message);
  REQUIRE(found);
  return found;
}

void check_about_container(const api::Event& e, const api::Pod& pod, const std::string& type,
                           const std::string& container = "app") {
  CHECK(e.type == type);
  CHECK(e.involved_object.kind == "Pod");
  CHECK(e.involved_object.api_version == "v1");
  CHECK(e.involved_object.name == pod.metadata.name);
  CHECK(e.involved_object.namespace_ == pod.metadata.namespace_);
  CHECK(e.involved_object.uid == pod.metadata.uid);
  CHECK(e.involved_object.field_path == "spec.containers{" + container + "}");
  CHECK(e.source.component == "kubelet");
  CHECK(e.source.host == "node-1");
}

api::Pod pod_with_image(const std::string& name, const std::string& image) {
  auto p = make_pod("default", name);
  p.spec.containers[0].name = "app";
  p.spec.containers[0].image = image;
  return p;
}

}  // namespace

TEST_CASE("kubelet events: a pod's life is Pulling, Pulled, Created, Started, then Killing",
          "[kubelet][kubelet-events]") {
  KubeletFixture f;
  f.watch_events();
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  // No tag: pull policy Always, so the image is pulled.
  auto pod = f.create_bound(pod_with_image("web", "nginx"), "node-1");
  REQUIRE(f.eventually([&] { return f.reported("web"); }));
  auto pulling = wait_event(f, "web", "Pulling", "Pulling image \"nginx\"");
  check_about_container(*pulling, *pod, "Normal");
  CHECK(f.events_about("web", "Started").empty());

  // The simulated runtime pulls and starts in 100 ms.
  f.step(k, 100ms);
  const auto size = kubelet::ImageCatalog{}.size_of("nginx");
  auto pulled = wait_event(f, "web", "Pulled",
                           "Successfully pulled image \"nginx\" in 100ms (100ms including "
                           "waiting). Image size: " +
                               std::to_string(size) + " bytes.");
  check_about_container(*pulled, *pod, "Normal");
  check_about_container(*wait_event(f, "web", "Created", "Created container: app"), *pod, "Normal");
  check_about_container(*wait_event(f, "web", "Started", "Started container app"), *pod, "Normal");

  // Deleted with a grace period: the container is asked to stop.
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "web").has_value());
  auto killing = wait_event(f, "web", "Killing", "Stopping container app");
  check_about_container(*killing, *pod, "Normal");
}

TEST_CASE("kubelet events: an image the node holds is already present, not pulled",
          "[kubelet][kubelet-events]") {
  KubeletFixture f;
  f.watch_events();
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  // A tag: pull policy IfNotPresent.
  f.create_bound(pod_with_image("first", "busybox:1.36"), "node-1");
  REQUIRE(f.eventually([&] { return f.reported("first"); }));
  f.step(k, 100ms);
  wait_event(f, "first", "Pulled", "Successfully pulled image \"busybox:1.36\" in 100ms (100ms "
                                   "including waiting). Image size: " +
                                       std::to_string(kubelet::ImageCatalog{}.size_of("busybox:1.36")) +
                                       " bytes.");
  auto second = f.create_bound(pod_with_image("second", "busybox:1.36"), "node-1");
  auto present =
      wait_event(f, "second", "Pulled", "Container image \"busybox:1.36\" already present on machine");
  check_about_container(*present, *second, "Normal");
  // The Event can be seen before the kubelet's handler that wrote it has asked the runtime to
  // start the container (which arms its 100 ms timer): let the kubelet finish first, or the
  // clock could move before the timer exists and the start would never come.
  f.settle(k);
  f.step(k, 100ms);
  wait_event(f, "second", "Started", "Started container app");
  CHECK(f.events_about("second", "Pulling").empty());
}

TEST_CASE("kubelet events: a crashing container is backed off with a Warning",
          "[kubelet][kubelet-events]") {
  KubeletFixture f;
  f.watch_events();
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  auto p = pod_with_image("crash", "busybox:1.36");
  p.metadata.annotations[kubelet::kRunSecondsAnnotation] = "5";
  p.metadata.annotations[kubelet::kExitCodeAnnotation] = "1";
  auto pod = f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("crash"); }));
  f.step(k, 100ms);
  f.step(k, 5s);
  auto backoff = wait_event(f, "crash", "BackOff",
                            "Back-off restarting failed container app in pod crash_default(" +
                                pod->metadata.uid + ")");
  check_about_container(*backoff, *pod, "Warning");
  // Restarted after 10 s: the image is there now, created and started again (counted).
  f.step(k, 10s);
  f.step(k, 100ms);
  REQUIRE(f.eventually([&] {
    auto started = f.events_about("crash", "Started");
    return started.size() == 1 && started[0]->count == 2;
  }));
  wait_event(f, "crash", "Pulled", "Container image \"busybox:1.36\" already present on machine");
}

TEST_CASE("kubelet events: a failed liveness probe is Unhealthy, and the container is killed",
          "[kubelet][kubelet-events]") {
  KubeletFixture f;
  f.watch_events();
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  auto p = pod_with_image("sick", "busybox:1.36");
  api::Probe probe;
  probe.exec = api::ExecAction{{"true"}};
  probe.period_seconds = 10;
  probe.failure_threshold = 1;
  p.spec.containers[0].liveness_probe = probe;
  p.metadata.annotations[kubelet::kFailLivenessAnnotation] = "app";
  auto pod = f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("sick"); }));
  f.step(k, 100ms);
  f.step(k, 10s);
  auto unhealthy = wait_event(f, "sick", "Unhealthy",
                              std::string("Liveness probe failed: liveness probe failed (") +
                                  kubelet::kFailLivenessAnnotation + ")");
  check_about_container(*unhealthy, *pod, "Warning");
  check_about_container(
      *wait_event(f, "sick", "Killing", "Container app failed liveness probe, will be restarted"),
      *pod, "Normal");
}

TEST_CASE("kubelet events: durations print as Go prints them", "[kubelet][kubelet-events]") {
  using kubelet::go_duration;
  CHECK(go_duration(0ms) == "0s");
  CHECK(go_duration(100ms) == "100ms");
  CHECK(go_duration(1200ms) == "1.2s");
  CHECK(go_duration(std::chrono::microseconds(1500)) == "1.5ms");
  CHECK(go_duration(std::chrono::nanoseconds(1500)) == "1.5\u00b5s");
  CHECK(go_duration(65s) == "1m5s");
  CHECK(go_duration(3600s) == "1h0m0s");
}
