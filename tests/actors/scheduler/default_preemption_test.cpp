// DefaultPreemption: victim selection, the node choice (one test per criterion, from
// upstream's TestSelectBestCandidate and TestPostFilter tables), budgets, eligibility,
// the messages, the arguments, and the nominated pods the filters count.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "actors/scheduler/algorithm.hpp"
#include "actors/scheduler/nominator.hpp"
#include "actors/scheduler/plugins/plugins.hpp"
#include "actors/scheduler/preemption/default_preemption.hpp"
#include "actors/scheduler/preemption/victims.hpp"
#include "tests/actors/scheduler/fixture.hpp"

using namespace kactor;
using namespace kactor::scheduler;
using namespace kactor::testing;
using preemption::DefaultPreemptionArgs;

namespace {

// Upstream's priorities and resources (default_preemption_test.go).
constexpr int32_t kNeg = -100, kLow = 0, kMid = 100, kHigh = 1000, kVeryHigh = 10000;
struct Res {
  const char* cpu;
  const char* memory;
};
constexpr Res kSmall{"100m", "100"}, kMedium{"200m", "200"}, kLarge{"300m", "300"},
    kVeryLarge{"500m", "500"};

/// Upstream's epochTime + n: a start time; larger is later.
api::Time at(int n) {
  return api::Time{TimePoint{} + std::chrono::seconds(1000 + n)};
}

api::Pod pod(const std::string& name, int32_t priority, Res res = {nullptr, nullptr},
             std::optional<api::Time> started = std::nullopt) {
  auto p = make_request_pod(name, res.cpu, res.memory);
  p.metadata.uid = name;
  p.spec.priority = priority;
  if (started) p.status.start_time = *started;
  return p;
}

/// A cluster: node name -> its pods; every node with `capacity` (upstream MakeNode:
/// 32 pods unless said otherwise).
struct Cluster {
  std::vector<std::pair<api::Node, std::vector<api::Pod>>> nodes;
  PdbList pdbs;

  void add(const std::string& name, Res capacity, std::vector<api::Pod> pods,
           const char* max_pods = "32") {
    nodes.emplace_back(make_node(name, capacity.cpu, capacity.memory, max_pods), std::move(pods));
  }
  Snapshot snapshot() const {
    Snapshot s;
    for (auto& [node, pods] : nodes) {
      std::vector<api::Pod> bound = pods;
      for (auto& p : bound) p.spec.node_name = node.metadata.name;
      s.nodes.push_back(make_info(node, bound));
    }
    std::sort(s.nodes.begin(), s.nodes.end(),
              [](auto& a, auto& b) { return a->name() < b->name(); });
    s.pdbs = std::make_shared<PdbList>(pdbs);
    return s;
  }
};

/// Schedules `p`; it must fail. Returns the FitError (post_filter holds preemption's decision).
FitError fail_to_schedule(const api::Pod& p, const Snapshot& snap,
                          const Nominator* nominator = nullptr, uint64_t seed = 1) {
  Algorithm algo(plugins::default_plugins(), {}, Random(seed));
  algo.set_nominator(nominator);
  CycleState st;
  auto r = algo.schedule(st, p, snap);
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

std::vector<std::string> names(const std::vector<std::shared_ptr<const api::Pod>>& pods) {
  std::vector<std::string> out;
  for (auto& p : pods) out.push_back(p->metadata.name);
  std::sort(out.begin(), out.end());
  return out;
}

std::shared_ptr<const api::PodDisruptionBudget> pdb(const std::string& name,
                                                    std::map<std::string, std::string> match,
                                                    int32_t allowed) {
  auto b = std::make_shared<api::PodDisruptionBudget>();
  b->metadata.name = name;
  b->metadata.namespace_ = "default";
  b->spec.selector = api::LabelSelector{};
  b->spec.selector->match_labels = std::move(match);
  b->status.disruptions_allowed = allowed;
  return b;
}

}  // namespace

TEST_CASE("node choice follows upstream's criteria, each deciding one case",
          "[scheduler][preemption]") {
  // Upstream TestSelectBestCandidate: every node has veryLargeRes; the pod asks for it all.
  struct PodRow {  // a pod on a node: its priority, requests and start (at(start))
    const char* node;
    const char* name;
    int32_t priority;
    Res res;
    int start;
  };
  struct Case {
    const char* name;
    int32_t priority;
    std::vector<PodRow> pods;
    std::set<std::string> expected;
  };
  const std::vector<Case> cases{
      {"a pod that fits on both nodes when lower priority pods are preempted",
       kHigh,
       {{"node1", "p1", kMid, kLarge, 0}, {"node2", "p2", kMid, kLarge, 0}},
       {"node1", "node2"}},
      {"node with min highest priority pod is picked",
       kHigh,
       {{"node1", "p1.1", kMid, kMedium, 0},
        {"node1", "p1.2", kMid, kLarge, 0},
        {"node2", "p2.1", kMid, kMedium, 0},
        {"node2", "p2.2", kLow, kMedium, 0},
        {"node3", "p3.1", kLow, kMedium, 0},
        {"node3", "p3.2", kLow, kMedium, 0}},
       {"node3"}},
      {"when highest priorities are the same, minimum sum of priorities is picked",
       kHigh,
       {{"node1", "p1.1", kMid, kMedium, 0},
        {"node1", "p1.2", kMid, kLarge, 0},
        {"node2", "p2.1", kMid, kLarge, 0},
        {"node2", "p2.2", kLow, kMedium, 0},
        {"node3", "p3.1", kMid, kMedium, 0},
        {"node3", "p3.2", kMid, kMedium, 0}},
       {"node2"}},
      {"when highest priority and sum are the same, minimum number of pods is picked",
       kHigh,
       {{"node1", "p1.1", kMid, kSmall, 0},
        {"node1", "p1.2", kNeg, kSmall, 0},
        {"node1", "p1.3", kMid, kSmall, 0},
        {"node1", "p1.4", kNeg, kSmall, 0},
        {"node2", "p2.1", kMid, kLarge, 0},
        {"node2", "p2.2", kNeg, kMedium, 0},
        {"node3", "p3.1", kMid, kMedium, 0},
        {"node3", "p3.2", kNeg, kSmall, 0},
        {"node3", "p3.3", kLow, kSmall, 0}},
       {"node2"}},
      {"sum of adjusted priorities is considered",
       kHigh,
       {{"node1", "p1.1", kMid, kSmall, 0},
        {"node1", "p1.2", kNeg, kSmall, 0},
        {"node1", "p1.3", kNeg, kSmall, 0},
        {"node2", "p2.1", kMid, kLarge, 0},
        {"node2", "p2.2", kNeg, kMedium, 0},
        {"node3", "p3.1", kMid, kMedium, 0},
        {"node3", "p3.2", kNeg, kSmall, 0},
        {"node3", "p3.3", kLow, kSmall, 0}},
       {"node2"}},
      {"non-overlapping lowest high priority, sum priorities, and number of pods",
       kVeryHigh,
       {{"node1", "p1.1", kMid, kSmall, 0},
        {"node1", "p1.2", kLow, kSmall, 0},
        {"node1", "p1.3", kLow, kSmall, 0},
        {"node2", "p2.1", kHigh, kLarge, 0},
        {"node3", "p3.1", kMid, kMedium, 0},
        {"node3", "p3.2", kLow, kSmall, 0},
        {"node3", "p3.3", kLow, kSmall, 0},
        {"node3", "p3.4", kLow, kMedium, 0},
        {"node4", "p4.1", kMid, kMedium, 0},
        {"node4", "p4.2", kMid, kSmall, 0},
        {"node4", "p4.3", kMid, kSmall, 0},
        {"node4", "p4.4", kNeg, kSmall, 0}},
       {"node1"}},
      {"same priority, same number of victims, different start time for each node's pod",
       kHigh,
       {{"node1", "p1.1", kMid, kMedium, 2},
        {"node1", "p1.2", kMid, kMedium, 2},
        {"node2", "p2.1", kMid, kMedium, 3},
        {"node2", "p2.2", kMid, kMedium, 3},
        {"node3", "p3.1", kMid, kMedium, 1},
        {"node3", "p3.2", kMid, kMedium, 1}},
       {"node2"}},
      {"same priority, same number of victims, different start time for all pods",
       kHigh,
       {{"node1", "p1.1", kMid, kMedium, 4},
        {"node1", "p1.2", kMid, kMedium, 2},
        {"node2", "p2.1", kMid, kMedium, 5},
        {"node2", "p2.2", kMid, kMedium, 1},
        {"node3", "p3.1", kMid, kMedium, 3},
        {"node3", "p3.2", kMid, kMedium, 6}},
       {"node3"}},
      {"different priority, same number of victims, different start time for all pods",
       kHigh,
       {{"node1", "p1.1", kLow, kMedium, 4},
        {"node1", "p1.2", kMid, kMedium, 2},
        {"node2", "p2.1", kMid, kMedium, 6},
        {"node2", "p2.2", kLow, kMedium, 1},
        {"node3", "p3.1", kLow, kMedium, 3},
        {"node3", "p3.2", kMid, kMedium, 5}},
       {"node2"}},
  };
  for (auto& c : cases) {
    for (uint64_t seed : {1, 2, 3}) {  // the random start of the search must not matter
      INFO(c.name << " (seed " << seed << ")");
      Cluster cluster;
      std::map<std::string, std::vector<api::Pod>> by_node;
      for (const auto& row : c.pods)
        by_node[row.node].push_back(pod(row.name, row.priority, row.res, at(row.start)));
      for (auto& [node, pods] : by_node) cluster.add(node, kVeryLarge, pods);
      auto fit =
          fail_to_schedule(pod("p", c.priority, kVeryLarge), cluster.snapshot(), nullptr, seed);
      REQUIRE(fit.post_filter);
      CHECK(c.expected.contains(fit.post_filter->nominated_node));
    }
  }
}

TEST_CASE("victims: all lower-priority pods removed, then as many as possible reprieved",
          "[scheduler][preemption]") {
  // Upstream TestSelectNodesForPreemption "a pod that would fit on the machines, but other
  // pods running are higher priority": only lower priority goes, most important kept.
  Cluster cluster;
  cluster.add("node1", {"1", "1000"},
              {pod("high", kHigh, kLarge, at(0)), pod("mid-old", kMid, kLarge, at(1)),
               pod("mid-new", kMid, kLarge, at(2))});
  // The pod needs 400m: freeing 300m is not enough, so two mid pods must go unless one
  // can stay: 1000 - 300 (high) - 400 = 300 left: one mid pod stays, the older one
  // (more important).
  auto fit = fail_to_schedule(pod("p", kHigh, {"400m", "100"}), cluster.snapshot());
  REQUIRE(fit.post_filter);
  CHECK(fit.post_filter->nominated_node == "node1");
  CHECK(names(fit.post_filter->victims) == std::vector<std::string>{"mid-new"});
}

TEST_CASE("a pod never preempts pods of equal or higher priority", "[scheduler][preemption]") {
  // Upstream TestPostFilter "pod with tied priority is still unschedulable".
  Cluster cluster;
  cluster.add("node1", kVeryLarge, {pod("p1", kLow)}, "1");
  auto fit = fail_to_schedule(pod("p", kLow), cluster.snapshot());
  REQUIRE(fit.post_filter);
  CHECK(fit.post_filter->nominated_node.empty());
  CHECK(fit.post_filter->victims.empty());
  CHECK(fit.post_filter_message ==
        "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
  CHECK(fit.message() ==
        "0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No "
        "preemption victims found for incoming pod.");

  // Upstream "pod with higher priority can be made schedulable".
  auto higher = fail_to_schedule(pod("p", kHigh), cluster.snapshot());
  REQUIRE(higher.post_filter);
  CHECK(higher.post_filter->nominated_node == "node1");
  CHECK(names(higher.post_filter->victims) == std::vector<std::string>{"p1"});
}

TEST_CASE("preemption messages count each node's reason as upstream", "[scheduler][preemption]") {
  SECTION("unresolvable nodes: preemption is not helpful") {
    // Upstream "preemption should respect filteredNodesStatuses": a taint the pod does
    // not tolerate cannot be preempted away.
    Cluster cluster;
    cluster.add("node1", kVeryLarge, {pod("p1", kLow)}, "1");
    auto snap = cluster.snapshot();
    auto node = std::make_shared<NodeInfo>(*snap.nodes[0]);
    auto tainted = std::make_shared<api::Node>(*node->node);
    tainted->spec.taints.push_back({"dedicated", "db", "NoSchedule", std::nullopt});
    node->set_node(tainted);
    snap.nodes[0] = node;
    auto fit = fail_to_schedule(pod("p", kHigh), snap);
    CHECK(fit.post_filter_message ==
          "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
  }
  SECTION("mixed reasons: no lower-priority pod, and not enough cpu even without them") {
    // Upstream "no candidate nodes found with mixed reasons, no lower priority pod and no
    // enough CPU resource".
    Cluster cluster;
    cluster.add("node1", kVeryLarge, {pod("p1", kHigh)}, "1");
    cluster.add("node2", {"200m", "400"}, {pod("p2", kLow)});
    cluster.add("node3", kVeryLarge, {pod("p3", kHigh)}, "1");
    auto fit = fail_to_schedule(pod("p", kHigh, kLarge), cluster.snapshot());
    CHECK(fit.post_filter_message ==
          "preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 No preemption victims "
          "found for incoming pod.");
  }
}

TEST_CASE("preemptionPolicy Never: the pod preempts nothing", "[scheduler][preemption]") {
  Cluster cluster;
  cluster.add("node1", kVeryLarge, {pod("p1", kLow)}, "1");
  auto p = pod("p", kHigh);
  p.spec.preemption_policy = "Never";
  auto fit = fail_to_schedule(p, cluster.snapshot());
  CHECK_FALSE(fit.post_filter);
  CHECK(fit.post_filter_message == "not eligible due to preemptionPolicy=Never.");
  CHECK(fit.message() ==
        "0/1 nodes are available: 1 Too many pods. not eligible due to preemptionPolicy=Never.");
}

TEST_CASE("a pod waits for the victims on its nominated node instead of preempting again",
          "[scheduler][preemption]") {
  Cluster cluster;
  auto going = pod("going", kLow);
  going.metadata.deletion_timestamp = at(9);
  going.status.conditions.push_back(
      {"DisruptionTarget", "True", {}, at(9), "PreemptionByScheduler", "preempting"});
  cluster.add("node1", kVeryLarge, {going}, "1");
  cluster.add("node2", kVeryLarge, {pod("other", kLow)}, "1");
  auto p = pod("p", kHigh);
  p.status.nominated_node_name = "node1";
  auto fit = fail_to_schedule(p, cluster.snapshot());
  CHECK_FALSE(fit.post_filter);
  CHECK(fit.post_filter_message == "not eligible due to a terminating pod on the nominated node.");

  // Deleted for another reason (no DisruptionTarget by the scheduler): eligible again.
  going.status.conditions.clear();
  cluster.nodes[0].second = {going};
  auto again = fail_to_schedule(p, cluster.snapshot());
  CHECK(again.post_filter);
}

TEST_CASE("budgets: a node whose victims violate a PodDisruptionBudget is passed over",
          "[scheduler][preemption]") {
  auto guarded = [](const std::string& name, int32_t prio) {
    auto p = pod(name, prio);
    p.metadata.labels = {{"app", "db"}};
    return p;
  };
  SECTION("fewest violations decides before priorities") {
    // node1's victim is the cheaper one by priority, but its budget allows no disruption.
    Cluster cluster;
    cluster.add("node1", kVeryLarge, {guarded("db-0", kLow)}, "1");
    cluster.add("node2", kVeryLarge, {pod("web-0", kMid)}, "1");
    cluster.pdbs = {pdb("db", {{"app", "db"}}, 0)};
    auto fit = fail_to_schedule(pod("p", kHigh), cluster.snapshot());
    REQUIRE(fit.post_filter);
    CHECK(fit.post_filter->nominated_node == "node2");

    // The budget allows one disruption: no violation, so priority decides.
    cluster.pdbs = {pdb("db", {{"app", "db"}}, 1)};
    fit = fail_to_schedule(pod("p", kHigh), cluster.snapshot());
    REQUIRE(fit.post_filter);
    CHECK(fit.post_filter->nominated_node == "node1");
  }
  SECTION("no other way: the budget is violated") {
    Cluster cluster;
    cluster.add("node1", kVeryLarge, {guarded("db-0", kLow)}, "1");
    cluster.pdbs = {pdb("db", {{"app", "db"}}, 0)};
    auto fit = fail_to_schedule(pod("p", kHigh), cluster.snapshot());
    REQUIRE(fit.post_filter);
    CHECK(fit.post_filter->nominated_node == "node1");
    CHECK(names(fit.post_filter->victims) == std::vector<std::string>{"db-0"});
  }
  SECTION("budget-violating pods are reprieved first") {
    // Room for the pod needs one of the two to go; the guarded one is put back first.
    Cluster cluster;
    cluster.add("node1", kVeryLarge, {guarded("db-0", kLow), pod("web-0", kLow)}, "2");
    cluster.pdbs = {pdb("db", {{"app", "db"}}, 0)};
    auto fit = fail_to_schedule(pod("p", kHigh), cluster.snapshot());
    REQUIRE(fit.post_filter);
    CHECK(names(fit.post_filter->victims) == std::vector<std::string>{"web-0"});
  }
  SECTION("the count is per budget across the node's pods, disrupted pods not counted") {
    auto a = guarded("db-0", kLow), b = guarded("db-1", kLow), c = guarded("db-2", kLow);
    std::vector<PodInfoPtr> infos;
    for (auto* p : {&a, &b, &c})
      infos.push_back(PodInfo::make(std::make_shared<const api::Pod>(*p)));
    auto budget = std::const_pointer_cast<api::PodDisruptionBudget>(pdb("db", {{"app", "db"}}, 1));
    auto split = preemption::split_by_pdb_violation(infos, {budget});
    CHECK(split.non_violating.size() == 1);
    CHECK(split.violating.size() == 2);
    budget->status.disrupted_pods["db-0"] = at(0);
    split = preemption::split_by_pdb_violation(infos, {budget});
    CHECK(split.non_violating.size() == 2);  // db-0 already counted, db-1 takes the one left
    CHECK(split.violating.size() == 1);
    // Another namespace: not selected.
    budget->metadata.namespace_ = "other";
    split = preemption::split_by_pdb_violation(infos, {budget});
    CHECK(split.violating.empty());
  }
}

TEST_CASE("candidate count: max(nodes * percentage / 100, absolute), at most all nodes",
          "[scheduler][preemption]") {
  // Upstream TestGetOffsetAndNumCandidates and calculateNumCandidates.
  DefaultPreemptionArgs defaults;
  CHECK(preemption::num_candidates(10, defaults) == 10);
  CHECK(preemption::num_candidates(100, defaults) == 100);
  CHECK(preemption::num_candidates(1000, defaults) == 100);
  CHECK(preemption::num_candidates(5000, defaults) == 500);
  CHECK(preemption::num_candidates(100, {40, 10}) == 40);
  CHECK(preemption::num_candidates(100, {10, 50}) == 50);
  CHECK(preemption::num_candidates(100, {0, 200}) == 100);
}

TEST_CASE("DefaultPreemptionArgs parsing and upstream validation", "[scheduler][preemption]") {
  using nlohmann::json;
  auto ok = preemption::parse_default_preemption_args(json::object());
  REQUIRE(ok);
  CHECK(*ok == DefaultPreemptionArgs{10, 100});
  ok = preemption::parse_default_preemption_args(
      json{{"minCandidateNodesPercentage", 50}, {"kind", "DefaultPreemptionArgs"}});
  REQUIRE(ok);
  CHECK(*ok == DefaultPreemptionArgs{50, 100});

  auto err = [](const json& j) {
    auto r = preemption::parse_default_preemption_args(j);
    REQUIRE_FALSE(r);
    return r.error().message;
  };
  CHECK(err(json{{"minCandidateNodesPercentage", 101}}) ==
        "minCandidateNodesPercentage: Invalid value: 101: not in valid range [0, 100]");
  CHECK(err(json{{"minCandidateNodesAbsolute", -1}}) ==
        "minCandidateNodesAbsolute: Invalid value: -1: not in valid range [0, inf)");
  CHECK(err(json{{"minCandidateNodesPercentage", 0}, {"minCandidateNodesAbsolute", 0}}) ==
        "[minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as "
        "minCandidateNodesAbsolute, minCandidateNodesAbsolute: Invalid value: 0: cannot be zero "
        "at the same time as minCandidateNodesPercentage]");
  CHECK(err(json{{"minCandidateNodesPercentage", "ten"}}) ==
        "minCandidateNodesPercentage: Invalid value: \"ten\": must be a 32-bit integer");
  CHECK(err(json{{"minCandidateNodes", 1}}) == "unknown field \"minCandidateNodes\"");
}

TEST_CASE("nominated pods of equal or higher priority hold their room", "[scheduler][preemption]") {
  Cluster cluster;
  cluster.add("node1", kVeryLarge, {}, "1");
  auto snap = cluster.snapshot();
  Nominator nominator;
  auto waiting = pod("waiting", kMid);
  nominator.add(PodInfo::make(std::make_shared<const api::Pod>(waiting)), "node1");

  // Lower priority: the room is the nominated pod's.
  auto fit = fail_to_schedule(pod("low", kLow), snap, &nominator);
  CHECK(fit.message().starts_with("0/1 nodes are available: 1 Too many pods."));

  // Equal priority yields too.
  fail_to_schedule(pod("same", kMid), snap, &nominator);

  // Higher priority may take room kept for a lower one.
  Algorithm algo(plugins::default_plugins(), {}, Random(1));
  algo.set_nominator(&nominator);
  CycleState st;
  auto r = algo.schedule(st, pod("high", kHigh), snap);
  REQUIRE(r);
  CHECK(r->node == "node1");

  // The nominated pod itself is not in its own way.
  CycleState st2;
  r = algo.schedule(st2, waiting, snap);
  REQUIRE(r);
}

TEST_CASE("a nominated pod tries its nominated node first", "[scheduler][preemption]") {
  // Scoring prefers the empty node2; the pod nominated to node1 still goes there.
  Cluster cluster;
  cluster.add("node1", {"1", "1Gi"}, {pod("busy", kLow, {"500m", "500Mi"})});
  cluster.add("node2", {"1", "1Gi"}, {});
  auto p = pod("p", kHigh, kSmall);
  p.status.nominated_node_name = "node1";
  for (uint64_t seed : {1, 2, 3, 4}) {
    Algorithm algo(plugins::default_plugins(), {}, Random(seed));
    CycleState st;
    auto r = algo.schedule(st, p, cluster.snapshot());
    REQUIRE(r);
    CHECK(r->node == "node1");
  }
}

TEST_CASE("lower-priority pods nominated to the chosen node lose their nomination",
          "[scheduler][preemption]") {
  Cluster cluster;
  cluster.add("node1", kVeryLarge, {pod("p1", kLow)}, "1");
  Nominator nominator;
  nominator.add(PodInfo::make(std::make_shared<const api::Pod>(pod("earlier", kLow))), "node1");
  auto fit = fail_to_schedule(pod("p", kHigh), cluster.snapshot(), &nominator);
  REQUIRE(fit.post_filter);
  CHECK(fit.post_filter->nominated_node == "node1");
  CHECK(names(fit.post_filter->clear_nominations) == std::vector<std::string>{"earlier"});
}

TEST_CASE("the nominator follows status.nominatedNodeName and keeps in-memory nominations",
          "[scheduler][preemption]") {
  Nominator n;
  auto p = std::make_shared<api::Pod>(pod("p", kHigh));
  // Nominated in memory; an update without the field (the write not landed yet) keeps it.
  n.add(PodInfo::make(p), "node1");
  n.on_pending_pod(p.get(), p);
  CHECK(n.node_of("default/p") == "node1");
  // The status names another node: follow it.
  auto moved = std::make_shared<api::Pod>(*p);
  moved->status.nominated_node_name = "node2";
  n.on_pending_pod(p.get(), moved);
  CHECK(n.node_of("default/p") == "node2");
  CHECK(n.pods_on("node1").empty());
  CHECK(n.pods_on("node2").size() == 1);
  // Cleared in the status: gone.
  n.on_pending_pod(moved.get(), p);
  CHECK(n.node_of("default/p").empty());
  CHECK(n.empty());
}

namespace {

/// A node with its hostname label and `labels`, and room for anything (the topology tests
/// below are about spread and affinity, not resources).
api::Node labelled_node(const std::string& name, std::map<std::string, std::string> labels) {
  auto n = make_node(name, "10", "10Gi", "32");
  n.metadata.labels = std::move(labels);
  n.metadata.labels["kubernetes.io/hostname"] = name;
  return n;
}

Snapshot snapshot_of(std::vector<std::pair<api::Node, std::vector<api::Pod>>> nodes) {
  Snapshot s;
  for (auto& [node, pods] : nodes) {
    for (auto& p : pods) p.spec.node_name = node.metadata.name;
    s.nodes.push_back(make_info(node, pods));
  }
  return s;
}

api::Pod labelled(api::Pod p, std::map<std::string, std::string> labels) {
  p.metadata.labels = std::move(labels);
  return p;
}

api::LabelSelector selecting(const std::string& key, const std::string& value) {
  api::LabelSelector s;
  s.match_labels = {{key, value}};
  return s;
}

/// `p` with a required anti-affinity term against `selector` per hostname.
api::Pod anti_affine(api::Pod p, api::LabelSelector selector) {
  api::PodAffinityTerm t;
  t.label_selector = std::move(selector);
  t.topology_key = "kubernetes.io/hostname";
  p.spec.affinity.emplace().pod_anti_affinity.emplace()
      .required_during_scheduling_ignored_during_execution.push_back(std::move(t));
  return p;
}

/// Schedules `p` (it must fail), then asks preemption's victim search of every node:
/// node -> its victims, sorted; a node that is no candidate is absent.
std::map<std::string, std::vector<std::string>> victims_per_node(const api::Pod& p,
                                                                 const Snapshot& snap) {
  Algorithm algo(plugins::default_plugins(), {}, Random(1));
  CycleState st;
  auto r = algo.schedule(st, p, snap);
  REQUIRE_FALSE(r.has_value());
  std::map<std::string, std::vector<std::string>> out;
  for (auto& info : snap.nodes) {
    auto c = preemption::select_victims_on_node(st, p, *info, PdbList{});
    if (!c) continue;
    auto& v = out[info->name()];
    for (auto& victim : c->victims) v.push_back(victim->pod->metadata.name);
    std::sort(v.begin(), v.end());
  }
  return out;
}

}  // namespace

TEST_CASE("preemption resolves a topology spread failure: removed victims leave the counts",
          "[scheduler][preemption]") {
  // Upstream TestSelectNodesForPreemption "preemption to resolve pod topology spread filter
  // failure": zone1 holds 3 foo pods (node-a 2, node-b 1), zone2 2 (node-x, high priority).
  const std::map<std::string, std::string> foo{{"foo", ""}};
  auto snap = snapshot_of({
      {labelled_node("node-a", {{"zone", "zone1"}}),
       {labelled(pod("pod-a1", kMid), foo), labelled(pod("pod-a2", kLow), foo)}},
      {labelled_node("node-b", {{"zone", "zone1"}}), {labelled(pod("pod-b1", kLow), foo)}},
      {labelled_node("node-x", {{"zone", "zone2"}}),
       {labelled(pod("pod-x1", kHigh), foo), labelled(pod("pod-x2", kHigh), foo)}},
  });
  api::LabelSelector has_foo;
  has_foo.match_expressions.push_back({"foo", "Exists", {}});
  auto p = labelled(pod("p", kHigh), foo);
  for (const char* key : {"zone", "kubernetes.io/hostname"}) {
    api::TopologySpreadConstraint c;
    c.max_skew = 1;
    c.topology_key = key;
    c.when_unsatisfiable = "DoNotSchedule";
    c.label_selector = has_foo;
    p.spec.topology_spread_constraints.push_back(c);
  }
  // node-a: without both its pods zone1 has 1; pod-a1 (more important) comes back (zone1 2,
  // zone2 2), pod-a2 cannot. node-b: pod-b1 must go. node-x: only pods of equal priority.
  CHECK(victims_per_node(p, snap) ==
        std::map<std::string, std::vector<std::string>>{{"node-a", {"pod-a2"}},
                                                        {"node-b", {"pod-b1"}}});
}

TEST_CASE("preemption resolves an inter-pod anti-affinity failure, of the pod and of existing pods",
          "[scheduler][preemption]") {
  SECTION("the incoming pod's anti-affinity: only the matching pod is a victim") {
    auto snap = snapshot_of({
        {labelled_node("node1", {}),
         {labelled(pod("web-low", kLow), {{"app", "web"}}),
          labelled(pod("other-low", kLow), {{"app", "other"}})}},
        {labelled_node("node2", {}), {labelled(pod("web-top", kVeryHigh), {{"app", "web"}})}},
    });
    auto p = anti_affine(pod("p", kHigh), selecting("app", "web"));
    CHECK(victims_per_node(p, snap) ==
          std::map<std::string, std::vector<std::string>>{{"node1", {"web-low"}}});
    // And the whole PostFilter: nominated to node1, the web pod its only victim.
    auto fit = fail_to_schedule(p, snap);
    REQUIRE(fit.post_filter);
    CHECK(fit.post_filter->nominated_node == "node1");
    CHECK(names(fit.post_filter->victims) == std::vector<std::string>{"web-low"});
  }
  SECTION("an existing pod's anti-affinity against the incoming pod: that pod is the victim") {
    auto snap = snapshot_of({
        {labelled_node("node1", {}),
         {anti_affine(pod("guard-low", kLow), selecting("app", "web")),
          labelled(pod("other-low", kLow), {{"app", "other"}})}},
    });
    auto p = labelled(pod("p", kHigh), {{"app", "web"}});
    CHECK(victims_per_node(p, snap) ==
          std::map<std::string, std::vector<std::string>>{{"node1", {"guard-low"}}});
  }
}

TEST_CASE("a nominated pod counts for the anti-affinity of a pod of lower priority",
          "[scheduler][preemption]") {
  // node1 is empty, but a web pod of higher priority is nominated to it: a pod that must
  // not share a node with web pods may not take it (upstream AddPod of InterPodAffinity).
  auto snap = snapshot_of({{labelled_node("node1", {}), {}}});
  Nominator nominator;
  nominator.add(PodInfo::make(std::make_shared<const api::Pod>(
                    labelled(pod("web-nominated", kHigh), {{"app", "web"}}))),
                "node1");
  auto fit = fail_to_schedule(anti_affine(pod("p", kMid), selecting("app", "web")), snap, &nominator);
  CHECK(fit.message().starts_with(
      "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules."));
  // Without the nomination it fits.
  Algorithm algo(plugins::default_plugins(), {}, Random(1));
  CycleState st;
  CHECK(algo.schedule(st, anti_affine(pod("p", kMid), selecting("app", "web")), snap).has_value());
}
