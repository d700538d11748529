// Kubelet: restart policies and CrashLoopBackOff timing under the virtual clock.
// Every step advances the clock to an exact instant, then queries the kubelet, which
// answers only after handling the timer messages of that advance.
#include "tests/actors/kubelet/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

api::Pod exiting_pod(const std::string& name, const std::string& policy, int run_seconds,
                     int exit_code) {
  auto p = make_pod("default", name);
  p.spec.restart_policy = policy;
  p.metadata.annotations[kubelet::kRunSecondsAnnotation] = std::to_string(run_seconds);
  p.metadata.annotations[kubelet::kExitCodeAnnotation] = std::to_string(exit_code);
  return p;
}

/// Waits until the kubelet has the pod's container (it has asked the runtime to start it).
void wait_created(KubeletFixture& f, const caf::actor& k, const std::string& name) {
  REQUIRE(f.eventually([&] {
    auto s = f.query(k);
    return s && container_of(*s, name) != nullptr;
  }));
}

kubelet::ContainerReport container_now(KubeletFixture& f, const caf::actor& k,
                                       const std::string& name) {
  auto s = f.query(k);
  REQUIRE(s);
  auto* c = container_of(*s, name);
  REQUIRE(c);
  return *c;
}

}  // namespace

TEST_CASE("a crashing container restarts after 10 s, 20 s, 40 s ... capped at 300 s",
          "[kubelet][kubelet-restart]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  f.create_bound(exiting_pod("crash", "Always", 5, 1), "node-1");
  wait_created(f, k, "crash");

  f.clock.advance(100ms);
  CHECK(container_now(f, k, "crash").state == "Running");
  f.clock.advance(5s);
  auto c = container_now(f, k, "crash");
  CHECK(c.reason == "CrashLoopBackOff");
  CHECK(c.exit_code == 1);
  CHECK(c.restart_count == 0);

  int restarts = 0;
  for (auto backoff : {10s, 20s, 40s, 80s, 160s, 300s, 300s}) {
    INFO("back-off " << backoff.count() << " s");
    f.clock.advance(backoff - 1ms);
    c = container_now(f, k, "crash");
    CHECK(c.reason == "CrashLoopBackOff");
    CHECK(c.restart_count == restarts);
    f.clock.advance(1ms);
    c = container_now(f, k, "crash");
    ++restarts;
    CHECK(c.reason == "ContainerCreating");
    CHECK(c.restart_count == restarts);
    f.clock.advance(100ms);
    CHECK(container_now(f, k, "crash").state == "Running");
    f.clock.advance(5s);
    CHECK(container_now(f, k, "crash").reason == "CrashLoopBackOff");
  }

  // The API server shows it too.
  CHECK(f.eventually([&] {
    auto pod = f.pod("crash");
    if (!pod || pod->status.container_statuses.empty()) return false;
    const auto& cs = pod->status.container_statuses[0];
    return pod->status.phase == "Running" && cs.restart_count == restarts && cs.state.waiting &&
           cs.state.waiting->reason == "CrashLoopBackOff" && cs.last_state.terminated &&
           cs.last_state.terminated->exit_code == 1 && !cs.ready;
  }));
}

TEST_CASE("the back-off resets after a container ran for 10 minutes",
          "[kubelet][kubelet-restart]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  f.create_bound(exiting_pod("long", "OnFailure", 600, 3), "node-1");
  wait_created(f, k, "long");
  for (int round = 1; round <= 3; ++round) {
    f.clock.advance(100ms);
    CHECK(container_now(f, k, "long").state == "Running");
    f.clock.advance(600s);
    CHECK(container_now(f, k, "long").reason == "CrashLoopBackOff");
    f.clock.advance(10s);  // always the initial back-off
    CHECK(container_now(f, k, "long").restart_count == round);
  }
}

TEST_CASE("restartPolicy Never: a failed container fails the pod", "[kubelet][kubelet-restart]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  f.create_bound(exiting_pod("once", "Never", 3, 2), "node-1");
  wait_created(f, k, "once");
  f.clock.advance(100ms);
  CHECK(container_now(f, k, "once").state == "Running");
  f.clock.advance(3s);
  REQUIRE(f.eventually([&] {
    auto pod = f.pod("once");
    return pod && pod->status.phase == "Failed";
  }));
  auto pod = f.pod("once");
  const auto& cs = pod->status.container_statuses.at(0);
  REQUIRE(cs.state.terminated);
  CHECK(cs.state.terminated->exit_code == 2);
  CHECK(cs.state.terminated->reason == "Error");
  CHECK(cs.restart_count == 0);
  CHECK(pod->status.condition("Ready")->status == "False");
  CHECK(pod->status.condition("Ready")->reason == "PodCompleted");
  // Nothing restarts later.
  f.clock.advance(60s);
  CHECK(container_now(f, k, "once").restart_count == 0);
  CHECK(container_now(f, k, "once").state == "Terminated");
}

TEST_CASE("restartPolicy OnFailure: exit 0 completes the pod", "[kubelet][kubelet-restart]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  f.create_bound(exiting_pod("job", "OnFailure", 2, 0), "node-1");
  wait_created(f, k, "job");
  f.clock.advance(100ms);
  CHECK(container_now(f, k, "job").state == "Running");
  f.clock.advance(2s);
  REQUIRE(f.eventually([&] {
    auto pod = f.pod("job");
    return pod && pod->status.phase == "Succeeded";
  }));
  const auto& cs = f.pod("job")->status.container_statuses.at(0);
  REQUIRE(cs.state.terminated);
  CHECK(cs.state.terminated->exit_code == 0);
  CHECK(cs.state.terminated->reason == "Completed");

  // Deleting a finished pod needs no stopping: it goes at once.
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "job").has_value());
  CHECK(f.eventually([&] { return f.pod("job") == nullptr; }));
}

TEST_CASE("a kubelet restarted on its node counts a restart for the containers it ran",
          "[kubelet][kubelet-restart]") {
  // The simulated runtime goes with the kubelet, as containers go with a rebooted machine.
  KubeletFixture f;
  auto first = f.ready_node("node-1", "10.244.1.0/24");
  f.create_bound(make_pod("default", "web"), "node-1");
  wait_created(f, first, "web");
  f.clock.advance(100ms);
  REQUIRE(f.eventually([&] {
    auto pod = f.pod("web");
    return pod && pod->status.phase == "Running" && !pod->status.container_statuses.empty() &&
           pod->status.container_statuses[0].state.running;
  }));
  auto ip = f.pod("web")->status.pod_ip;
  caf::anon_send(first, kubelet::kubelet_crash_atom::value);
  REQUIRE_FALSE(f.query(first).has_value());

  auto second = f.ready_node("node-1", "10.244.1.0/24");
  wait_created(f, second, "web");
  // The pod stays Running while its container is created again; the run that ended with
  // the machine is its last state.
  REQUIRE(f.eventually([&] {
    auto pod = f.pod("web");
    return pod && pod->status.container_statuses.at(0).restart_count == 1;
  }));
  auto pod = f.pod("web");
  CHECK(pod->status.phase == "Running");
  CHECK(pod->status.pod_ip == ip);
  const auto& cs = pod->status.container_statuses.at(0);
  REQUIRE(cs.state.waiting);
  CHECK(cs.state.waiting->reason == "ContainerCreating");
  REQUIRE(cs.last_state.terminated);
  CHECK(cs.last_state.terminated->exit_code == 255);
  CHECK(cs.last_state.terminated->reason == "Unknown");

  f.clock.advance(100ms);
  auto c = container_now(f, second, "web");
  CHECK(c.state == "Running");
  CHECK(c.restart_count == 1);
}
