// Served requests (request_load.hpp): which commands are request loops, how their demand is
// shared among a Service's ready endpoints, and how a sample charges it (stats.hpp).
#include "actors/kubelet/request_load.hpp"
#include "actors/kubelet/stats.hpp"

#include "tests/actors/kubelet/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

api::Container shell(const std::string& script) {
  api::Container c;
  c.name = "load";
  c.image = "busybox:1.28";
  // What `kubectl run load-generator --image=busybox:1.28 -- /bin/sh -c "..."` makes.
  c.args = {"/bin/sh", "-c", script};
  return c;
}

api::Pod load_client(const std::string& name, const std::string& script, const std::string& phase = "Running") {
  auto p = make_pod("default", name);
  p.spec.containers = {shell(script)};
  p.status.phase = phase;
  return p;
}

api::Endpoints endpoints(const std::string& name, std::vector<std::string> ready,
                         std::vector<std::string> not_ready = {}) {
  api::Endpoints ep;
  ep.metadata.namespace_ = "default";
  ep.metadata.name = name;
  api::EndpointSubset s;
  auto address = [](const std::string& pod) {
    api::EndpointAddress a;
    a.ip = "10.244.0.1";
    a.target_ref = api::ObjectReference{};
    a.target_ref->kind = "Pod";
    a.target_ref->name = pod;
    return a;
  };
  for (auto& p : ready) s.addresses.push_back(address(p));
  for (auto& p : not_ready) s.not_ready_addresses.push_back(address(p));
  s.ports.push_back(api::EndpointPort{.port = 80, .protocol = "TCP"});
  ep.subsets.push_back(s);
  return ep;
}

}  // namespace

TEST_CASE("request loops: the walkthrough's load generator and what is not one", "[kubelet][load]") {
  const auto walkthrough = kubelet::request_loop(
      shell("while sleep 0.01; do wget -q -O- http://php-apache; done"), "default");
  REQUIRE(walkthrough);
  CHECK(walkthrough->service == "php-apache");
  CHECK(walkthrough->namespace_ == "default");
  CHECK(walkthrough->requests_per_second == Approx(100.0));

  // The Service in another namespace, a port and a path, curl.
  auto other = kubelet::request_loop(
      shell("while sleep 0.5; do curl -s http://web.shop.svc.cluster.local:8080/cart; done"), "default");
  REQUIRE(other);
  CHECK(other->service == "web");
  CHECK(other->namespace_ == "shop");
  CHECK(other->requests_per_second == Approx(2.0));
  CHECK(kubelet::request_loop(shell("while sleep 1; do wget -q -O- http://web.shop; done"), "x")
            ->namespace_ == "shop");

  // Not loops to a Service: one request, no pause, an outside host, a plain sleep.
  CHECK_FALSE(kubelet::request_loop(shell("wget -q -O- http://php-apache"), "default"));
  CHECK_FALSE(kubelet::request_loop(shell("while true; do wget -q -O- http://php-apache; done"), "default"));
  CHECK_FALSE(kubelet::request_loop(shell("while sleep 0; do wget http://php-apache; done"), "default"));
  CHECK_FALSE(kubelet::request_loop(shell("while sleep 1; do wget -q http://example.com.au; done"), "default"));
  CHECK_FALSE(kubelet::request_loop(shell("sleep 3600"), "default"));
}

TEST_CASE("served demand: shared evenly among ready endpoints, from running clients only",
          "[kubelet][load]") {
  const auto loop = "while sleep 0.01; do wget -q -O- http://php-apache; done";
  const auto a = load_client("load-a", loop);
  const auto b = load_client("load-b", loop);
  const auto pending = load_client("load-c", loop, "Pending");
  auto gone = load_client("load-d", loop);
  gone.metadata.deletion_timestamp = api::Time{TimePoint{}};
  const auto ep = endpoints("php-apache", {"php-1", "php-2"}, {"php-3"});
  auto lookup = [&](const std::string& ns, const std::string& name) -> const api::Endpoints* {
    return ns == "default" && name == "php-apache" ? &ep : nullptr;
  };
  // Two loops of 100 requests/s at 7 ms each: 1.4 cores over two ready pods.
  auto demand = kubelet::served_demand({&a, &b, &pending, &gone}, lookup, 7ms);
  REQUIRE(demand.size() == 2);
  CHECK(demand["default/php-1"].nano_cores == 700'000'000);
  CHECK(demand["default/php-2"].nano_cores == 700'000'000);
  CHECK(demand["default/php-1"].ports == std::vector<int32_t>{80});
  CHECK_FALSE(demand.contains("default/php-3"));  // not ready: kube-proxy sends it nothing
  // No Endpoints, or none ready: the requests fail and cost nobody anything.
  CHECK(kubelet::served_demand({&a}, [](auto&, auto&) -> const api::Endpoints* { return nullptr; }, 7ms)
            .empty());
  const auto none_ready = endpoints("php-apache", {}, {"php-1"});
  CHECK(kubelet::served_demand({&a}, [&](auto&, auto&) { return &none_ready; }, 7ms).empty());
}

TEST_CASE("a sample charges served requests to the serving container, up to its cpu limit",
          "[kubelet][load][stats]") {
  const TimePoint t0{std::chrono::seconds(1'700'000'000)};
  auto pod = make_pod_requesting("default", "php-1", "200m", "64Mi");
  pod.metadata.uid = "u1";
  pod.spec.containers[0].name = "php-apache";
  pod.spec.containers[0].image = "registry.k8s.io/hpa-example";
  pod.spec.containers[0].ports.push_back(api::ContainerPort{.container_port = 80});
  pod.spec.containers[0].resources.limits["cpu"] = qty("500m");
  kubelet::PodWorker w;
  w.uid = "u1";
  w.key = "default/php-1";
  w.pod = std::make_shared<const api::Pod>(pod);
  w.start_time = t0;
  kubelet::ContainerRec c;
  c.name = "php-apache";
  c.phase = kubelet::ContainerRec::Phase::running;
  c.started_at = t0;
  w.containers.push_back(c);
  std::map<std::string, kubelet::PodWorker> workers{{"u1", w}};
  kubelet::StatsCollector stats({}, {{"cpu", qty("4")}, {"memory", qty("8Gi")}}, t0);

  // Idle, hpa-example uses 1m (not half its request): 0 % of it.
  stats.sample(workers, t0 + 10s);
  CHECK(stats.pod("u1")->cpu_nano_cores == 1'000'000);

  // 300m of requests: 1m + 300m over the next window.
  kubelet::ServedDemand served{{"default/php-1", {300'000'000, {80}}}};
  stats.sample(workers, t0 + 20s, &served);
  CHECK(stats.pod("u1")->cpu_nano_cores == 301'000'000);
  CHECK(stats.pod("u1")->containers[0].served_core_nano_seconds == 3'000'000'000);
  CHECK(stats.pod("u1")->cpu_core_nano_seconds == 20'000'000 + 3'000'000'000);

  // 700m asked: throttled at the 500m limit.
  served["default/php-1"].nano_cores = 700'000'000;
  stats.sample(workers, t0 + 30s, &served);
  CHECK(stats.pod("u1")->cpu_nano_cores == 500'000'000);
  CHECK(stats.node().cpu_nano_cores == 500'000'000);

  // The load gone: back to idle.
  stats.sample(workers, t0 + 40s, nullptr);
  CHECK(stats.pod("u1")->cpu_nano_cores == 1'000'000);
}

TEST_CASE("the serving container is the one declaring the port", "[kubelet][load]") {
  api::PodSpec spec;
  spec.containers.resize(2);
  spec.containers[1].ports.push_back(api::ContainerPort{.container_port = 8080});
  CHECK(kubelet::serving_container(spec, {8080}) == 1);
  CHECK(kubelet::serving_container(spec, {80}) == 0);
  CHECK(kubelet::serving_container(api::PodSpec{}, {80}) == -1);
  CHECK(kubelet::idles_between_requests("registry.k8s.io/hpa-example"));
  CHECK(kubelet::idles_between_requests("k8s.gcr.io/hpa-example:latest"));
  CHECK_FALSE(kubelet::idles_between_requests("nginx"));
}

TEST_CASE("the nodes a Service is served on are those of its ready addresses, each once, any for an unplaced one",
          "[kubelet][load]") {
  auto ep = endpoints("php-apache", {"php-1", "php-2", "php-3"}, {"php-4"});
  auto& ready = ep.subsets[0].addresses;
  ready[0].node_name = "node-1";
  ready[1].node_name = "node-1";
  ready[2].node_name = std::nullopt;  // an address the endpoints controller did not place
  ep.subsets[0].not_ready_addresses[0].node_name = "node-2";
  api::EndpointSubset other;
  api::EndpointAddress on_3;
  on_3.ip = "10.244.3.1";
  on_3.node_name = "node-3";
  other.addresses.push_back(on_3);
  ep.subsets.push_back(other);
  // The address that names a pod but no node may be served on any: it is filed under "*".
  CHECK(kubelet::serving_nodes(ep) ==
        std::vector<std::string>{"node-1", kubelet::kAnyServingNode, "node-3"});
  // One that names no pod either (an external IP) is never charged: filed nowhere.
  auto external = endpoints("external", {"x"});
  external.subsets[0].addresses[0].target_ref = std::nullopt;
  CHECK(kubelet::serving_nodes(external).empty());
  CHECK(kubelet::serving_nodes(endpoints("empty", {})).empty());
}

TEST_CASE("a kubelet whose process has no pod informer charges a client elsewhere to its "
          "serving pod",
          "[kubelet][load]") {
  // As in a `kactor node` process: the kubelet's informers are its own, with no controller's
  // watch of every pod. It watches them once its node serves a Service, and the load
  // generator's requests, sent from another node, reach the server from the next sample on.
  KubeletFixture f;
  kubelet::KubeletOptions o;
  o.node_name = "node-1";
  auto k = f.ready_node(std::move(o), "10.244.1.0/24");

  // Placed by the endpoints controller, or written by hand without a node: either way the
  // node may be asked.
  const bool placed = GENERATE(true, false);
  INFO("address names its node: " << placed);
  auto ep = endpoints("php-apache", {"php-1"});
  if (placed) ep.subsets[0].addresses[0].node_name = "node-1";
  REQUIRE(f.client->create(ep).has_value());
  auto served = f.informers.get(api::Endpoints::static_type());
  f.watch(served);
  REQUIRE(f.eventually([&] { return served.cache->get("default/php-apache") != nullptr; }));

  auto php = make_pod_requesting("default", "php-1", "200m", "64Mi");
  php.spec.containers[0].name = "php-apache";
  php.spec.containers[0].image = "registry.k8s.io/hpa-example";
  php.spec.containers[0].ports.push_back(api::ContainerPort{.container_port = 80});
  php.spec.containers[0].resources.limits["cpu"] = qty("500m");
  f.create_bound(php, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("php-1"); }));
  f.step(k, 100ms);  // the container starts

  // The client runs on a node without a kubelet here: its status is written as one would.
  auto client_pod = f.create_bound(
      load_client("load-generator", "while sleep 0.01; do wget -q -O- http://php-apache; done"),
      "node-2");
  api::Pod running = *client_pod;
  running.status.phase = "Running";
  REQUIRE(f.client->update_status(running).has_value());

  auto php_cpu = [&]() -> uint64_t {
    auto s = f.summary(k);
    REQUIRE(s);
    for (const auto& p : s->pods)
      if (p.pod_ref.name == "php-1") return p.containers.at(0).cpu.usage_nano_cores.value_or(0);
    FAIL("php-1 is not in the Summary");
    return 0;
  };
  // A sample finds node-1 serving and starts the watch of every pod (the one at start, if
  // the Endpoints reached the cache first, else the next); the demand counts once it has
  // delivered them.
  f.step(k, 9900ms);
  auto all_pods = f.informers.get(api::Pod::static_type());
  f.watch(all_pods);
  REQUIRE(f.eventually([&] {
    auto lg = all_pods.cache->get("default/load-generator");
    return lg && api::as<api::Pod>(lg)->status.phase == "Running";
  }));
  // 100 requests/s × 6.5 ms = 650m asked of the one endpoint: throttled at its 500m limit.
  f.step(k, 10s);
  CHECK(php_cpu() == 500'000'000u);
}
