// Kubelet: init containers run to completion, one after the other, before the app
// containers start; the pod stays Pending and not Initialized meanwhile. Sidecars (init
// containers with restartPolicy Always) start in order, keep running and stop last.
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

namespace {

/// The report of container `name` of pod `pod` (init or app), once the kubelet settled.
kubelet::ContainerReport report_of(KubeletFixture& f, const caf::actor& k, const std::string& pod,
                                   const std::string& name) {
  auto s = f.settle(k);
  REQUIRE(s);
  const auto* p = pod_of(*s, pod);
  REQUIRE(p);
  for (const auto* list : {&p->init_containers, &p->containers})
    for (const auto& c : *list)
      if (c.name == name) return c;
  FAIL("no container " << name << " in pod " << pod);
  return {};
}

api::Container sidecar(const std::string& name) {
  return api::Container{.name = name, .image = "envoy:1.30", .restart_policy = "Always"};
}

}  // namespace

TEST_CASE("an init container that fails under restartPolicy Never fails the pod",
          "[kubelet][kubelet-init]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  auto p = make_pod("default", "never");
  p.spec.restart_policy = "Never";
  p.spec.init_containers.push_back(api::Container{.name = "setup", .image = "busybox:1.36"});
  p.metadata.annotations[kubelet::kRunSecondsAnnotation] = "setup=1";
  p.metadata.annotations[kubelet::kExitCodeAnnotation] = "setup=3";
  f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("never"); }));
  f.step(k, 100ms);  // S: setup runs
  CHECK(report_of(f, k, "never", "setup").state == "Running");
  f.step(k, 1s);  // S+1: setup exits 3
  REQUIRE(f.eventually([&] { return f.pod("never")->status.phase == "Failed"; }));
  auto pod = f.pod("never");
  CHECK(pod->status.condition("Initialized")->status == "False");
  const auto* setup = status_of(pod->status.init_container_statuses, "setup");
  REQUIRE(setup);
  REQUIRE(setup->state.terminated);
  CHECK(setup->state.terminated->exit_code == 3);
  CHECK(waiting_reason(status_of(pod->status.container_statuses, "app")) == "PodInitializing");
  // Neither the init container nor the app container ever runs again.
  f.step(k, 60s);
  CHECK(report_of(f, k, "never", "setup").restart_count == 0);
  CHECK(report_of(f, k, "never", "app").state == "Waiting");
  CHECK(f.settle(k)->running_containers == 0);
}

TEST_CASE("a failed init container is retried with back-off, then the app containers start",
          "[kubelet][kubelet-init]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  auto p = make_pod("default", "retry");  // restartPolicy Always: init containers OnFailure
  p.spec.init_containers.push_back(api::Container{.name = "setup", .image = "busybox:1.36"});
  p.metadata.annotations[kubelet::kRunSecondsAnnotation] = "setup=1";
  p.metadata.annotations[kubelet::kExitCodeAnnotation] = "setup=1";
  f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("retry"); }));
  f.step(k, 100ms);
  f.step(k, 1s);  // S+1: setup fails, back-off 10 s
  auto setup = report_of(f, k, "retry", "setup");
  CHECK(setup.reason == "CrashLoopBackOff");
  CHECK(report_of(f, k, "retry", "app").state == "Waiting");
  REQUIRE(f.eventually([&] {
    auto s = status_of(f.pod("retry")->status.init_container_statuses, "setup");
    return waiting_reason(s) == "CrashLoopBackOff";
  }));
  CHECK(f.pod("retry")->status.phase == "Pending");

  f.annotate(k, "retry", kubelet::kExitCodeAnnotation, "");  // the next run succeeds
  f.step(k, 10s);                                            // S+11: created again
  f.step(k, 100ms);                                          // runs
  f.step(k, 1s);                                             // completes; app is created
  f.step(k, 100ms);                                          // app runs
  CHECK(report_of(f, k, "retry", "setup").restart_count == 1);
  CHECK(report_of(f, k, "retry", "setup").reason == "Completed");
  CHECK(report_of(f, k, "retry", "app").state == "Running");
  REQUIRE(f.eventually([&] {
    auto pod = f.pod("retry");
    return pod->status.phase == "Running" && pod->status.condition("Initialized")->status == "True";
  }));
}

TEST_CASE("sidecars start in order before the next init container and keep running",
          "[kubelet][kubelet-sidecar]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  auto p = make_pod("default", "mesh");
  p.spec.init_containers.push_back(sidecar("proxy"));
  p.spec.init_containers.push_back(api::Container{.name = "setup", .image = "busybox:1.36"});
  // The proxy crashes after 30 s; setup completes after 1 s.
  p.metadata.annotations[kubelet::kRunSecondsAnnotation] = "proxy=30,setup=1";
  p.metadata.annotations[kubelet::kExitCodeAnnotation] = "proxy=1";
  f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("mesh"); }));
  CHECK(report_of(f, k, "mesh", "proxy").reason == "ContainerCreating");
  CHECK(report_of(f, k, "mesh", "setup").reason == "PodInitializing");  // waits for the proxy

  f.step(k, 100ms);  // S: the proxy runs (started), so setup is created
  CHECK(report_of(f, k, "mesh", "proxy").started);
  CHECK(report_of(f, k, "mesh", "setup").reason == "ContainerCreating");
  f.step(k, 100ms);  // setup runs
  f.step(k, 1s);     // S+1.1: setup completes; app is created
  f.step(k, 100ms);  // app runs beside the proxy
  CHECK(report_of(f, k, "mesh", "proxy").state == "Running");
  CHECK(report_of(f, k, "mesh", "app").state == "Running");
  REQUIRE(f.eventually([&] {
    auto pod = f.pod("mesh");
    if (pod->status.phase != "Running" || pod->status.condition("Ready")->status != "True")
      return false;
    const auto* proxy = status_of(pod->status.init_container_statuses, "proxy");
    return proxy && proxy->state.running && proxy->ready && proxy->started.value_or(false);
  }));

  f.step(k, 30s - 1200ms);  // S+30: the proxy crashes; restarted after its back-off
  CHECK(report_of(f, k, "mesh", "proxy").reason == "CrashLoopBackOff");
  CHECK(report_of(f, k, "mesh", "app").state == "Running");
  CHECK(report_of(f, k, "mesh", "setup").restart_count == 0);  // init is not run again
  REQUIRE(f.eventually([&] {
    auto pod = f.pod("mesh");
    return pod->status.phase == "Running" && pod->status.condition("Ready")->status == "False";
  }));
  f.step(k, 10s);
  f.step(k, 100ms);
  auto proxy = report_of(f, k, "mesh", "proxy");
  CHECK(proxy.state == "Running");
  CHECK(proxy.restart_count == 1);
  CHECK(report_of(f, k, "mesh", "setup").restart_count == 0);
  CHECK(report_of(f, k, "mesh", "app").restart_count == 0);
}

TEST_CASE("a sidecar's startup probe holds the next init container back",
          "[kubelet][kubelet-sidecar]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  auto p = make_pod("default", "gated");
  auto proxy = sidecar("proxy");
  api::Probe startup;
  startup.exec = api::ExecAction{{"true"}};
  startup.period_seconds = 5;
  startup.failure_threshold = 10;
  proxy.startup_probe = startup;
  p.spec.init_containers.push_back(proxy);
  p.metadata.annotations[kubelet::kFailStartupAnnotation] = "proxy";
  f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("gated"); }));
  f.step(k, 100ms);  // the proxy runs, its startup probe fails
  f.step(k, 5s);
  CHECK(report_of(f, k, "gated", "proxy").state == "Running");
  CHECK_FALSE(report_of(f, k, "gated", "proxy").started);
  CHECK(report_of(f, k, "gated", "app").reason == "PodInitializing");
  f.annotate(k, "gated", kubelet::kFailStartupAnnotation, "");
  f.step(k, 5s);  // the next startup probe passes: the app container is created
  CHECK(report_of(f, k, "gated", "proxy").started);
  CHECK(report_of(f, k, "gated", "app").reason == "ContainerCreating");
  f.step(k, 100ms);
  CHECK(report_of(f, k, "gated", "app").state == "Running");
}

TEST_CASE("sidecars stop after the app containers: when the pod's work is done, and on deletion",
          "[kubelet][kubelet-sidecar]") {
  KubeletFixture f;
  kubelet::SimRuntimeOptions sim;
  sim.stop_delay = 5s;
  auto k = f.ready_node("node-1", "10.244.1.0/24", sim);

  SECTION("restartPolicy Never: the app completes, the sidecar is stopped, the pod succeeds") {
    auto p = make_pod("default", "job");
    p.spec.restart_policy = "Never";
    p.spec.init_containers.push_back(sidecar("proxy"));
    p.metadata.annotations[kubelet::kRunSecondsAnnotation] = "app=2";
    f.create_bound(p, "node-1");
    REQUIRE(f.eventually([&] { return f.reported("job"); }));
    f.step(k, 100ms);  // S: the proxy runs; app created
    f.step(k, 100ms);  // app runs
    f.step(k, 2s);     // app completes; the proxy is asked to stop
    CHECK(report_of(f, k, "job", "app").state == "Terminated");
    CHECK(report_of(f, k, "job", "proxy").state == "Running");
    CHECK(pod_of(*f.settle(k), "job")->phase == "Running");  // a running sidecar counts
    f.step(k, 5s);                                           // its stop delay
    CHECK(report_of(f, k, "job", "proxy").state == "Terminated");
    REQUIRE(f.eventually([&] { return f.pod("job")->status.phase == "Succeeded"; }));
    CHECK(f.settle(k)->running_containers == 0);
  }

  SECTION("deletion: the app containers first, then the sidecars in reverse order") {
    auto p = make_pod("default", "web");
    p.spec.init_containers.push_back(sidecar("logs"));
    p.spec.init_containers.push_back(sidecar("proxy"));
    f.create_bound(p, "node-1");
    REQUIRE(f.eventually([&] { return f.reported("web"); }));
    f.step(k, 100ms);  // logs runs
    f.step(k, 100ms);  // proxy runs
    f.step(k, 100ms);  // app runs
    REQUIRE(f.settle(k)->running_containers == 3);
    REQUIRE(f.client->remove(api::Pod::static_type(), "default", "web").has_value());
    REQUIRE(f.eventually([&] {
      auto s = f.settle(k);
      return s && !s->pods.empty() && s->pods[0].terminating;
    }));
    f.step(k, 5s);  // the app container stopped; now the proxy is asked to
    CHECK(report_of(f, k, "web", "app").state == "Terminated");
    CHECK(report_of(f, k, "web", "proxy").state == "Running");
    CHECK(report_of(f, k, "web", "logs").state == "Running");
    f.step(k, 5s);  // the proxy stopped; now logs
    CHECK(report_of(f, k, "web", "proxy").state == "Terminated");
    CHECK(report_of(f, k, "web", "logs").state == "Running");
    f.step(k, 5s);
    CHECK(f.eventually([&] { return f.pod("web") == nullptr; }));
  }
}
