// kubectl top against kactor's metrics.k8s.io: the metrics server scrapes fake kubelets (the
// seam where the kubelet's modelled use will come in) and kubectl prints what it serves.
#include <catch2/catch.hpp>

#include "actors/client/blocking_client.hpp"
#include "api/testing/builders.hpp"
#include "api/types/all.hpp"
#include "kubectl_fixture.hpp"
#include "tests/support/fake_stats_kubelets.hpp"

using namespace kactor::testing;

namespace {

/// A served two-node cluster (TLS) whose metrics server scrapes fake kubelets every second.
struct TopCluster {
  std::shared_ptr<FakeStatsKubelets> kubelets = std::make_shared<FakeStatsKubelets>();
  ServedCluster c;

  TopCluster()
      : c(true, 2, std::chrono::seconds(30), [k = kubelets](kactor::ClusterOptions& o) {
          o.metrics.resolution = std::chrono::seconds(1);
          o.metrics.kubelet_for = k->lookup();
        }) {}
  ~TopCluster() { kubelets->stop(); }
};

kactor::kubelet::PodStats pod_stats(const kactor::api::ObjectPtr& pod, uint64_t nano_cores,
                                    uint64_t bytes, kactor::TimePoint at) {
  kactor::kubelet::PodStats p;
  p.pod_ref = {pod->metadata.name, pod->metadata.namespace_, pod->metadata.uid};
  p.containers.push_back(container_stats("c", nano_cores, bytes, at));
  return p;
}

/// Runs `kubectl <args>` until its output has every line of `want` (columns folded), for at
/// most 30 s (the metrics server scrapes every second); the last output when it never does.
std::string run_until(const Kubectl& k, const std::vector<std::string>& args,
                      const std::vector<std::string>& want) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = k.run(args);
    last = r.out + r.err;
    auto lines = folded_lines(r.out);
    bool all = r.exit_code == 0;
    for (const auto& w : want)
      all = all && std::find(lines.begin(), lines.end(), w) != lines.end();
    if (all) return "";
  }
  return last;
}

}  // namespace

TEST_CASE("kubectl: top node and top pod -A print the metrics server's numbers") {
  for (const auto& bin : kubectls()) {
    TopCluster t;
    auto& client = t.c.cluster->client();
    REQUIRE(client.create(kactor::api::testing::make_namespace("team-a")).has_value());
    auto solo = client.create(kactor::api::testing::make_pod("default", "solo"));
    auto db = client.create(kactor::api::testing::make_pod("team-a", "db"));
    REQUIRE(solo.has_value());
    REQUIRE(db.has_value());
    const auto at = t.c.cluster->clock().now();
    // Nodes have 4 CPUs and 8Gi: 250m is 6%, 128Mi 1%; 1 CPU 25%, 1Gi 12%.
    kactor::kubelet::Summary s0{node_stats("node-0", 250000000, 134217728, at), {}};
    s0.pods.push_back(pod_stats(*solo, 100000000, 67108864, at));
    kactor::kubelet::Summary s1{node_stats("node-1", 1000000000, 1073741824, at), {}};
    s1.pods.push_back(pod_stats(*db, 5000000, 1048576, at));
    t.kubelets->set(t.c.cluster->system(), "node-0", s0);
    t.kubelets->set(t.c.cluster->system(), "node-1", s1);

    Kubectl k(bin, t.c);
    INFO("kubectl " << k.minor());
    CHECK(run_until(k, {"top", "node"},
                    {"node-0 250m 6% 128Mi 1%", "node-1 1000m 25% 1024Mi 12%"}) == "");
    CHECK(run_until(k, {"top", "pod", "-A"},
                    {"default solo 100m 64Mi", "team-a db 5m 1Mi"}) == "");
    CHECK(run_until(k, {"top", "pod", "-n", "team-a"}, {"db 5m 1Mi"}) == "");
    auto missing = k.run({"top", "pod", "nope"});
    CHECK(missing.exit_code != 0);
  }
}
