// TopologyTally recounts only the nodes whose NodeInfo changed; the plugins built on it
// keep their invariants while the NodeCache moves on under them, pod after pod.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "actors/scheduler/algorithm.hpp"
#include "actors/scheduler/node_cache.hpp"
#include "actors/scheduler/plugins/plugins.hpp"
#include "actors/scheduler/plugins/topology_tally.hpp"
#include "bench/density_scheduler.hpp"
#include "tests/actors/scheduler/topology_fixture.hpp"
#include "tests/support/seed.hpp"

using namespace kactor;
using namespace kactor::scheduler;
using namespace kactor::testing::topology;

TEST_CASE("a tally recounts only the nodes that changed", "[scheduler][tally]") {
  NodeCache cache;
  for (int i = 0; i < 4; ++i)
    cache.upsert_node(std::make_shared<api::Node>(
        node("n" + std::to_string(i), {{"zone", i < 2 ? "a" : "b"}})));
  int calls = 0;
  auto count = [&](const NodeInfo& info) -> plugins::NodeCounts {
    ++calls;
    return {{"zone", info.node->metadata.labels.at("zone"), static_cast<int64_t>(info.pods.size())}};
  };
  plugins::TopologyTally tally;
  tally.refresh(*cache.snapshot(), count);
  CHECK(calls == 4);
  CHECK(tally.total("zone", "a") == 0);
  CHECK(tally.has_domain("zone", "b"));
  CHECK_FALSE(tally.any_positive());

  cache.assume(std::make_shared<const api::Pod>(pod("p", {}, "", "default")), "n1");
  tally.refresh(*cache.snapshot(), count);
  CHECK(calls == 5);  // n1 only
  CHECK(tally.total("zone", "a") == 1);
  CHECK(tally.any_positive());
  tally.refresh(*cache.snapshot(), count);
  CHECK(calls == 5);  // nothing changed

  cache.forget("default/p");
  tally.refresh(*cache.snapshot(), count);
  CHECK(tally.total("zone", "a") == 0);
  CHECK_FALSE(tally.any_positive());

  // A node added rebuilds the snapshot: everything is counted again.
  cache.upsert_node(std::make_shared<api::Node>(node("n4", {{"zone", "c"}})));
  calls = 0;
  tally.refresh(*cache.snapshot(), count);
  CHECK(calls == 5);
  CHECK(tally.has_domain("zone", "c"));
}

TEST_CASE("a tally that follows the snapshot's change log counts what a full count counts",
          "[scheduler][tally]") {
  // Random changes, sometimes with the last snapshot still held (so the cache patches a
  // copy), sometimes more than the log keeps between two refreshes, and once a new node
  // (a rebuild): after each step the tally that followed along equals one counted afresh.
  auto seed = kactor::testing::test_seed(Catch::getResultCapture().getCurrentTestName());
  std::mt19937_64 rng(seed);
  NodeCache cache;
  const int nodes = 20;
  for (int i = 0; i < nodes; ++i)
    cache.upsert_node(std::make_shared<api::Node>(
        node("n" + std::to_string(i), {{"zone", "z" + std::to_string(i % 4)}})));
  int calls = 0;
  auto count = [&](const NodeInfo& info) -> plugins::NodeCounts {
    ++calls;
    return {{"zone", info.node->metadata.labels.at("zone"), static_cast<int64_t>(info.pods.size())}};
  };
  auto totals = [](const plugins::TopologyTally& t) {
    std::map<std::string, int64_t> out;
    if (const auto* ds = t.domains("zone"))
      for (auto& [value, d] : *ds) out[value] = d.sum;
    return out;
  };
  plugins::TopologyTally followed;
  followed.refresh(*cache.snapshot(), count);
  std::set<std::string> placed;
  int next_pod = 0;
  for (int step = 0; step < 60; ++step) {
    INFO("seed " << seed << ", step " << step);
    std::shared_ptr<const Snapshot> held;
    if (rng() % 3 == 0) held = cache.snapshot();
    // Mostly a few changes; now and then more than the log holds (1024 patches).
    const int changes = rng() % 10 == 0 ? 1500 : static_cast<int>(rng() % 4);
    for (int c = 0; c < changes; ++c) {
      if (!placed.empty() && rng() % 2 == 0) {
        auto it = placed.begin();
        std::advance(it, static_cast<long>(rng() % placed.size()));
        cache.forget("default/" + *it);
        placed.erase(it);
      } else {
        auto name = "p" + std::to_string(next_pod++);
        cache.assume(std::make_shared<const api::Pod>(pod(name, {}, "", "default")),
                     "n" + std::to_string(rng() % nodes));
        placed.insert(name);
      }
      // Each change its own patch, as between scheduling cycles.
      if (changes > 100) (void)cache.snapshot();
    }
    if (step == 30)
      cache.upsert_node(std::make_shared<api::Node>(node("n" + std::to_string(nodes), {{"zone", "z9"}})));
    auto snapshot = cache.snapshot();
    calls = 0;
    followed.refresh(*snapshot, count);
    CHECK((calls <= std::max<int>(changes, 1) || changes > 100 || step == 30));
    plugins::TopologyTally fresh;
    fresh.refresh(*snapshot, count);
    CHECK(totals(followed) == totals(fresh));
    // A snapshot older than the one followed: the tally counts it as it is.
    if (held) {
      plugins::TopologyTally of_held;
      of_held.refresh(*held, count);
      followed.refresh(*held, count);
      CHECK(totals(followed) == totals(of_held));
      followed.refresh(*snapshot, count);
      CHECK(totals(followed) == totals(fresh));
    }
  }
}

TEST_CASE("spread and anti-affinity replicas keep their rules while the cache moves on",
          "[scheduler][tally]") {
  auto seed = kactor::testing::test_seed(Catch::getResultCapture().getCurrentTestName());
  NodeCache cache;
  for (int i = 0; i < 6; ++i) {
    auto n = std::make_shared<api::Node>(api::testing::make_node("node-" + std::to_string(i)));
    n->metadata.labels["kubernetes.io/hostname"] = n->metadata.name;
    n->metadata.labels["topology.kubernetes.io/zone"] = "zone-" + std::to_string(i % 3);
    cache.upsert_node(n);
  }
  Algorithm algorithm(plugins::default_plugins(), {}, Random(seed).fork("scheduler"));
  auto schedule = [&](api::Pod p) -> std::optional<std::string> {
    CycleState state;
    auto r = algorithm.schedule(state, p, *cache.snapshot());
    if (!r) return std::nullopt;
    cache.assume(std::make_shared<const api::Pod>(p), r->node);
    return r->node;
  };

  // 31 spread pods, zone maxSkew 1: after each one the zones differ by at most one.
  std::map<std::string, int> zones;
  for (int i = 0; i < 31; ++i) {
    auto p = api::testing::make_pod_requesting("default", "s-" + std::to_string(i), "10m", "16Mi");
    p.metadata.uid = p.metadata.name;
    p.metadata.labels = {{"app", "s"}};
    api::TopologySpreadConstraint c;
    c.max_skew = 1;
    c.topology_key = "topology.kubernetes.io/zone";
    c.when_unsatisfiable = "DoNotSchedule";
    c.label_selector = api::LabelSelector{{{"app", "s"}}, {}};
    p.spec.topology_spread_constraints = {c};
    auto n = schedule(p);
    REQUIRE(n);
    ++zones["zone-" + std::to_string(std::stoi(n->substr(5)) % 3)];
    int lo = 1 << 30, hi = 0;
    for (int z = 0; z < 3; ++z) {
      lo = std::min(lo, zones["zone-" + std::to_string(z)]);
      hi = std::max(hi, zones["zone-" + std::to_string(z)]);
    }
    INFO("seed " << seed << ", pod " << i);
    REQUIRE(hi - lo <= 1);
  }

  // 8 pods that keep apart by hostname: 6 placed on 6 nodes, 2 refused.
  std::set<std::string> used;
  int refused = 0;
  for (int i = 0; i < 8; ++i) {
    auto p = api::testing::make_pod_requesting("default", "a-" + std::to_string(i), "10m", "16Mi");
    p.metadata.uid = p.metadata.name;
    p.metadata.labels = {{"app", "a"}};
    api::PodAffinityTerm t;
    t.label_selector = api::LabelSelector{{{"app", "a"}}, {}};
    t.topology_key = "kubernetes.io/hostname";
    p.spec.affinity.emplace().pod_anti_affinity.emplace()
        .required_during_scheduling_ignored_during_execution = {t};
    if (auto n = schedule(p))
      CHECK(used.insert(*n).second);
    else
      ++refused;
  }
  CHECK(used.size() == 6);
  CHECK(refused == 2);
  // One of them goes away: the next one takes its node.
  cache.forget("default/a-0");
  auto again = api::testing::make_pod_requesting("default", "a-9", "10m", "16Mi");
  again.metadata.uid = "a-9";
  again.metadata.labels = {{"app", "a"}};
  api::PodAffinityTerm t;
  t.label_selector = api::LabelSelector{{{"app", "a"}}, {}};
  t.topology_key = "kubernetes.io/hostname";
  again.spec.affinity.emplace().pod_anti_affinity.emplace()
      .required_during_scheduling_ignored_during_execution = {t};
  CHECK(schedule(again).has_value());
}

TEST_CASE("the spread/affinity scheduler benchmark places every pod", "[scheduler][tally]") {
  // Small: 200 nodes, 1000 pods in groups of 100 (half spread, half apart).
  CHECK(bench::scheduler_spread_affinity_pods_per_s(200, 1000, 1) > 0);
}
