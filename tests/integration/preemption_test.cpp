// Preemption end to end: a full node with low-priority pods, a high-priority pod
// arrives; the scheduler nominates the node, marks and deletes victims gracefully, and
// binds the pod once they are gone. Equal priority and preemptionPolicy Never preempt
// nothing. Every wait is on a condition with a deadline.
#include <catch2/catch.hpp>

#include <string>

#include "actors/client/blocking_client.hpp"
#include "api/testing/builders.hpp"
#include "tests/integration/cluster_support.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

std::unique_ptr<Cluster> one_node_cluster() {
  auto opts = seeded_options();
  opts.nodes = 1;
  opts.node_capacity = {{"cpu", api::testing::qty("1")},
                        {"memory", api::testing::qty("4Gi")},
                        {"pods", api::testing::qty("110")}};
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  REQUIRE((*started)->wait_nodes_ready(1, kWait));
  return std::move(*started);
}

void create_priority_class(Cluster& cluster, const std::string& name, int32_t value) {
  api::PriorityClass pc;
  pc.metadata.name = name;
  pc.value = value;
  REQUIRE(cluster.client().create(pc).has_value());
}

/// A pod of class `cls` asking for `cpu`; it stops within `grace` seconds when deleted.
api::Pod classed_pod(const std::string& name, const std::string& cls, const char* cpu,
                     int64_t grace = 1) {
  auto p = api::testing::make_pod_requesting("default", name, cpu, "64Mi");
  p.spec.priority_class_name = cls;
  p.spec.termination_grace_period_seconds = grace;
  return p;
}

/// Two "low" pods of 400m fill the 1-cpu node (800m of 1000m requested).
void fill_node(Cluster& cluster, int64_t grace = 1) {
  create_priority_class(cluster, "low", 100);
  create_priority_class(cluster, "high", 1000);
  for (auto* name : {"low-0", "low-1"}) {
    REQUIRE(cluster.client().create(classed_pod(name, "low", "400m", grace)).has_value());
    // Running and Ready before the preemptor comes, so that what the tests see is the
    // preemption, not a victim still starting.
    REQUIRE(wait_pod(cluster, name, [](const api::Pod& p) {
      const auto* ready = p.status.condition("Ready");
      return p.status.phase == "Running" && ready && ready->status == "True";
    }));
  }
}

bool unschedulable_with(const api::Pod& p, const std::string& words) {
  const auto* c = p.status.condition("PodScheduled");
  return c && c->status == "False" && c->message.find(words) != std::string::npos;
}

}  // namespace

TEST_CASE("a high-priority pod preempts a lower-priority one and binds to its node",
          "[integration][preemption]") {
  auto cluster = one_node_cluster();
  fill_node(*cluster);
  // 500m: does not fit next to 800m; with one low pod gone (400m) it does.
  REQUIRE(cluster->client().create(classed_pod("urgent", "high", "500m")).has_value());

  // The preemptor is nominated to the node...
  REQUIRE(wait_pod(*cluster, "urgent", [](const api::Pod& p) {
    return p.status.nominated_node_name == "node-0" || !p.spec.node_name.empty();
  }));
  // ...and binds there once its victim is gone.
  REQUIRE(wait_pod(*cluster, "urgent", [](const api::Pod& p) {
    return p.spec.node_name == "node-0" && p.status.phase == "Running";
  }));

  // Exactly one victim went (the other was reprieved), after being marked.
  auto pods = cluster->client().list(api::Pod::static_type(), "default", {});
  REQUIRE(pods.has_value());
  int low_left = 0;
  for (auto& o : pods->items)
    if (o->metadata.name.starts_with("low-")) ++low_left;
  CHECK(low_left == 1);

  // The victim got event Preempted naming the preemptor and the node.
  auto urgent =
      api::as<api::Pod>(*cluster->client().get(api::Pod::static_type(), "default", "urgent"));
  REQUIRE(urgent);
  const std::string expected = "Preempted by pod " + urgent->metadata.uid + " on node node-0";
  REQUIRE(cluster->wait_for(
      api::Event::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        for (auto& o : objs)
          if (auto e = api::as<api::Event>(o); e && e->reason == "Preempted" &&
                                               e->message == expected &&
                                               e->involved_object.name.starts_with("low-"))
            return true;
        return false;
      },
      kWait));
}

TEST_CASE("the victim is marked DisruptionTarget by the scheduler before it goes",
          "[integration][preemption]") {
  auto cluster = one_node_cluster();
  // A grace period of 30 s, which the simulated runtime does not need (its containers stop at
  // once): the victim may be marked, deleted and gone between two looks at the pod list.
  fill_node(*cluster, 30);
  // Every state of the pods from before the preemptor exists (a watch opened first): the
  // victim may be marked, deleted and gone (its containers stop at once) before anything
  // started after the create looks.
  apiserver::WatchRequest pods;
  pods.resource = "pods";
  pods.namespace_ = "default";
  auto watch = cluster->client().watch(pods);
  REQUIRE(watch.has_value());
  REQUIRE(cluster->client().create(classed_pod("urgent", "high", "500m")).has_value());
  auto is_marked_victim = [](const api::Pod& p) {
    const auto* c = p.status.condition("DisruptionTarget");
    return p.metadata.name.starts_with("low-") && c && c->status == "True" &&
           c->reason == "PreemptionByScheduler" &&
           c->message == "default-scheduler: preempting to accommodate a higher priority pod" &&
           p.metadata.deletion_timestamp;
  };
  bool marked = false;
  const auto until = std::chrono::steady_clock::now() + kWait;
  while (!marked && std::chrono::steady_clock::now() < until) {
    auto ev = watch->next(std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now()));
    if (!ev) break;  // the deadline, or the watch closed
    if (auto p = api::as<api::Pod>((*ev)->object)) marked = is_marked_victim(*p);
  }
  CHECK(marked);
}

TEST_CASE("equal priority and preemptionPolicy Never preempt nothing",
          "[integration][preemption]") {
  auto cluster = one_node_cluster();
  fill_node(*cluster);

  REQUIRE(cluster->client().create(classed_pod("peer", "low", "500m")).has_value());
  CHECK(wait_pod(*cluster, "peer", [](const api::Pod& p) {
    return unschedulable_with(
        p,
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 "
        "nodes are available: 1 No preemption victims found for incoming pod.");
  }));

  auto polite = classed_pod("polite", "high", "500m");
  polite.spec.preemption_policy = "Never";
  REQUIRE(cluster->client().create(polite).has_value());
  CHECK(wait_pod(*cluster, "polite", [](const api::Pod& p) {
    return unschedulable_with(p, "not eligible due to preemptionPolicy=Never.");
  }));

  // Both stay Pending, unnominated, and no low pod is going.
  auto pods = cluster->client().list(api::Pod::static_type(), "default", {});
  REQUIRE(pods.has_value());
  for (auto& o : pods->items) {
    auto p = api::as<api::Pod>(o);
    INFO(p->metadata.name);
    CHECK_FALSE(p->metadata.deletion_timestamp);
    if (p->metadata.name == "peer" || p->metadata.name == "polite") {
      CHECK(p->spec.node_name.empty());
      CHECK(p->status.nominated_node_name.empty());
    }
  }
}
