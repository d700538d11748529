// PodTopologySpread and InterPodAffinity in a whole in-process cluster (issue 13's
// acceptance): 30 replicas with a zone maxSkew of 1 over 3 zones end 10/10/10; required
// anti-affinity on the hostname puts at most one pod per node and leaves the rest Pending
// with upstream's message.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>

#include "actors/client/blocking_client.hpp"
#include "tests/integration/cluster_support.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

api::ReplicationController rc(const std::string& name, int32_t replicas, const api::PodSpec& spec) {
  api::ReplicationController r;
  r.metadata.namespace_ = "default";
  r.metadata.name = name;
  r.spec.replicas = replicas;
  r.spec.selector = {{"app", name}};
  api::PodTemplateSpec t;
  t.metadata.labels = {{"app", name}};
  t.spec = spec;
  t.spec.containers.push_back(api::Container{.name = "c", .image = "nginx:1.14.2"});
  r.spec.template_ = t;
  return r;
}

std::vector<std::shared_ptr<const api::Pod>> pods_of(const std::vector<api::ObjectPtr>& objs,
                                                     const std::string& app) {
  std::vector<std::shared_ptr<const api::Pod>> out;
  for (auto& o : objs)
    if (auto p = api::as<api::Pod>(o); p && !p->metadata.deletion_timestamp &&
                                       p->metadata.labels.count("app") &&
                                       p->metadata.labels.at("app") == app)
      out.push_back(p);
  return out;
}

}  // namespace

TEST_CASE("30 replicas with zone maxSkew 1 over 3 zones end 10/10/10", "[integration][spread]") {
  auto opts = seeded_options();
  opts.node_list.clear();
  // Two nodes per zone: the spread is by zone, not by node.
  for (int i = 0; i < 6; ++i)
    opts.node_list.push_back(NodeOptions{
        .name = "node-" + std::to_string(i),
        .labels = {{"topology.kubernetes.io/zone", "zone-" + std::to_string(i % 3)}}});
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.wait_nodes_ready(opts.node_list.size(), kWait));

  api::PodSpec spec;
  api::TopologySpreadConstraint zone;
  zone.max_skew = 1;
  zone.topology_key = "topology.kubernetes.io/zone";
  zone.when_unsatisfiable = "DoNotSchedule";
  zone.label_selector = api::LabelSelector{{{"app", "spread"}}, {}};
  spec.topology_spread_constraints.push_back(zone);
  REQUIRE(cluster.client().create(rc("spread", 30, spec)).has_value());

  std::map<std::string, int> per_zone;
  REQUIRE(cluster.wait_for(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        auto pods = pods_of(objs, "spread");
        per_zone.clear();
        int bound = 0;
        for (auto& p : pods) {
          if (p->spec.node_name.empty()) continue;
          ++bound;
          int index = std::stoi(p->spec.node_name.substr(5));
          ++per_zone["zone-" + std::to_string(index % 3)];
        }
        return pods.size() == 30 && bound == 30;
      },
      kWait));
  CHECK(per_zone == std::map<std::string, int>{{"zone-0", 10}, {"zone-1", 10}, {"zone-2", 10}});
}

TEST_CASE("required anti-affinity on the hostname: one pod per node, the rest Pending",
          "[integration][affinity]") {
  auto opts = seeded_options();
  opts.nodes = 3;
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  auto& cluster = **started;
  REQUIRE(cluster.wait_nodes_ready(3, kWait));

  api::PodSpec spec;
  api::PodAffinityTerm apart;
  apart.label_selector = api::LabelSelector{{{"app", "apart"}}, {}};
  apart.topology_key = "kubernetes.io/hostname";
  spec.affinity.emplace().pod_anti_affinity.emplace()
      .required_during_scheduling_ignored_during_execution.push_back(apart);
  REQUIRE(cluster.client().create(rc("apart", 5, spec)).has_value());

  // Upstream's FitError text; DefaultPreemption may append its own sentence after it.
  const std::string want =
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.";
  std::set<std::string> nodes;
  int pending = 0;
  REQUIRE(cluster.wait_for(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        auto pods = pods_of(objs, "apart");
        nodes.clear();
        pending = 0;
        int bound = 0;
        for (auto& p : pods) {
          if (!p->spec.node_name.empty()) {
            ++bound;
            nodes.insert(p->spec.node_name);
            continue;
          }
          auto* c = p->status.condition("PodScheduled");
          if (c && c->status == "False" && c->reason == "Unschedulable" &&
              c->message.starts_with(want))
            ++pending;
        }
        return pods.size() == 5 && bound == 3 && pending == 2;
      },
      kWait));
  CHECK(nodes == std::set<std::string>{"node-0", "node-1", "node-2"});
  CHECK(pending == 2);
}
