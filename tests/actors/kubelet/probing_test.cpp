// Kubelet: readiness, liveness and startup probes through the simulated prober.
#include <mutex>

#include "actors/kubelet/container_runtime_wrapper.hpp"
#include "tests/actors/kubelet/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

TEST_CASE("a readiness probe on a port the container does not declare never passes",
          "[kubelet][kubelet-probe]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  api::Probe probe;
  probe.tcp_socket = api::TCPSocketAction{api::IntOrString::from_string("http"), ""};
  auto missing = make_pod("default", "missing");
  missing.spec.containers[0].readiness_probe = probe;
  f.create_bound(missing, "node-1");
  auto named = make_pod("default", "named");
  named.spec.containers[0].readiness_probe = probe;
  named.spec.containers[0].ports.push_back(
      api::ContainerPort{.name = "http", .container_port = 80});
  f.create_bound(named, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("missing") && f.reported("named"); }));
  f.step(k, 100ms);
  REQUIRE(f.eventually([&] {
    auto a = f.pod("missing"), b = f.pod("named");
    return a->status.phase == "Running" && b->status.condition("Ready")->status == "True";
  }));
  f.step(k, 30s);  // three more probes
  REQUIRE(
      f.eventually([&] { return f.pod("named")->status.condition("Ready")->status == "True"; }));
  auto s = f.settle(k);
  REQUIRE(s);
  CHECK_FALSE(container_of(*s, "missing")->ready);
  auto pod = f.pod("missing");
  CHECK(pod->status.condition("Ready")->status == "False");
  CHECK_FALSE(pod->status.container_statuses.at(0).ready);
}

namespace {

api::Probe exec_probe(int period, int failures, int successes = 1, int initial_delay = 0) {
  api::Probe p;
  p.exec = api::ExecAction{{"cat", "/tmp/healthy"}};
  p.period_seconds = period;
  p.failure_threshold = failures;
  p.success_threshold = successes;
  p.initial_delay_seconds = initial_delay;
  return p;
}

kubelet::ContainerReport app_of(KubeletFixture& f, const caf::actor& k, const std::string& pod) {
  auto s = f.settle(k);
  REQUIRE(s);
  const auto* c = container_of(*s, pod);
  REQUIRE(c);
  return *c;
}

}  // namespace

TEST_CASE("readiness follows the probe's results after its thresholds",
          "[kubelet][kubelet-probe]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  auto p = make_pod("default", "web");
  p.spec.containers[0].readiness_probe = exec_probe(10, 3, 2);
  f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("web"); }));
  f.step(k, 100ms);  // runs at S; first probe at once, but success needs 2 in a row
  CHECK_FALSE(app_of(f, k, "web").ready);
  f.step(k, 10s);  // S+10: the second success
  CHECK(app_of(f, k, "web").ready);
  REQUIRE(f.eventually([&] { return f.pod("web")->status.condition("Ready")->status == "True"; }));

  // Probes fail from S+15 on: S+20, S+30 do not yet count, S+40 is the third failure.
  f.step(k, 5s);
  f.annotate(k, "web", kubelet::kFailReadinessAnnotation, "app");
  f.step(k, 15s);  // S+30
  CHECK(app_of(f, k, "web").ready);
  f.step(k, 10s);  // S+40
  CHECK_FALSE(app_of(f, k, "web").ready);
  CHECK(app_of(f, k, "web").state == "Running");  // readiness never restarts anything
  REQUIRE(f.eventually([&] { return f.pod("web")->status.condition("Ready")->status == "False"; }));

  f.annotate(k, "web", kubelet::kFailReadinessAnnotation, "");
  f.step(k, 10s);  // S+50: one success
  CHECK_FALSE(app_of(f, k, "web").ready);
  f.step(k, 10s);  // S+60: two
  CHECK(app_of(f, k, "web").ready);
}

TEST_CASE("a container failing its liveness probe is killed and restarted",
          "[kubelet][kubelet-probe]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  auto p = make_pod("default", "stuck");
  p.spec.restart_policy = "OnFailure";  // killed with exit 0 by the simulation: restarted anyway
  p.spec.containers[0].liveness_probe = exec_probe(10, 3, 1, 15);
  p.metadata.annotations[kubelet::kFailLivenessAnnotation] = "*";
  f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("stuck"); }));
  auto t0 = f.clock.now();
  f.step(k, 100ms);  // S = t0 + 100 ms; probes from S+15 s: S+15, S+25, S+35
  f.step(k, 25s);
  CHECK(app_of(f, k, "stuck").state == "Running");
  f.step(k, 10s);  // S+35: the third failure kills it
  auto c = app_of(f, k, "stuck");
  CHECK(c.reason == "CrashLoopBackOff");
  CHECK(c.restart_count == 0);
  f.step(k, 10s);  // the back-off, then it runs again
  CHECK(app_of(f, k, "stuck").restart_count == 1);
  REQUIRE(f.eventually([&] {
    const auto& cs = f.pod("stuck")->status.container_statuses.at(0);
    return cs.restart_count == 1 && cs.last_state.terminated;
  }));
  const auto& cs = f.pod("stuck")->status.container_statuses.at(0);
  CHECK(cs.last_state.terminated->finished_at.value == t0 + 35100ms);
}

TEST_CASE("a startup probe holds readiness and liveness back until it passes",
          "[kubelet][kubelet-probe]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  auto p = make_pod("default", "slow");
  p.spec.containers[0].startup_probe = exec_probe(5, 4);
  p.spec.containers[0].liveness_probe = exec_probe(1, 1);  // would kill at its first failure
  p.spec.containers[0].readiness_probe = exec_probe(10, 3);
  p.metadata.annotations[kubelet::kFailStartupAnnotation] = "app";
  p.metadata.annotations[kubelet::kFailLivenessAnnotation] = "app";
  f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("slow"); }));
  f.step(k, 100ms);  // startup probes at S, S+5, S+10, S+15 (the fourth failure)
  f.step(k, 10s);
  auto c = app_of(f, k, "slow");
  CHECK(c.state == "Running");  // not killed by the liveness probe: it has not run
  CHECK_FALSE(c.started);
  CHECK_FALSE(c.ready);
  REQUIRE(f.eventually([&] {
    const auto& cs = f.pod("slow")->status.container_statuses.at(0);
    return cs.state.running && cs.started == false;
  }));
  f.step(k, 5s);  // S+15: killed for failing its startup probe
  CHECK(app_of(f, k, "slow").reason == "CrashLoopBackOff");

  // The next run passes its startup probe; readiness and liveness take over.
  f.annotate(k, "slow", kubelet::kFailStartupAnnotation, "");
  f.annotate(k, "slow", kubelet::kFailLivenessAnnotation, "");
  f.step(k, 10s);    // S+25: the back-off is over, it is created again
  f.step(k, 100ms);  // S+25.1: running; its startup probe passes at once
  c = app_of(f, k, "slow");
  CHECK(c.started);
  CHECK(c.ready);
  CHECK(c.restart_count == 1);
}

namespace {

/// A prober that answers only when the test says so, from the test's thread.
class DeferredProber final : public kubelet::Prober {
 public:
  void probe(const kubelet::ProbeTarget&, kubelet::ProbeCallback done) override {
    std::lock_guard lock(mutex_);
    waiting_.push_back(std::move(done));
  }
  size_t waiting() {
    std::lock_guard lock(mutex_);
    return waiting_.size();
  }
  void answer_all(bool success) {
    std::vector<kubelet::ProbeCallback> calls;
    {
      std::lock_guard lock(mutex_);
      calls.swap(waiting_);
    }
    for (auto& done : calls) done({success, success ? "" : "no"});
  }

 private:
  std::mutex mutex_;
  std::vector<kubelet::ProbeCallback> waiting_;
};

class DeferredProbing final : public kubelet::ContainerRuntimeWrapper {
 public:
  DeferredProbing(std::unique_ptr<kubelet::ContainerRuntime> target, DeferredProber& prober)
      : ContainerRuntimeWrapper(std::move(target)), prober_(prober) {}
  kubelet::Prober& prober() override { return prober_; }

 private:
  DeferredProber& prober_;
};

}  // namespace

TEST_CASE("a prober may answer later, from another thread", "[kubelet][kubelet-probe]") {
  KubeletFixture f;
  DeferredProber prober;
  kubelet::KubeletOptions o;
  o.node_name = "node-1";
  o.runtime = [&](Clock& clock, kubelet::RuntimeEventSink sink) {
    return std::make_unique<DeferredProbing>(kubelet::sim_runtime_factory()(clock, std::move(sink)),
                                             prober);
  };
  auto k = f.ready_node(o, "10.244.1.0/24");
  auto p = make_pod("default", "web");
  p.spec.containers[0].readiness_probe = exec_probe(10, 3);
  f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("web"); }));
  f.step(k, 100ms);
  REQUIRE(f.eventually([&] { return prober.waiting() == 1; }));
  CHECK_FALSE(app_of(f, k, "web").ready);
  prober.answer_all(true);
  CHECK(f.eventually([&] { return f.pod("web")->status.condition("Ready")->status == "True"; }));
}
