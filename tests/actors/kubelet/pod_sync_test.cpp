// Kubelet (pod_sync.cpp): pods bound to the node run through the simulated runtime, get
// addresses from the node's pod CIDR, report status, and go after graceful deletion.
#include "tests/actors/kubelet/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

TEST_CASE("a bound pod goes Pending then Running with an IP and Ready conditions",
          "[kubelet][kubelet-pods]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  auto t0 = f.clock.now();
  auto p = make_pod("default", "web");
  p.spec.containers[0].resources.requests["cpu"] = *api::Quantity::parse("100m");
  auto created = f.create_bound(p, "node-1");

  REQUIRE(f.eventually([&] {
    auto pod = f.pod("web");
    return pod && pod->status.phase == "Pending" && pod->status.container_statuses.size() == 1;
  }));
  auto pending = f.pod("web");
  const auto& waiting = pending->status.container_statuses[0];
  REQUIRE(waiting.state.waiting);
  CHECK(waiting.state.waiting->reason == "ContainerCreating");
  CHECK(!waiting.ready);
  CHECK(pending->status.pod_ip == "10.244.1.2");
  CHECK(pending->status.host_ip.starts_with("172.18."));
  CHECK(pending->status.condition("Ready")->status == "False");
  CHECK(pending->status.condition("Ready")->reason == "ContainersNotReady");

  f.clock.advance(100ms);  // the simulated start delay
  REQUIRE(f.eventually([&] {
    auto pod = f.pod("web");
    return pod && pod->status.phase == "Running";
  }));
  auto running = f.pod("web");
  const auto& s = running->status;
  CHECK(s.pod_ip == "10.244.1.2");
  REQUIRE(s.pod_ips.size() == 1);
  CHECK(s.pod_ips[0].ip == "10.244.1.2");
  CHECK(s.start_time.value == t0);
  CHECK(s.qos_class == "Burstable");
  for (const char* c : {"PodScheduled", "Initialized", "ContainersReady", "Ready"}) {
    INFO(c);
    REQUIRE(s.condition(c));
    CHECK(s.condition(c)->status == "True");
  }
  CHECK(s.condition("Ready")->last_transition_time.value == t0 + 100ms);
  REQUIRE(s.container_statuses.size() == 1);
  const auto& cs = s.container_statuses[0];
  REQUIRE(cs.state.running);
  CHECK(cs.state.running->started_at.value == t0 + 100ms);
  CHECK(cs.ready);
  CHECK(cs.started == true);
  CHECK(cs.restart_count == 0);
  CHECK(cs.image == "nginx:1.25");
  CHECK(cs.container_id.starts_with("sim://"));

  auto state = f.query(k);
  REQUIRE(state);
  CHECK(state->running_containers == 1);
  CHECK(state->ips.at(created->metadata.uid) == "10.244.1.2");
}

TEST_CASE("a pod waits for the node's pod CIDR, host-network pods do not",
          "[kubelet][kubelet-pods]") {
  KubeletFixture f;
  kubelet::KubeletOptions o;
  o.node_name = "node-1";
  o.node_index = 4;
  auto k = f.spawn(o);
  f.wait_registered("node-1");
  f.create_bound(make_pod("default", "net"), "node-1");
  auto host = make_pod("default", "host");
  host.spec.host_network = true;
  f.create_bound(host, "node-1");
  REQUIRE(f.eventually([&] {
    auto pod = f.pod("host");
    return pod && !pod->status.pod_ip.empty();
  }));
  CHECK(f.pod("host")->status.pod_ip == "172.18.0.6");
  auto s = f.query(k);
  REQUIRE(s);
  CHECK(s->pods.size() == 1);  // "net" has no worker yet
  CHECK(f.pod("net")->status.pod_ip.empty());

  REQUIRE(f.set_pod_cidr("node-1", "10.244.3.0/24"));
  CHECK(f.eventually([&] {
    auto pod = f.pod("net");
    return pod && pod->status.pod_ip == "10.244.3.2";
  }));
}

TEST_CASE("readiness waits for the probe's initial delay and the ready annotation",
          "[kubelet][kubelet-pods]") {
  KubeletFixture f;
  f.ready_node("node-1", "10.244.1.0/24");
  auto p = make_pod("default", "probed");
  api::Probe probe;
  probe.initial_delay_seconds = 5;
  probe.tcp_socket = api::TCPSocketAction{api::IntOrString::from_int(80), ""};
  p.spec.containers[0].readiness_probe = probe;
  f.create_bound(p, "node-1");
  auto forced = make_pod("default", "forced");
  forced.metadata.annotations[kubelet::kReadyAnnotation] = "false";
  f.create_bound(forced, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("probed") && f.reported("forced"); }));
  f.clock.advance(100ms);
  REQUIRE(f.eventually([&] {
    auto a = f.pod("probed"), b = f.pod("forced");
    return a && b && a->status.phase == "Running" && b->status.phase == "Running";
  }));
  CHECK(f.pod("probed")->status.condition("Ready")->status == "False");
  f.clock.advance(5s);
  CHECK(f.eventually([&] { return f.pod("probed")->status.condition("Ready")->status == "True"; }));
  CHECK(f.pod("forced")->status.condition("Ready")->status == "False");
  CHECK(!f.pod("forced")->status.container_statuses[0].ready);
}

TEST_CASE("graceful deletion stops the containers, then the pod is gone",
          "[kubelet][kubelet-delete]") {
  KubeletFixture f;
  kubelet::SimRuntimeOptions sim;
  sim.stop_delay = 2s;
  auto k = f.ready_node("node-1", "10.244.1.0/24", sim);
  f.create_bound(make_pod("default", "web"), "node-1");
  REQUIRE(f.eventually([&] { return f.reported("web"); }));
  f.clock.advance(100ms);
  REQUIRE(f.eventually([&] {
    auto pod = f.pod("web");
    return pod && pod->status.phase == "Running";
  }));

  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "web").has_value());
  auto terminating = f.pod("web");
  REQUIRE(terminating);  // the API server waits for the kubelet
  REQUIRE(terminating->metadata.deletion_timestamp);
  // The kubelet has seen the deletion; the container is still stopping.
  REQUIRE(f.eventually([&] {
    auto s = f.query(k);
    return s && s->pods.size() == 1 && s->pods[0].terminating && s->running_containers == 1;
  }));
  f.clock.advance(2s);  // the container's stop delay
  CHECK(f.eventually([&] { return f.pod("web") == nullptr; }));
  CHECK(f.eventually([&] {
    auto s = f.query(k);
    return s && s->pods.empty() && s->ips.empty();
  }));
}

TEST_CASE("pod IPs are unique across pods and reused after deletion", "[kubelet][kubelet-delete]") {
  KubeletFixture f;
  auto k = f.ready_node("node-1", "10.244.9.0/24");
  for (const char* name : {"a", "b", "c"}) f.create_bound(make_pod("default", name), "node-1");
  REQUIRE(f.eventually([&] {
    for (const char* name : {"a", "b", "c"}) {
      auto pod = f.pod(name);
      if (!pod || pod->status.pod_ip.empty()) return false;
    }
    return true;
  }));
  std::set<std::string> ips;
  for (const char* name : {"a", "b", "c"}) ips.insert(f.pod(name)->status.pod_ip);
  CHECK(ips == std::set<std::string>{"10.244.9.2", "10.244.9.3", "10.244.9.4"});

  auto freed = f.pod("b")->status.pod_ip;
  REQUIRE(f.client->remove(api::Pod::static_type(), "default", "b").has_value());
  REQUIRE(f.eventually([&] { return f.pod("b") == nullptr; }));
  REQUIRE(f.eventually([&] {
    auto s = f.query(k);
    return s && s->ips.size() == 2;
  }));
  f.create_bound(make_pod("default", "d"), "node-1");
  CHECK(f.eventually([&] {
    auto pod = f.pod("d");
    return pod && pod->status.pod_ip == freed;
  }));
}
