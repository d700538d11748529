// Kubelet (node_lifecycle.cpp): node registration, takeover, Lease renewal and Ready
// heartbeats on the clock.
#include "actors/kubelet/node_status.hpp"
#include "api/version.hpp"
#include "tests/actors/kubelet/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

TEST_CASE("a kubelet of a `kactor node` publishes where its HTTPS API is reached",
          "[kubelet][kubelet-node]") {
  KubeletFixture f;
  kubelet::KubeletOptions o;
  o.node_name = "node-1";
  o.node_index = 0;
  o.external_ip = "127.0.0.1";
  o.kubelet_port = 41234;
  auto k = f.spawn(o);
  std::shared_ptr<const api::Node> n;
  REQUIRE(f.eventually([&] { return (n = f.node("node-1")) != nullptr; }));
  CHECK(n->status.daemon_endpoints.kubelet_endpoint.port == 41234);
  // The simulated InternalIP first (pods' hostIP), then the host's address, then the name.
  CHECK(n->status.addresses ==
        std::vector<api::NodeAddress>{{"InternalIP", "172.18.0.2"},
                                      {"ExternalIP", "127.0.0.1"},
                                      {"Hostname", "node-1"}});
}

TEST_CASE("a kubelet registers its node and renews its lease as the clock advances",
          "[kubelet][kubelet-node]") {
  KubeletFixture f;
  auto t0 = f.clock.now();
  kubelet::KubeletOptions o;
  o.node_name = "node-1";
  o.node_index = 0;
  o.capacity["cpu"] = *api::Quantity::parse("4");
  o.capacity["memory"] = *api::Quantity::parse("8Gi");
  o.labels["topology.kubernetes.io/zone"] = "zone-a";
  o.taints.push_back({"dedicated", "infra", "NoSchedule", std::nullopt});
  auto k = f.spawn(o);

  std::shared_ptr<const api::Lease> lease;
  REQUIRE(f.eventually([&] { return (lease = f.lease("node-1")) != nullptr; }));
  auto n = f.node("node-1");
  REQUIRE(n);
  CHECK(n->metadata.labels.at("kubernetes.io/hostname") == "node-1");
  CHECK(n->metadata.labels.at("kubernetes.io/os") == "linux");
  CHECK(n->metadata.labels.at("topology.kubernetes.io/zone") == "zone-a");
  REQUIRE(n->spec.taints.size() == 1);
  CHECK(n->spec.taints[0].key == "dedicated");
  CHECK(n->status.capacity.at("pods") ==
        api::Quantity::from_value(110, api::Quantity::Format::DecimalSI));
  CHECK(n->status.capacity.at("cpu") == *api::Quantity::parse("4"));
  // Allocatable: capacity less the hard eviction thresholds (no reservations by default).
  CHECK(n->status.capacity.at("ephemeral-storage") == *api::Quantity::parse("100Gi"));
  CHECK(n->status.allocatable.at("cpu") == *api::Quantity::parse("4"));
  CHECK(n->status.allocatable.at("memory") ==
        *api::Quantity::parse("8Gi") - *api::Quantity::parse("100Mi"));
  CHECK(n->status.allocatable.at("ephemeral-storage") == *api::Quantity::parse("90Gi"));
  CHECK(n->status.allocatable.at("pods") == n->status.capacity.at("pods"));
  // The versions `kactor version` prints.
  CHECK(n->status.node_info.kubelet_version == kKubernetesVersion);
  CHECK(n->status.node_info.kube_proxy_version == kKubernetesVersion);
  CHECK(n->status.node_info.container_runtime_version ==
        std::string("kactor-sim://") + kKubernetesVersion);
  for (const char* pressure : {"MemoryPressure", "DiskPressure", "PIDPressure"}) {
    INFO(pressure);
    REQUIRE(n->status.condition(pressure));
    CHECK(n->status.condition(pressure)->status == "False");
  }
  CHECK(n->status.daemon_endpoints.kubelet_endpoint.port == 10250);
  REQUIRE(!n->status.addresses.empty());
  CHECK(n->status.addresses[0].type == "InternalIP");
  CHECK(n->status.addresses[0].address == "172.18.0.2");
  CHECK(n->status.node_info.operating_system == "linux");
  // Without a pod CIDR the pod network is not ready, and neither is the node.
  const auto* not_ready = n->status.condition("Ready");
  REQUIRE(not_ready);
  CHECK(not_ready->status == "False");
  CHECK(not_ready->reason == "KubeletNotReady");
  CHECK(not_ready->message == kubelet::kNetworkNotReadyMessage);
  // Given one (by the node IPAM controller), it reports Ready at once, not at the next
  // heartbeat (the clock stands still).
  REQUIRE(f.set_pod_cidr("node-1", "10.244.1.0/24"));
  REQUIRE(f.eventually([&] {
    auto node = f.node("node-1");
    auto* c = node ? node->status.condition("Ready") : nullptr;
    return c && c->status == "True";
  }));
  n = f.node("node-1");
  const auto* ready = n->status.condition("Ready");
  REQUIRE(ready);
  CHECK(ready->reason == "KubeletReady");
  CHECK(ready->message == "kubelet is posting ready status");
  CHECK(ready->last_heartbeat_time.value == t0);
  for (const char* c : {"MemoryPressure", "DiskPressure", "PIDPressure"}) {
    REQUIRE(n->status.condition(c));
    CHECK(n->status.condition(c)->status == "False");
  }
  CHECK(lease->spec.holder_identity == "node-1");
  CHECK(lease->spec.lease_duration_seconds == 40);
  REQUIRE(lease->spec.renew_time);
  CHECK(lease->spec.renew_time->value == t0);

  for (int tick = 1; tick <= 3; ++tick) {
    f.clock.advance(10s);
    auto expected = t0 + tick * 10s;
    CHECK(f.eventually([&] {
      auto l = f.lease("node-1");
      return l && l->spec.renew_time && l->spec.renew_time->value == expected;
    }));
    CHECK(f.eventually([&] {
      auto node = f.node("node-1");
      auto* c = node ? node->status.condition("Ready") : nullptr;
      return c && c->last_heartbeat_time.value == expected && c->last_transition_time.value == t0;
    }));
  }

  // A crashed kubelet neither answers nor heartbeats.
  caf::anon_send(k, kubelet::kubelet_crash_atom::value);
  CHECK_FALSE(f.query(k).has_value());
}

TEST_CASE("a kubelet takes over an existing node and keeps its pod CIDR",
          "[kubelet][kubelet-node]") {
  KubeletFixture f;
  api::Node existing;
  existing.metadata.name = "node-2";
  existing.metadata.labels["keep"] = "me";
  existing.spec.pod_cidr = "10.244.7.0/24";
  REQUIRE(f.client->create(existing).has_value());
  kubelet::KubeletOptions o;
  o.node_name = "node-2";
  auto k = f.spawn(o);
  f.wait_registered("node-2");
  REQUIRE(f.eventually([&] {
    auto n = f.node("node-2");
    auto* ready = n ? n->status.condition("Ready") : nullptr;
    return ready && ready->status == "True";
  }));
  auto s = f.query(k);
  REQUIRE(s);
  CHECK(s->registered);
  CHECK(s->pod_cidr == "10.244.7.0/24");
  auto n = f.node("node-2");
  REQUIRE(n);
  CHECK(n->metadata.labels.at("keep") == "me");
  CHECK(n->metadata.labels.at("kubernetes.io/hostname") == "node-2");
  CHECK(n->spec.pod_cidr == "10.244.7.0/24");
  REQUIRE(n->status.condition("Ready"));
  CHECK(n->status.condition("Ready")->status == "True");
}

TEST_CASE("a kubelet taking over a node brings its default labels up to date and nothing else",
          "[kubelet][kubelet-node]") {
  KubeletFixture f;
  api::Node existing;
  existing.metadata.name = "node-3";
  // Added by an administrator (kubectl taint, kubectl label) and by the node lifecycle controller.
  existing.spec.taints.push_back({"maintenance", "planned", "NoSchedule", std::nullopt});
  existing.spec.taints.push_back({"dedicated", "old", "NoSchedule", std::nullopt});
  existing.spec.taints.push_back({"node.kubernetes.io/not-ready", "", "NoExecute", std::nullopt});
  existing.metadata.labels = {{"example.com/team", "old"},
                              {"node-role.kubernetes.io/worker", ""},
                              {"topology.kubernetes.io/zone", "zone-a"}};
  REQUIRE(f.client->create(existing).has_value());
  kubelet::KubeletOptions o;
  o.node_name = "node-3";
  o.taints.push_back({"dedicated", "infra", "NoSchedule", std::nullopt});
  o.taints.push_back({"gpu", "", "NoSchedule", std::nullopt});
  o.labels = {{"example.com/team", "new"}, {"topology.kubernetes.io/zone", "zone-b"}};
  f.spawn(o);
  f.wait_registered("node-3");
  auto n = f.node("node-3");
  REQUIRE(n);
  // As upstream: --register-with-taints and --node-labels apply when the kubelet creates its
  // Node; on a Node that exists only the default labels (hostname, os, arch, zone, ...) change.
  CHECK(n->spec.taints == existing.spec.taints);
  CHECK(n->metadata.labels == std::map<std::string, std::string>{
                                  {"example.com/team", "old"},
                                  {"kubernetes.io/arch", "amd64"},
                                  {"kubernetes.io/hostname", "node-3"},
                                  {"kubernetes.io/os", "linux"},
                                  {"node-role.kubernetes.io/worker", ""},
                                  {"topology.kubernetes.io/zone", "zone-b"}});
}

TEST_CASE("a kubelet refuses labels only an administrator may set, and registers without them",
          "[kubelet][kubelet-node]") {
  kubelet::KubeletOptions o;
  o.node_name = "node-4";
  o.labels = {{"node-role.kubernetes.io/worker", ""}, {"example.com/team", "a"}};
  auto valid = kubelet::validate_kubelet_options(o);
  REQUIRE(!valid);
  CHECK(valid.error().code == 400);
  CHECK(valid.error().message.starts_with(
      "unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: "
      "[node-role.kubernetes.io/worker]\n"));
  // Spawned anyway (an embedder that skipped validation): the NodeRestriction gate would refuse
  // the create for ever, so the kubelet leaves the label out.
  KubeletFixture f;
  f.spawn(o);
  f.wait_registered("node-4");
  auto n = f.node("node-4");
  REQUIRE(n);
  CHECK(n->metadata.labels.at("example.com/team") == "a");
  CHECK(!n->metadata.labels.contains("node-role.kubernetes.io/worker"));
}
