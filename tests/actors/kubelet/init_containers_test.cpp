// Kubelet: init containers run to completion, one after the other, before the app
// containers start; the pod stays Pending and not Initialized meanwhile.
#include "tests/actors/kubelet/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

const api::ContainerStatus* status_of(const std::vector<api::ContainerStatus>& list,
                                      const std::string& name) {
  for (const auto& s : list)
    if (s.name == name) return &s;
  return nullptr;
}

std::string waiting_reason(const api::ContainerStatus* s) {
  return s && s->state.waiting ? s->state.waiting->reason : "";
}

}  // namespace

TEST_CASE("init containers run to completion in order before the app containers start",
          "[kubelet][kubelet-init]") {
  KubeletFixture f;
  f.ready_node("node-1", "10.244.1.0/24");
  auto p = make_pod("default", "init");
  p.spec.init_containers.push_back(api::Container{.name = "fetch", .image = "busybox:1.36"});
  p.spec.init_containers.push_back(api::Container{.name = "migrate", .image = "busybox:1.36"});
  p.metadata.annotations[kubelet::kRunSecondsAnnotation] = "fetch=2,migrate=3";
  f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("init"); }));

  auto pod = f.pod("init");
  CHECK(pod->status.phase == "Pending");
  const auto* initialized = pod->status.condition("Initialized");
  REQUIRE(initialized);
  CHECK(initialized->status == "False");
  CHECK(initialized->reason == "ContainersNotInitialized");
  CHECK(initialized->message == "containers with incomplete status: [fetch migrate]");
  REQUIRE(pod->status.init_container_statuses.size() == 2);
  CHECK(waiting_reason(status_of(pod->status.init_container_statuses, "fetch")) ==
        "ContainerCreating");
  CHECK(waiting_reason(status_of(pod->status.init_container_statuses, "migrate")) ==
        "PodInitializing");
  CHECK(waiting_reason(status_of(pod->status.container_statuses, "app")) == "PodInitializing");

  f.clock.advance(100ms);  // fetch starts
  REQUIRE(f.eventually([&] {
    auto now = f.pod("init");
    auto* s = status_of(now->status.init_container_statuses, "fetch");
    return s && s->state.running;
  }));
  f.clock.advance(2s);  // fetch completes; migrate is created
  REQUIRE(f.eventually([&] {
    auto now = f.pod("init");
    return waiting_reason(status_of(now->status.init_container_statuses, "migrate")) ==
           "ContainerCreating";
  }));
  pod = f.pod("init");
  const auto* fetch = status_of(pod->status.init_container_statuses, "fetch");
  REQUIRE(fetch);
  REQUIRE(fetch->state.terminated);
  CHECK(fetch->state.terminated->exit_code == 0);
  CHECK(fetch->state.terminated->reason == "Completed");
  CHECK(fetch->ready);
  CHECK(pod->status.condition("Initialized")->message ==
        "containers with incomplete status: [migrate]");
  CHECK(waiting_reason(status_of(pod->status.container_statuses, "app")) == "PodInitializing");
  CHECK(pod->status.phase == "Pending");

  f.clock.advance(100ms + 3s);  // migrate starts, runs 3 s and completes; app is created
  REQUIRE(f.eventually([&] {
    auto now = f.pod("init");
    return waiting_reason(status_of(now->status.container_statuses, "app")) == "ContainerCreating";
  }));
  pod = f.pod("init");
  CHECK(pod->status.condition("Initialized")->status == "True");
  CHECK(pod->status.phase == "Pending");
  f.clock.advance(100ms);
  REQUIRE(f.eventually([&] {
    auto now = f.pod("init");
    return now->status.phase == "Running" && now->status.condition("Ready")->status == "True";
  }));
}
