// Resource use end to end, on a VirtualClock: the kubelets' modelled use reaches
// metrics.k8s.io through the metrics server, and a node under memory pressure is tainted by
// the node lifecycle controller, so the scheduler places new pods elsewhere.
#include <catch2/catch.hpp>

#include <caf/all.hpp>

#include <chrono>
#include <optional>
#include <string>

#include "actors/client/blocking_client.hpp"
#include "actors/metrics/protocol/messages.hpp"
#include "api/testing/builders.hpp"
#include "api/time/virtual_clock.hpp"
#include "api/types/taint_util.hpp"
#include "tests/integration/cluster_support.hpp"
#include "tests/integration/virtual_time.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

constexpr Duration kLeaseInterval = 10s;

api::Pod busy_pod(const std::string& name, const std::string& node, const std::string& cpu,
                  const std::string& memory) {
  api::Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = name;
  if (!cpu.empty()) pod.metadata.annotations["kactor.io/cpu-usage"] = cpu;
  if (!memory.empty()) pod.metadata.annotations["kactor.io/memory-usage"] = memory;
  pod.spec.node_name = node;
  pod.spec.containers.push_back(api::Container{.name = "app", .image = "pause:3.9"});
  return pod;
}

/// The metrics server's PodMetrics of default/`name`, if it has them.
std::optional<metrics::PodMetrics> pod_metrics(Cluster& cluster, const std::string& name) {
  caf::scoped_actor self{cluster.system()};
  metrics::MetricsQuery q;
  q.resource = metrics::MetricsQuery::Resource::pods;
  q.namespace_ = "default";
  q.name = name;
  std::optional<metrics::PodMetrics> out;
  self->request(cluster.metrics(), kWait, metrics::metrics_query_atom::value, q)
      .receive(
          [&](metrics::MetricsAnswer& a) {
            if (!a.error && a.pods.size() == 1) out = a.pods.front();
          },
          [](caf::error&) {});
  return out;
}

std::string usage_of(const metrics::PodMetrics& m, const char* resource) {
  if (m.containers.size() != 1) return "";
  auto it = m.containers.front().usage.find(resource);
  return it == m.containers.front().usage.end() ? "" : it->second.to_string();
}

}  // namespace

TEST_CASE("metrics.k8s.io reports the use the kubelets model", "[nodeusage]") {
  VirtualClock clock;
  auto opts = seeded_options();
  opts.clock = &clock;
  opts.nodes = 1;
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.wait_nodes_ready(1, kWait));
  VirtualTime time(cluster, clock, kLeaseInterval);
  REQUIRE(cluster.client().create(busy_pod("steady", "node-0", "250m", "300Mi")).has_value());
  REQUIRE(cluster.client()
              .create(busy_pod("growing", "node-0", "100m for 60s, then 900m", "64Mi"))
              .has_value());

  // A housekeeping sample (10 s) and a scrape (15 s) later, the modelled values are there.
  std::optional<metrics::PodMetrics> steady, growing;
  REQUIRE(time.advance_until(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>&) {
        steady = pod_metrics(cluster, "steady");
        growing = pod_metrics(cluster, "growing");
        return steady && growing && usage_of(*steady, "cpu") == "250m" &&
               usage_of(*growing, "cpu") == "100m";
      },
      60s));
  CHECK(usage_of(*steady, "memory") == "300Mi");
  CHECK(usage_of(*growing, "memory") == "64Mi");
  CHECK(steady->window == 15s);  // the metrics resolution, as metrics-server reports it

  // The schedule moves on after 60 s of the container's life; the metrics follow within a
  // sample and a scrape.
  REQUIRE(time.advance_until(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>&) {
        growing = pod_metrics(cluster, "growing");
        return growing && usage_of(*growing, "cpu") == "900m";
      },
      120s));
  steady = pod_metrics(cluster, "steady");
  REQUIRE(steady.has_value());
  CHECK(usage_of(*steady, "cpu") == "250m");
}

TEST_CASE("a node under memory pressure is tainted and new pods go elsewhere", "[nodeusage]") {
  VirtualClock clock;
  auto opts = seeded_options();
  opts.clock = &clock;
  opts.node_capacity = {{"cpu", api::testing::qty("4")},
                        {"memory", api::testing::qty("1Gi")},
                        {"pods", api::testing::qty("110")}};
  opts.nodes = 2;
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.wait_nodes_ready(2, kWait));
  VirtualTime time(cluster, clock, kLeaseInterval);

  // A pod whose memory grows past what node-0 has left above the 100Mi threshold.
  REQUIRE(cluster.client()
              .create(busy_pod("hog", "node-0", "", "100Mi for 30s, then 980Mi"))
              .has_value());
  REQUIRE(time.advance_until(
      api::Node::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        for (auto& o : objs) {
          auto n = api::as<api::Node>(o);
          if (!n || n->metadata.name != "node-0") continue;
          const auto* pressure = n->status.condition("MemoryPressure");
          return pressure && pressure->status == "True" &&
                 api::find_taint(n->spec.taints, api::kTaintNodeMemoryPressure, "NoSchedule");
        }
        return false;
      },
      120s));
  // The kubelet evicted the hog (phase Failed, reason Evicted).
  REQUIRE(time.advance_until(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        for (auto& o : objs)
          if (auto p = api::as<api::Pod>(o); p && p->metadata.name == "hog")
            return p->status.phase == "Failed" && p->status.reason == "Evicted";
        return false;
      },
      30s));

  // While the pressure lasts (the 5 min transition period), pods are scheduled elsewhere.
  for (int i = 0; i < 4; ++i) {
    auto pod = busy_pod("late-" + std::to_string(i), "", "", "");
    pod.spec.containers[0].resources.requests["memory"] = api::testing::qty("16Mi");
    REQUIRE(cluster.client().create(pod).has_value());
  }
  REQUIRE(time.advance_until(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        int bound = 0;
        for (auto& o : objs) {
          auto p = api::as<api::Pod>(o);
          if (!p || p->metadata.name.rfind("late-", 0) != 0) continue;
          if (p->spec.node_name.empty()) return false;
          CHECK(p->spec.node_name == "node-1");
          ++bound;
        }
        return bound == 4;
      },
      30s));

  // Once the pressure is over for the transition period, the condition and the taint go.
  REQUIRE(time.advance_until(
      api::Node::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        for (auto& o : objs) {
          auto n = api::as<api::Node>(o);
          if (!n || n->metadata.name != "node-0") continue;
          const auto* pressure = n->status.condition("MemoryPressure");
          return pressure && pressure->status == "False" &&
                 !api::find_taint(n->spec.taints, api::kTaintNodeMemoryPressure, "NoSchedule");
        }
        return false;
      },
      400s));
}
