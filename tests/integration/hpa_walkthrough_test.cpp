// The Kubernetes documentation's "HorizontalPodAutoscaler Walkthrough" end to end, on a
// VirtualClock: its php-apache Deployment and Service and its HPA manifest, unchanged
// (tests/e2e/manifests/autoscaling/), then the load generator pod `kubectl run` makes of
//   kubectl run load-generator --image=busybox:1.28 --restart=Never --
//     /bin/sh -c "while sleep 0.01; do wget -q -O- http://php-apache; done"
// (one command line, split here: a comment line ending in a backslash would continue it).
// The simulated runtime charges the loop's requests to php-apache's ready endpoints
// (actors/kubelet/request_load.hpp, docs/kubelet.md "Served requests"): the HPA scales the
// Deployment up to the documentation's 7 replicas, and back to 1 once the load is gone and
// the 5-minute scale-down window has passed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "actors/client/blocking_client.hpp"
#include "api/time/virtual_clock.hpp"
#include "api/types/autoscaling.hpp"
#include "tests/integration/cluster_support.hpp"
#include "tests/integration/virtual_time.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

constexpr Duration kLeaseInterval = 10s;

std::string read_manifest(const std::string& name) {
  std::ifstream in(std::filesystem::path(KACTOR_E2E_MANIFESTS_DIR) / "autoscaling" / name);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The pod `kubectl run load-generator --image=busybox:1.28 --restart=Never -- /bin/sh -c
/// "..."` creates (kubectl 1.32: label run=<name>, the words after -- as args).
api::Pod load_generator() {
  api::Pod p;
  p.metadata.namespace_ = "default";
  p.metadata.name = "load-generator";
  p.metadata.labels = {{"run", "load-generator"}};
  api::Container c;
  c.name = "load-generator";
  c.image = "busybox:1.28";
  c.args = {"/bin/sh", "-c", "while sleep 0.01; do wget -q -O- http://php-apache; done"};
  p.spec.containers.push_back(c);
  p.spec.restart_policy = "Never";
  return p;
}

/// The Deployment's spec.replicas each time it changed, as time moved.
struct ReplicaLog {
  std::vector<int32_t> counts;
  void observe(int32_t n) {
    if (counts.empty() || counts.back() != n) counts.push_back(n);
  }
  int32_t most() const { return counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end()); }
  std::string text() const {
    std::string out;
    for (auto n : counts) out += (out.empty() ? "" : " -> ") + std::to_string(n);
    return out;
  }
};

/// The HPA's current cpu utilization, if it has one.
std::optional<int32_t> utilization(Cluster& cluster) {
  auto h = cluster.client().get<api::HorizontalPodAutoscaler>("default", "php-apache");
  if (!h || (*h)->status.current_metrics.empty() || !(*h)->status.current_metrics[0].resource)
    return std::nullopt;
  return (*h)->status.current_metrics[0].resource->current.average_utilization;
}

}  // namespace

TEST_CASE("walkthrough: HorizontalPodAutoscaler Walkthrough, load up to 7 replicas and back to 1",
          "[hpa][walkthrough]") {
  VirtualClock clock;
  auto opts = seeded_options();
  opts.clock = &clock;
  opts.nodes = 3;
  opts.node_lease_interval = kLeaseInterval;
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.wait_nodes_ready(opts.nodes, kWait));
  VirtualTime time(cluster, clock, kLeaseInterval);

  ReplicaLog log;
  auto replicas_reach = [&](int32_t want, Duration limit) {
    return time.advance_until(
        api::Deployment::static_type(),
        [&](const std::vector<api::ObjectPtr>& objs) {
          for (const auto& o : objs)
            if (auto d = api::as<api::Deployment>(o); d && d->metadata.name == "php-apache") {
              log.observe(d->spec.replicas.value_or(1));
              return d->spec.replicas.value_or(1) == want && d->status.available_replicas == want;
            }
          return false;
        },
        limit);
  };

  // The walkthrough's manifests: php-apache (Deployment, Service) and its HPA.
  REQUIRE(cluster.apply(read_manifest("php-apache.yaml")));
  REQUIRE(cluster.apply(read_manifest("hpa/php-apache.yaml")));
  REQUIRE(replicas_reach(1, 60s));
  // Without load php-apache idles: 0 % of its 200m request ("cpu: 0%/50%").
  REQUIRE(time.advance_until(
      api::HorizontalPodAutoscaler::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        for (const auto& o : objs)
          if (auto h = api::as<api::HorizontalPodAutoscaler>(o);
              h && !h->status.current_metrics.empty() && h->status.current_metrics[0].resource)
            return h->status.current_metrics[0].resource->current.average_utilization == 0;
        return false;
      },
      120s));

  // Increase the load: one client, 100 requests a second at 6.5 ms each. The one pod is
  // throttled at its 500m limit (250 %), the default scale-up limit takes it to 4, and the
  // four, once their samples count, to 7: ~46 % each, within the tolerance of 50 %.
  REQUIRE(cluster.client().create(load_generator()));
  REQUIRE(replicas_reach(7, 600s));
  INFO("replicas over time: " << log.text());
  CHECK(log.counts.at(1) == 4);
  // It stays there.
  time.advance(180s);
  REQUIRE(replicas_reach(7, 1s));
  CHECK(log.most() == 7);
  const auto loaded = utilization(cluster);
  REQUIRE(loaded);
  CHECK(*loaded >= 45);
  CHECK(*loaded <= 55);

  // Stop the load: 0 % again, and after the 5-minute stabilization window, 1 replica.
  client::DeleteOptions now;
  now.grace_period_seconds = 0;
  REQUIRE(cluster.client().remove(api::Pod::static_type(), "default", "load-generator", now));
  const auto stopped = clock.now();
  REQUIRE(replicas_reach(1, 600s));
  // The window counts from the HPA's last recommendation under load, which can come up to a
  // sync period (15 s) before the delete above: the next sync's sample already shows no load
  // (full runs saw 299 s and 295 s).
  CHECK(clock.now() - stopped >= 300s - 15s);
  CHECK(utilization(cluster).value_or(-1) == 0);
}
