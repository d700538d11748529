// The scheduling algorithm without actors: failure messages, how many nodes are
// searched, and uniform tie-breaking.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <set>

#include "actors/scheduler/algorithm.hpp"
#include "actors/scheduler/plugins/plugins.hpp"
#include "tests/actors/scheduler/fixture.hpp"

using namespace kactor;
using namespace kactor::scheduler;
using namespace kactor::testing;

namespace {

Snapshot snapshot_of(const std::vector<api::Node>& nodes) {
  Snapshot s;
  for (auto& n : nodes) s.nodes.push_back(make_info(n));
  return s;
}

}  // namespace

TEST_CASE("failure messages count and sort the reasons as upstream", "[scheduler][algorithm]") {
  Algorithm algo(plugins::default_plugins(), {}, Random(1));
  std::vector<api::Node> nodes{make_node("a", "1", "1Gi"), make_node("b", "1", "1Gi"),
                               make_node("c", "1", "1Gi")};
  auto big = make_request_pod("big", "2", nullptr);
  CycleState st;
  auto r = algo.schedule(st, big, snapshot_of(nodes));
  REQUIRE_FALSE(r.has_value());
  // DefaultPreemption appends its own count: no pod of lower priority to preempt.
  CHECK(r.error().message() ==
        "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No "
        "preemption victims found for incoming pod.");

  nodes[0].spec.taints.push_back({"dedicated", "gpu", "NoSchedule", std::nullopt});
  nodes[1].metadata.labels = {{"disk", "hdd"}};
  nodes[2].metadata.labels = {{"disk", "ssd"}};
  big.spec.node_selector = {{"disk", "ssd"}};
  CycleState st2;
  r = algo.schedule(st2, big, snapshot_of(nodes));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message() ==
        "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node "
        "affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 "
        "nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not "
        "helpful for scheduling.");

  CycleState st3;
  auto none = algo.schedule(st3, big, {});
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().message() == "no nodes available to schedule pods");
}

TEST_CASE("the best-scoring node wins", "[scheduler][algorithm]") {
  Algorithm algo(plugins::default_plugins(), {}, Random(7));
  auto busy = make_node("busy", "4", "8Gi");
  auto idle = make_node("idle", "4", "8Gi");
  Snapshot s{{make_info(busy, {make_request_pod("x", "3", "6Gi")}), make_info(idle)}, nullptr};
  for (int i = 0; i < 10; ++i) {
    CycleState st;
    auto r = algo.schedule(st, make_request_pod("p", "500m", "1Gi"), s);
    REQUIRE(r.has_value());
    CHECK(r->node == "idle");
  }
}

TEST_CASE("numFeasibleNodesToFind and the rotating start", "[scheduler][algorithm]") {
  CHECK(num_feasible_nodes_to_find(50, 0) == 50);
  CHECK(num_feasible_nodes_to_find(150, 0) == 100);    // 49% = 73, at least 100
  CHECK(num_feasible_nodes_to_find(1000, 0) == 420);   // 50 - 8 = 42%
  CHECK(num_feasible_nodes_to_find(5000, 0) == 500);   // 50 - 40 = 10%
  CHECK(num_feasible_nodes_to_find(10000, 0) == 500);  // floor 5%
  CHECK(num_feasible_nodes_to_find(1000, 30) == 300);
  CHECK(num_feasible_nodes_to_find(1000, 100) == 1000);

  std::vector<api::Node> nodes;
  for (int i = 0; i < 200; ++i)
    nodes.push_back(make_node("n" + std::to_string(1000 + i), "4", "8Gi"));
  auto snap = snapshot_of(nodes);
  Algorithm algo(plugins::default_plugins(), {}, Random(3));
  auto pod = make_request_pod("p", "100m", "100Mi");
  std::set<std::string> first_half, second_half;
  CycleState s1;
  auto r1 = algo.schedule(s1, pod, snap);
  REQUIRE(r1);
  CHECK(r1->evaluated_nodes == 100);
  CHECK(r1->feasible_nodes == 100);
  CHECK(r1->node < "n1100");  // searched n1000..n1099
  CycleState s2;
  auto r2 = algo.schedule(s2, pod, snap);
  REQUIRE(r2);
  CHECK(r2->node >= "n1100");  // the next search starts where the last one stopped
}

TEST_CASE("ties are broken uniformly at random", "[scheduler][algorithm]") {
  const uint64_t seed = 20261127;
  INFO("seed " << seed);
  Random rng(seed);
  std::map<size_t, int> hits;
  const int trials = 30000;
  for (int i = 0; i < trials; ++i) ++hits[select_host({5, 7, 7, 3, 7}, rng)];
  REQUIRE(hits.size() == 3);
  // Each of the three ties expects 10000; 4 standard deviations (~4 * 81.6) of slack.
  for (size_t i : {1u, 2u, 4u}) {
    INFO("index " << i << " chosen " << hits[i]);
    CHECK(std::abs(hits[i] - trials / 3) < 330);
  }

  // Through the whole algorithm: four identical nodes are chosen equally often.
  std::vector<api::Node> nodes;
  for (auto name : {"a", "b", "c", "d"}) nodes.push_back(make_node(name, "4", "8Gi"));
  auto snap = snapshot_of(nodes);
  Algorithm algo(plugins::default_plugins(), {}, Random(seed));
  std::map<std::string, int> chosen;
  const int runs = 8000;
  for (int i = 0; i < runs; ++i) {
    CycleState st;
    auto r = algo.schedule(st, make_request_pod("p", "1", "1Gi"), snap);
    REQUIRE(r);
    ++chosen[r->node];
  }
  REQUIRE(chosen.size() == 4);
  // Expected 2000 each, standard deviation ~38.7: allow 4.5 of them.
  for (auto& [name, count] : chosen) {
    INFO("node " << name << " chosen " << count);
    CHECK(std::abs(count - runs / 4) < 175);
  }
}
