// Scheduler profiles end to end: a KubeSchedulerConfiguration with two profiles, the
// default one (LeastAllocated: spreads) and "bin-packing" (MostAllocated: packs); pods
// choose one by spec.schedulerName, and a pod naming no profile is left alone.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>

#include "actors/client/blocking_client.hpp"
#include "actors/scheduler/config/scheduler_config.hpp"
#include "api/testing/builders.hpp"
#include "tests/integration/cluster_support.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

constexpr const char* kConfig = R"(
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packing
  plugins:
    score:
      disabled:
      - name: NodeResourcesBalancedAllocation
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
)";

api::Pod small_pod(const std::string& name, const std::string& group, const std::string& scheduler) {
  api::Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = name;
  pod.metadata.labels["group"] = group;
  pod.spec.scheduler_name = scheduler;
  api::Container c{.name = "app", .image = "registry.k8s.io/pause:3.10"};
  c.resources.requests["cpu"] = api::testing::qty("100m");
  c.resources.requests["memory"] = api::testing::qty("64Mi");
  pod.spec.containers.push_back(std::move(c));
  return pod;
}

/// Pods of `group` per node, once all `count` of them are bound.
std::map<std::string, int> placement(Cluster& cluster, const std::string& group, size_t count) {
  std::map<std::string, int> per_node;
  bool bound = cluster.wait_for(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        per_node.clear();
        size_t n = 0;
        for (auto& o : objs) {
          auto p = api::as<api::Pod>(o);
          if (!p || p->metadata.labels.count("group") == 0 || p->metadata.labels.at("group") != group ||
              p->spec.node_name.empty())
            continue;
          ++per_node[p->spec.node_name];
          ++n;
        }
        return n == count;
      },
      kWait);
  REQUIRE(bound);
  return per_node;
}

}  // namespace

TEST_CASE("two scheduler profiles: the default spreads, MostAllocated packs", "[schedulerconfig]") {
  auto config = scheduler::config::parse_configuration(kConfig);
  REQUIRE(config.has_value());
  auto opts = seeded_options();
  opts.nodes = 3;
  opts.scheduler_config = std::make_shared<const scheduler::config::SchedulerConfiguration>(*config);
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.wait_nodes_ready(3, kWait));

  REQUIRE(cluster.client().create(small_pod("orphan", "orphan", "no-such-scheduler")).has_value());
  // The profiles share the nodes, so one group at a time: first the default profile on
  // empty nodes, then the bin-packing one on nodes loaded evenly.
  for (int i = 0; i < 6; ++i)
    REQUIRE(cluster.client().create(small_pod("spread-" + std::to_string(i), "spread", "default-scheduler")).has_value());
  auto spread = placement(cluster, "spread", 6);
  for (int i = 0; i < 6; ++i)
    REQUIRE(cluster.client().create(small_pod("packed-" + std::to_string(i), "packed", "bin-packing")).has_value());
  auto packed = placement(cluster, "packed", 6);
  INFO("packed on " << packed.size() << " node(s), spread over " << spread.size());
  // LeastAllocated (and BalancedAllocation): the emptiest node each time, 2 per node.
  CHECK(spread == std::map<std::string, int>{{"node-0", 2}, {"node-1", 2}, {"node-2", 2}});
  // MostAllocated: each pod goes where most is requested already, so one node takes all.
  CHECK(packed.size() == 1);

  // The pod naming no profile was never touched: unbound, no PodScheduled condition, while
  // the twelve others (queued after it) are all bound.
  auto orphan = cluster.client().get<api::Pod>("default", "orphan");
  REQUIRE(orphan.has_value());
  CHECK((*orphan)->spec.node_name.empty());
  CHECK((*orphan)->status.conditions.empty());
}
