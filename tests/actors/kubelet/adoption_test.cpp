// Kubelet (adoption.cpp): a kubelet restarted over a runtime that outlived its predecessor
// adopts the containers of its pods, learns of exits it missed, and stops the containers of
// pods no longer bound to it.
#include "tests/actors/kubelet/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

kubelet::KubeletOptions node_on(const std::shared_ptr<kubelet::SimRuntime>& machine) {
  kubelet::KubeletOptions o;
  o.node_name = "node-1";
  o.runtime = kubelet::shared_sim_runtime_factory(machine);
  return o;
}

size_t containers_of(const kubelet::SimRuntime& machine, const std::string& pod_uid) {
  size_t n = 0;
  for (const auto& c : machine.list_containers()) n += c.pod_uid == pod_uid;
  return n;
}

}  // namespace

TEST_CASE("a restarted kubelet adopts the containers its runtime still runs",
          "[kubelet][kubelet-adoption]") {
  KubeletFixture f;
  auto machine = std::make_shared<kubelet::SimRuntime>(f.clock, nullptr);
  auto t0 = f.clock.now();
  auto first = f.ready_node(node_on(machine), "10.244.1.0/24");
  f.create_bound(make_pod("default", "web"), "node-1");
  auto job = make_pod("default", "job");
  job.spec.restart_policy = "OnFailure";
  job.metadata.annotations[kubelet::kRunSecondsAnnotation] = "5";
  f.create_bound(job, "node-1");
  auto gone = f.create_bound(make_pod("default", "gone"), "node-1");
  REQUIRE(
      f.eventually([&] { return f.reported("web") && f.reported("job") && f.reported("gone"); }));
  f.clock.advance(100ms);
  REQUIRE(f.eventually([&] {
    for (const char* name : {"web", "job", "gone"})
      if (f.pod(name)->status.phase != "Running") return false;
    return true;
  }));
  auto web_id = f.pod("web")->status.container_statuses.at(0).container_id;
  auto job_id = f.pod("job")->status.container_statuses.at(0).container_id;

  // The kubelet goes; meanwhile "gone" is deleted for good and "job" completes.
  caf::anon_send(first, kubelet::kubelet_crash_atom::value);
  REQUIRE_FALSE(f.query(first));
  client::DeleteOptions now;
  now.grace_period_seconds = 0;
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "gone", now).has_value());
  f.clock.advance(10s);
  REQUIRE(containers_of(*machine, gone->metadata.uid) == 1);

  auto second = f.ready_node(node_on(machine), "10.244.1.0/24");
  REQUIRE(f.eventually([&] {
    auto pod = f.pod("job");
    return pod && pod->status.phase == "Succeeded";
  }));
  const auto& done = f.pod("job")->status.container_statuses.at(0);
  REQUIRE(done.state.terminated);
  CHECK(done.state.terminated->container_id == job_id);
  CHECK(done.state.terminated->finished_at.value == t0 + 5100ms);
  CHECK(done.restart_count == 0);

  // "web" runs on in the container it had: no restart, same id, same start.
  auto s = f.query(second);
  REQUIRE(s);
  const auto* web = container_of(*s, "web");
  REQUIRE(web);
  CHECK(web->state == "Running");
  CHECK(web->container_id == web_id);
  CHECK(web->restart_count == 0);
  auto pod = f.pod("web");
  const auto& cs = pod->status.container_statuses.at(0);
  CHECK(cs.restart_count == 0);
  REQUIRE(cs.state.running);
  CHECK(cs.state.running->started_at.value == t0 + 100ms);
  CHECK_FALSE(cs.last_state.terminated);

  // Nothing of "gone" runs any more; the job's exit, once known, was forgotten.
  CHECK(f.eventually([&] { return containers_of(*machine, gone->metadata.uid) == 0; }));
  REQUIRE(machine->list_containers().size() == 1);
  CHECK(machine->list_containers()[0].id == web_id);
}

TEST_CASE("a restarted kubelet runs no completed init container again and adopts its sidecars",
          "[kubelet][kubelet-adoption]") {
  KubeletFixture f;
  auto machine = std::make_shared<kubelet::SimRuntime>(f.clock, nullptr);
  auto first = f.ready_node(node_on(machine), "10.244.1.0/24");
  auto p = make_pod("default", "mesh");
  p.spec.init_containers.push_back(api::Container{.name = "setup", .image = "busybox:1.36"});
  p.spec.init_containers.push_back(
      api::Container{.name = "proxy", .image = "envoy:1.30", .restart_policy = "Always"});
  f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("mesh"); }));
  f.step(first, 100ms);  // setup runs and completes at once; the proxy is created
  f.step(first, 100ms);  // the proxy runs; app is created
  f.step(first, 100ms);  // app runs
  REQUIRE(f.eventually([&] {
    auto pod = f.pod("mesh");
    return pod->status.phase == "Running" && pod->status.condition("Ready")->status == "True";
  }));
  auto proxy_id = f.pod("mesh")->status.init_container_statuses.at(1).container_id;
  auto app_id = f.pod("mesh")->status.container_statuses.at(0).container_id;

  caf::anon_send(first, kubelet::kubelet_crash_atom::value);
  REQUIRE_FALSE(f.query(first));
  auto second = f.ready_node(node_on(machine), "10.244.1.0/24");
  f.step(second, 1s);  // anything it (wrongly) started again would be running by now
  auto s = f.settle(second);
  REQUIRE(s);
  const auto* pod = pod_of(*s, "mesh");
  REQUIRE(pod);
  REQUIRE(pod->init_containers.size() == 2);
  CHECK(pod->init_containers[0].state == "Terminated");
  CHECK(pod->init_containers[0].reason == "Completed");
  CHECK(pod->init_containers[0].restart_count == 0);
  CHECK(pod->init_containers[1].state == "Running");
  CHECK(pod->init_containers[1].container_id == proxy_id);
  CHECK(pod->init_containers[1].restart_count == 0);
  REQUIRE(pod->containers.size() == 1);
  CHECK(pod->containers[0].container_id == app_id);
  CHECK(pod->containers[0].restart_count == 0);
  CHECK(s->running_containers == 2);
  CHECK(machine->list_containers().size() == 2);  // the proxy and app, nothing new
  CHECK(f.eventually([&] {
    auto now = f.pod("mesh");
    return now->status.condition("Initialized")->status == "True" &&
           now->status.condition("Ready")->status == "True";
  }));
}
