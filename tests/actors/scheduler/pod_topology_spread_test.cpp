// PodTopologySpread against upstream's own tables (pkg/scheduler/framework/plugins/
// podtopologyspread/filtering_test.go TestSingleConstraint / TestMultipleConstraints and
// scoring_test.go TestPodTopologySpreadScore): each case names the upstream case it
// reproduces, with upstream's nodes, pods and expected results.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "actors/scheduler/plugins/pod_topology_spread.hpp"
#include "tests/actors/scheduler/topology_fixture.hpp"

using namespace kactor;
using namespace kactor::testing::topology;
using kactor::scheduler::plugins::make_pod_topology_spread;

namespace {

const std::string kHost = "kubernetes.io/hostname";

struct Spread {
  int32_t max_skew;
  std::string key;
  std::string when;
  std::optional<api::LabelSelector> selector;
  std::optional<int32_t> min_domains = std::nullopt;
  std::optional<std::string> affinity_policy = std::nullopt;
  std::optional<std::string> taints_policy = std::nullopt;
  std::vector<std::string> match_label_keys = {};
};

api::Pod with_spread(api::Pod p, std::vector<Spread> cs) {
  for (auto& c : cs) {
    api::TopologySpreadConstraint t;
    t.max_skew = c.max_skew;
    t.topology_key = c.key;
    t.when_unsatisfiable = c.when;
    t.label_selector = c.selector;
    t.min_domains = c.min_domains;
    t.node_affinity_policy = c.affinity_policy;
    t.node_taints_policy = c.taints_policy;
    t.match_label_keys = c.match_label_keys;
    p.spec.topology_spread_constraints.push_back(t);
  }
  return p;
}

api::Pod terminating(api::Pod p) {
  p.metadata.deletion_timestamp = api::Time{TimePoint(std::chrono::seconds(1))};
  return p;
}

/// Four nodes in two zones, with a "node" label (the filtering tables' layout).
std::vector<api::Node> four_nodes() {
  return {node("node-a", {{"zone", "zone1"}, {"node", "node-a"}}),
          node("node-b", {{"zone", "zone1"}, {"node", "node-b"}}),
          node("node-x", {{"zone", "zone2"}, {"node", "node-x"}}),
          node("node-y", {{"zone", "zone2"}, {"node", "node-y"}})};
}

/// Matching pods spread as 2/1/0/3 over node-a, node-b, node-x, node-y.
std::vector<api::Pod> spread_2_1_0_3() {
  return {pod("p-a1", {{"foo", ""}}, "node-a"), pod("p-a2", {{"foo", ""}}, "node-a"),
          pod("p-b1", {{"foo", ""}}, "node-b"), pod("p-y1", {{"foo", ""}}, "node-y"),
          pod("p-y2", {{"foo", ""}}, "node-y"), pod("p-y3", {{"foo", ""}}, "node-y")};
}

std::map<std::string, Code> filter_codes(const Cluster& c, const api::Pod& p) {
  auto plugin = make_pod_topology_spread({});
  return codes(run_filter(*plugin, c, p));
}

constexpr auto ok = Code::success;
constexpr auto no = Code::unschedulable;
constexpr auto never = Code::unschedulable_unresolvable;

}  // namespace

TEST_CASE("PodTopologySpread filter: upstream TestSingleConstraint", "[scheduler][spread]") {
  auto foo = with_spread(pod("p", {{"foo", ""}}), {{1, "zone", "DoNotSchedule", exists("foo")}});

  SECTION("no existing pods") {
    Cluster c(four_nodes(), {});
    CHECK(filter_codes(c, foo) ==
          std::map<std::string, Code>{{"node-a", ok}, {"node-b", ok}, {"node-x", ok}, {"node-y", ok}});
  }
  SECTION("no existing pods, incoming pod doesn't match itself") {
    Cluster c(four_nodes(), {});
    auto p = with_spread(pod("p", {{"foo", ""}}), {{1, "zone", "DoNotSchedule", exists("bar")}});
    CHECK(filter_codes(c, p) ==
          std::map<std::string, Code>{{"node-a", ok}, {"node-b", ok}, {"node-x", ok}, {"node-y", ok}});
  }
  SECTION("existing pods in a different namespace do not count") {
    Cluster c(four_nodes(), {pod("p-a1", {{"foo", ""}}, "node-a", "ns1"),
                             pod("p-b1", {{"foo", ""}}, "node-a", "ns2"),
                             pod("p-x1", {{"foo", ""}}, "node-x"), pod("p-y1", {{"foo", ""}}, "node-y")});
    CHECK(filter_codes(c, foo) ==
          std::map<std::string, Code>{{"node-a", ok}, {"node-b", ok}, {"node-x", no}, {"node-y", no}});
  }
  SECTION("pods spread across zones as 3/3, all nodes fit") {
    Cluster c(four_nodes(), spread_2_1_0_3());
    CHECK(filter_codes(c, foo) ==
          std::map<std::string, Code>{{"node-a", ok}, {"node-b", ok}, {"node-x", ok}, {"node-y", ok}});
  }
  SECTION("pods spread across zones as 1/2 due to absence of label 'zone' on node-b") {
    auto nodes = four_nodes();
    nodes[1].metadata.labels = {{"zon", "zone1"}, {"node", "node-b"}};
    Cluster c(nodes, {pod("p-a1", {{"foo", ""}}, "node-a"), pod("p-b1", {{"foo", ""}}, "node-b"),
                      pod("p-x1", {{"foo", ""}}, "node-x"), pod("p-y1", {{"foo", ""}}, "node-y")});
    auto rs = run_filter(*make_pod_topology_spread({}), c, foo);
    CHECK(codes(rs) ==
          std::map<std::string, Code>{{"node-a", ok}, {"node-b", never}, {"node-x", no}, {"node-y", no}});
    CHECK(rs["node-b"].reasons ==
          std::vector<std::string>{"node(s) didn't match pod topology spread constraints (missing required label)"});
    CHECK(rs["node-x"].reasons ==
          std::vector<std::string>{"node(s) didn't match pod topology spread constraints"});
  }
  SECTION("pod cannot be scheduled as all nodes don't have label 'rack'") {
    Cluster c({node("node-a", {{"zone", "zone1"}, {"node", "node-a"}}),
               node("node-x", {{"zone", "zone2"}, {"node", "node-x"}})},
              {});
    auto p = with_spread(pod("p", {{"foo", ""}}), {{1, "rack", "DoNotSchedule", exists("foo")}});
    CHECK(filter_codes(c, p) == std::map<std::string, Code>{{"node-a", never}, {"node-x", never}});
  }
  SECTION("pods spread across nodes as 2/1/0/3, only node-x fits") {
    Cluster c(four_nodes(), spread_2_1_0_3());
    auto p = with_spread(pod("p", {{"foo", ""}}), {{1, "node", "DoNotSchedule", exists("foo")}});
    CHECK(filter_codes(c, p) ==
          std::map<std::string, Code>{{"node-a", no}, {"node-b", no}, {"node-x", ok}, {"node-y", no}});
  }
  SECTION("pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit") {
    Cluster c(four_nodes(), spread_2_1_0_3());
    auto p = with_spread(pod("p", {{"foo", ""}}), {{2, "node", "DoNotSchedule", exists("foo")}});
    CHECK(filter_codes(c, p) ==
          std::map<std::string, Code>{{"node-a", no}, {"node-b", ok}, {"node-x", ok}, {"node-y", no}});
  }
  SECTION("pods spread across nodes as 2/1/0/3, but pod doesn't match itself") {
    Cluster c(four_nodes(), spread_2_1_0_3());
    auto p = with_spread(pod("p", {{"bar", ""}}), {{1, "node", "DoNotSchedule", exists("foo")}});
    CHECK(filter_codes(c, p) ==
          std::map<std::string, Code>{{"node-a", no}, {"node-b", ok}, {"node-x", ok}, {"node-y", no}});
  }
  SECTION("incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits") {
    Cluster c(four_nodes(), spread_2_1_0_3());
    auto p = with_spread(pod("p", {{"foo", ""}}), {{1, "node", "DoNotSchedule", exists("foo")}});
    api::NodeSelector required;
    required.node_selector_terms.push_back({{{"node", "In", {"node-a", "node-y"}}}, {}});
    p.spec.affinity.emplace().node_affinity.emplace()
        .required_during_scheduling_ignored_during_execution = required;
    // Only node-a and node-y count (nodeAffinityPolicy Honor): the minimum is 2.
    CHECK(filter_codes(c, p) ==
          std::map<std::string, Code>{{"node-a", ok}, {"node-b", ok}, {"node-x", ok}, {"node-y", no}});
  }
  SECTION("terminating Pods should be excluded") {
    Cluster c({node("node-a", {{"node", "node-a"}}), node("node-b", {{"node", "node-b"}})},
              {terminating(pod("p-a", {{"foo", ""}}, "node-a")), pod("p-b", {{"foo", ""}}, "node-b")});
    auto p = with_spread(pod("p", {{"foo", ""}}), {{1, "node", "DoNotSchedule", exists("foo")}});
    CHECK(filter_codes(c, p) == std::map<std::string, Code>{{"node-a", ok}, {"node-b", no}});
  }
}

TEST_CASE("PodTopologySpread filter: minDomains, node inclusion policies, matchLabelKeys",
          "[scheduler][spread]") {
  std::vector<api::Node> three = {node("node-a", {{"node", "node-a"}}),
                                  node("node-b", {{"node", "node-b"}}),
                                  node("node-c", {{"node", "node-c"}})};
  std::vector<api::Pod> two_two_one = {
      pod("p-a1", {{"foo", ""}}, "node-a"), pod("p-a2", {{"foo", ""}}, "node-a"),
      pod("p-b1", {{"foo", ""}}, "node-b"), pod("p-b2", {{"foo", ""}}, "node-b"),
      pod("p-c1", {{"foo", ""}}, "node-c")};
  SECTION("upstream: pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains, then the third node fits") {
    Cluster c(three, two_two_one);
    auto p = with_spread(pod("p", {{"foo", ""}}), {{2, "node", "DoNotSchedule", exists("foo"), 4}});
    // 3 domains < minDomains 4: the global minimum is 0.
    CHECK(filter_codes(c, p) == std::map<std::string, Code>{{"node-a", no}, {"node-b", no}, {"node-c", ok}});
  }
  SECTION("upstream: pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains > minDomains, then the all nodes fit") {
    Cluster c(three, two_two_one);
    auto p = with_spread(pod("p", {{"foo", ""}}), {{2, "node", "DoNotSchedule", exists("foo"), 2}});
    CHECK(filter_codes(c, p) == std::map<std::string, Code>{{"node-a", ok}, {"node-b", ok}, {"node-c", ok}});
  }
  SECTION("nodeTaintsPolicy Honor leaves out nodes whose taints the pod does not tolerate") {
    auto nodes = three;
    nodes[2].spec.taints.push_back({"dedicated", "x", "NoSchedule", {}});
    Cluster c(nodes, {pod("p-a1", {{"foo", ""}}, "node-a"), pod("p-b1", {{"foo", ""}}, "node-b"),
                      pod("p-b2", {{"foo", ""}}, "node-b")});
    // Ignore (default): node-c (0 pods) is the minimum, node-a (1+1-0) fails.
    auto ignore = with_spread(pod("p", {{"foo", ""}}), {{1, "node", "DoNotSchedule", exists("foo")}});
    CHECK(filter_codes(c, ignore)["node-a"] == no);
    // Honor: only node-a and node-b count, the minimum is 1 and node-a fits.
    auto honor = with_spread(pod("p", {{"foo", ""}}),
                             {{1, "node", "DoNotSchedule", exists("foo"), std::nullopt, std::nullopt, "Honor"}});
    CHECK(filter_codes(c, honor)["node-a"] == ok);
    CHECK(filter_codes(c, honor)["node-b"] == no);
  }
  SECTION("nodeAffinityPolicy Ignore counts nodes the pod's selector excludes") {
    auto nodes = three;
    nodes[0].metadata.labels["disk"] = "ssd";
    nodes[1].metadata.labels["disk"] = "ssd";
    Cluster c(nodes, {pod("p-a1", {{"foo", ""}}, "node-a"), pod("p-b1", {{"foo", ""}}, "node-b")});
    auto honor = with_spread(pod("p", {{"foo", ""}}), {{1, "node", "DoNotSchedule", exists("foo")}});
    honor.spec.node_selector = {{"disk", "ssd"}};
    // Honor: node-c is not a domain, the minimum is 1: node-a fits.
    CHECK(filter_codes(c, honor)["node-a"] == ok);
    auto ignore = with_spread(pod("p", {{"foo", ""}}),
                              {{1, "node", "DoNotSchedule", exists("foo"), std::nullopt, "Ignore"}});
    ignore.spec.node_selector = {{"disk", "ssd"}};
    CHECK(filter_codes(c, ignore)["node-a"] == no);
  }
  SECTION("matchLabelKeys: only pods with the incoming pod's value of the key count") {
    Cluster c(three, {pod("p-a1", {{"foo", ""}, {"version", "v1"}}, "node-a"),
                      pod("p-a2", {{"foo", ""}, {"version", "v1"}}, "node-a"),
                      pod("p-b1", {{"foo", ""}, {"version", "v2"}}, "node-b")});
    auto p = with_spread(pod("p", {{"foo", ""}, {"version", "v2"}}),
                         {{1, "node", "DoNotSchedule", exists("foo"), std::nullopt, std::nullopt,
                           std::nullopt, {"version"}}});
    // v2 pods spread as 0/1/0: node-a and node-c fit, node-b does not.
    CHECK(filter_codes(c, p) == std::map<std::string, Code>{{"node-a", ok}, {"node-b", no}, {"node-c", ok}});
  }
}

TEST_CASE("PodTopologySpread filter: upstream TestMultipleConstraints", "[scheduler][spread]") {
  SECTION("two Constraints on zone and node, spreads = [3/3, 2/1/0/3]") {
    Cluster c(four_nodes(), spread_2_1_0_3());
    auto p = with_spread(pod("p", {{"foo", ""}}), {{1, "zone", "DoNotSchedule", exists("foo")},
                                                   {1, "node", "DoNotSchedule", exists("foo")}});
    CHECK(filter_codes(c, p) ==
          std::map<std::string, Code>{{"node-a", no}, {"node-b", no}, {"node-x", ok}, {"node-y", no}});
  }
}

namespace {

std::vector<int64_t> scores(const std::vector<api::Node>& feasible, const std::vector<api::Node>& failed,
                            const std::vector<api::Pod>& existing, const api::Pod& p,
                            const std::vector<api::Object*>& workloads = {}) {
  std::vector<api::Node> all = feasible;
  all.insert(all.end(), failed.begin(), failed.end());
  Cluster c(all, existing);
  auto w = std::make_shared<scheduler::WorkloadSelectors>();
  for (auto* o : workloads) w->upsert(*o);
  c.snapshot.workloads = w;
  std::vector<std::string> names;
  for (auto& n : feasible) names.push_back(n.metadata.name);
  auto plugin = make_pod_topology_spread({});
  return run_score(*plugin, c, p, names);
}

api::Node host(const std::string& name, Labels extra = {}) {
  extra[kHost] = name;
  return node(name, extra);
}

std::vector<api::Pod> foo_pods(const std::vector<std::pair<std::string, int>>& per_node) {
  std::vector<api::Pod> out;
  for (auto& [n, count] : per_node)
    for (int i = 1; i <= count; ++i)
      out.push_back(pod("p-" + n.substr(5) + std::to_string(i), {{"foo", ""}}, n));
  return out;
}

}  // namespace

TEST_CASE("PodTopologySpread score: upstream TestPodTopologySpreadScore", "[scheduler][spread]") {
  auto on_host = [](int32_t skew) {
    return with_spread(pod("p", {{"foo", ""}}), {{skew, kHost, "ScheduleAnyway", exists("foo")}});
  };
  auto abcd = std::vector{host("node-a"), host("node-b"), host("node-c"), host("node-d")};

  SECTION("one constraint on node, no existing pods") {
    CHECK(scores({host("node-a"), host("node-b")}, {}, {}, on_host(1)) == std::vector<int64_t>{100, 100});
  }
  SECTION("one constraint on node, only one node is candidate") {
    CHECK(scores({host("node-a")}, {host("node-b")}, foo_pods({{"node-a", 2}, {"node-b", 1}}),
                 on_host(1)) == std::vector<int64_t>{100});
  }
  SECTION("one constraint on node, all nodes have the same number of matching pods") {
    CHECK(scores({host("node-a"), host("node-b")}, {}, foo_pods({{"node-a", 1}, {"node-b", 1}}),
                 on_host(1)) == std::vector<int64_t>{100, 100});
  }
  SECTION("one constraint on node, all 4 nodes are candidates") {
    CHECK(scores(abcd, {}, foo_pods({{"node-a", 2}, {"node-b", 1}, {"node-d", 3}}), on_host(1)) ==
          std::vector<int64_t>{20, 60, 100, 0});
  }
  SECTION("one constraint on node, null selector") {
    auto p = with_spread(pod("p", {{"foo", ""}}), {{1, kHost, "ScheduleAnyway", std::nullopt}});
    CHECK(scores(abcd, {}, foo_pods({{"node-a", 2}, {"node-b", 1}, {"node-d", 3}}), p) ==
          std::vector<int64_t>{100, 100, 100, 100});
  }
  SECTION("one constraint on node, all 4 nodes are candidates, maxSkew=2") {
    CHECK(scores(abcd, {}, foo_pods({{"node-a", 2}, {"node-b", 1}, {"node-d", 3}}), on_host(2)) ==
          std::vector<int64_t>{33, 66, 100, 16});
  }
  SECTION("one constraint on node, all 4 nodes are candidates, maxSkew=3") {
    CHECK(scores(abcd, {}, foo_pods({{"node-a", 4}, {"node-b", 3}, {"node-c", 2}, {"node-d", 1}}),
                 on_host(3)) == std::vector<int64_t>{44, 66, 77, 100});
  }
  SECTION("system defaulting, nodes don't have zone, pods match service") {
    api::Service svc;
    svc.spec.selector = {{"foo", ""}};
    CHECK(scores(abcd, {}, foo_pods({{"node-a", 4}, {"node-b", 3}, {"node-c", 2}, {"node-d", 1}}),
                 pod("p", {{"foo", ""}}), {&svc}) == std::vector<int64_t>{44, 66, 77, 100});
    // Without a Service (or controller) selecting it, a pod gets no default constraints.
    CHECK(scores(abcd, {}, foo_pods({{"node-a", 4}, {"node-b", 3}, {"node-c", 2}, {"node-d", 1}}),
                 pod("p", {{"foo", ""}})) == std::vector<int64_t>{0, 0, 0, 0});
  }
  SECTION("one constraint on node, 3 out of 4 nodes are candidates") {
    CHECK(scores({host("node-a"), host("node-b"), host("node-x")}, {host("node-y")},
                 foo_pods({{"node-a", 4}, {"node-b", 2}, {"node-x", 1}, {"node-y", 3}}),
                 on_host(1)) == std::vector<int64_t>{33, 83, 100});
  }
  SECTION("one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key") {
    CHECK(scores({host("node-a"), node("node-b", {{"n", "node-b"}}), host("node-x")}, {host("node-y")},
                 foo_pods({{"node-a", 4}, {"node-b", 2}, {"node-x", 1}, {"node-y", 3}}),
                 on_host(1)) == std::vector<int64_t>{16, 0, 100});
  }
  SECTION("one constraint on zone, 3 out of 4 nodes are candidates") {
    auto p = with_spread(pod("p", {{"foo", ""}}), {{1, "zone", "ScheduleAnyway", exists("foo")}});
    CHECK(scores({host("node-a", {{"zone", "zone1"}}), host("node-b", {{"zone", "zone1"}}),
                  host("node-x", {{"zone", "zone2"}})},
                 {host("node-y", {{"zone", "zone2"}})},
                 foo_pods({{"node-a", 4}, {"node-b", 2}, {"node-x", 1}, {"node-y", 3}}),
                 p) == std::vector<int64_t>{75, 75, 100});
  }
  SECTION("two Constraints on zone and node, 2 out of 4 nodes are candidates") {
    auto p = with_spread(pod("p", {{"foo", ""}}), {{1, "zone", "ScheduleAnyway", exists("foo")},
                                                   {1, kHost, "ScheduleAnyway", exists("foo")}});
    CHECK(scores({host("node-a", {{"zone", "zone1"}}), host("node-x", {{"zone", "zone2"}})},
                 {host("node-b", {{"zone", "zone1"}}), host("node-y", {{"zone", "zone2"}})},
                 foo_pods({{"node-a", 2}, {"node-b", 1}, {"node-x", 2}, {"node-y", 4}}),
                 p) == std::vector<int64_t>{100, 63});
  }
  SECTION("two Constraints on zone, 2 out of 4 nodes are candidates") {
    auto p = with_spread(pod("p", {{"foo", ""}, {"bar", ""}}),
                         {{1, "zone", "ScheduleAnyway", exists("foo")},
                          {1, "zone", "ScheduleAnyway", exists("bar")}});
    std::vector<api::Pod> existing = {
        pod("p-a1", {{"foo", ""}, {"bar", ""}}, "node-a"), pod("p-a2", {{"foo", ""}}, "node-a"),
        pod("p-b1", {{"foo", ""}, {"bar", ""}}, "node-b"), pod("p-y1", {{"foo", ""}}, "node-y"),
        pod("p-y2", {{"foo", ""}, {"bar", ""}}, "node-y"), pod("p-y3", {{"foo", ""}}, "node-y")};
    CHECK(scores({node("node-a", {{"zone", "zone1"}}), node("node-x", {{"zone", "zone2"}})},
                 {node("node-b", {{"zone", "zone1"}}), node("node-y", {{"zone", "zone2"}})},
                 existing, p) == std::vector<int64_t>{85, 100});
  }
  auto zone_and_host_selectors = with_spread(pod("p", {{"foo", ""}, {"bar", ""}}),
                                             {{1, "zone", "ScheduleAnyway", exists("foo")},
                                              {1, kHost, "ScheduleAnyway", exists("bar")}});
  auto zoned = std::vector{host("node-a", {{"zone", "zone1"}}), host("node-b", {{"zone", "zone1"}}),
                           host("node-x", {{"zone", "zone2"}}), host("node-y", {{"zone", "zone2"}})};
  SECTION("two Constraints on zone and node, with different labelSelectors") {
    std::vector<api::Pod> existing = {
        pod("p-a1", {{"foo", ""}}, "node-a"), pod("p-b1", {{"foo", ""}, {"bar", ""}}, "node-b"),
        pod("p-y1", {{"foo", ""}}, "node-y"), pod("p-y2", {{"bar", ""}}, "node-y")};
    CHECK(scores(zoned, {}, existing, zone_and_host_selectors) == std::vector<int64_t>{60, 20, 100, 60});
  }
  SECTION("two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods") {
    std::vector<api::Pod> existing = {pod("p-b1", {{"bar", ""}}, "node-b"),
                                      pod("p-x1", {{"foo", ""}}, "node-x"),
                                      pod("p-y1", {{"foo", ""}, {"bar", ""}}, "node-y")};
    CHECK(scores(zoned, {}, existing, zone_and_host_selectors) == std::vector<int64_t>{100, 60, 40, 0});
  }
  SECTION("two Constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates") {
    std::vector<api::Pod> existing = {
        pod("p-a1", {{"foo", ""}}, "node-a"), pod("p-b1", {{"foo", ""}, {"bar", ""}}, "node-b"),
        pod("p-y1", {{"foo", ""}}, "node-y"), pod("p-y2", {{"bar", ""}}, "node-y")};
    CHECK(scores({zoned[0], zoned[1], zoned[2]}, {zoned[3]}, existing, zone_and_host_selectors) ==
          std::vector<int64_t>{50, 25, 100});
  }
  SECTION("existing pods in a different namespace do not count") {
    std::vector<api::Pod> existing = {
        pod("p-a1", {{"foo", ""}}, "node-a", "ns1"), pod("p-a2", {{"foo", ""}}, "node-a"),
        pod("p-b1", {{"foo", ""}}, "node-b"), pod("p-b2", {{"foo", ""}}, "node-b")};
    CHECK(scores({host("node-a"), host("node-b")}, {}, existing, on_host(1)) ==
          std::vector<int64_t>{100, 33});
  }
  SECTION("terminating Pods should be excluded") {
    std::vector<api::Pod> existing = {terminating(pod("p-a", {{"foo", ""}}, "node-a")),
                                      pod("p-b", {{"foo", ""}}, "node-b")};
    CHECK(scores({host("node-a"), host("node-b")}, {}, existing, on_host(1)) ==
          std::vector<int64_t>{100, 0});
  }
}

TEST_CASE("PodTopologySpread default selector: Services, ReplicationController, ReplicaSet",
          "[scheduler][spread]") {
  scheduler::WorkloadSelectors w;
  api::Service svc;
  svc.metadata.namespace_ = "default";
  svc.metadata.name = "web";
  svc.spec.selector = {{"app", "web"}};
  api::Service other = svc;
  other.metadata.name = "other";
  other.spec.selector = {{"app", "db"}};
  api::ReplicaSet rs;
  rs.metadata.namespace_ = "default";
  rs.metadata.name = "web-1";
  rs.spec.selector = in("tier", {"front"});
  w.upsert(svc);
  w.upsert(other);
  w.upsert(rs);
  auto p = pod("p", {{"app", "web"}, {"tier", "front"}}, "", "default");
  p.metadata.owner_references.push_back({"apps/v1", "ReplicaSet", "web-1", "uid", true, {}});
  // The matching Service's labels and the ReplicaSet's requirement, not the other Service's.
  CHECK(scheduler::default_selector(p, w).to_string() == "app=web,tier in (front)");
  auto lone = pod("q", {{"app", "cache"}}, "", "default");
  CHECK(scheduler::default_selector(lone, w).empty());
  // A status update changes nothing (the cache then skips its copy); a new selector does.
  CHECK_FALSE(w.would_change(svc));
  auto moved = svc;
  moved.spec.selector = {{"app", "web2"}};
  CHECK(w.would_change(moved));
  CHECK(w.remove(svc));
  CHECK(scheduler::default_selector(p, w).to_string() == "tier in (front)");
}

TEST_CASE("PodTopologySpreadArgs: defaults and upstream's validation messages",
          "[scheduler][spread]") {
  using scheduler::plugins::parse_pod_topology_spread_args;
  auto ok = parse_pod_topology_spread_args(nlohmann::json::object());
  REQUIRE(ok);
  CHECK(ok->defaulting_type == "System");
  auto list = parse_pod_topology_spread_args(nlohmann::json::parse(R"({
    "defaultingType": "List",
    "defaultConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}]})"));
  REQUIRE(list);
  CHECK(list->default_constraints.size() == 1);

  auto msg = [](const char* text) {
    auto r = parse_pod_topology_spread_args(nlohmann::json::parse(text));
    REQUIRE_FALSE(r);
    return r.error().message;
  };
  CHECK(msg(R"({"defaultingType": "System", "defaultConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}]})") ==
        "defaultingType: Invalid value: \"System\": when .defaultConstraints are not empty");
  CHECK(msg(R"({"defaultingType": "Nope"})") ==
        "defaultingType: Unsupported value: \"Nope\": supported values: \"List\", \"System\"");
  CHECK(msg(R"({"defaultingType": "List", "defaultConstraints": [{"maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}]})") ==
        "defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)");
  CHECK(msg(R"({"defaultingType": "List", "defaultConstraints": [{"maxSkew": 1, "topologyKey": "", "whenUnsatisfiable": "Sometimes"}]})") ==
        "[defaultConstraints[0].topologyKey: Required value: can not be empty, "
        "defaultConstraints[0].whenUnsatisfiable: Unsupported value: \"Sometimes\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"]");
  CHECK(msg(R"({"defaultingType": "List", "defaultConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {}}]})") ==
        "defaultConstraints[0].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod");
  CHECK(msg(R"({"defaultingType": "List", "defaultConstraints": [
      {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"},
      {"maxSkew": 2, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}]})") ==
        "defaultConstraints[1]: Duplicate value: \"{zone, DoNotSchedule}\"");
  CHECK(msg(R"({"defaultingTyp": "List"})") == "unknown field \"defaultingTyp\"");
}
