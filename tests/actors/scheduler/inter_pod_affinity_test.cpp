// InterPodAffinity against upstream's own tables (pkg/scheduler/framework/plugins/
// interpodaffinity/filtering_test.go TestRequiredAffinitySingleNode /
// TestRequiredAffinityMultipleNodes and scoring_test.go TestPreferredAffinity): each case
// names the upstream case it reproduces, with upstream's nodes, pods and expectations.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "actors/scheduler/plugins/inter_pod_affinity.hpp"
#include "tests/actors/scheduler/topology_fixture.hpp"

using namespace kactor;
using namespace kactor::testing::topology;
using kactor::scheduler::plugins::make_inter_pod_affinity;

namespace {

api::PodAffinityTerm term(api::LabelSelector selector, const std::string& key,
                          std::vector<std::string> namespaces = {},
                          std::optional<api::LabelSelector> ns_selector = std::nullopt) {
  api::PodAffinityTerm t;
  t.label_selector = std::move(selector);
  t.topology_key = key;
  t.namespaces = std::move(namespaces);
  t.namespace_selector = std::move(ns_selector);
  return t;
}

api::LabelSelector expr(std::vector<api::LabelSelectorRequirement> rs) {
  api::LabelSelector s;
  s.match_expressions = std::move(rs);
  return s;
}

api::WeightedPodAffinityTerm weighted(int32_t w, api::PodAffinityTerm t) {
  return {w, std::move(t)};
}

struct Terms {
  std::vector<api::PodAffinityTerm> affinity;
  std::vector<api::PodAffinityTerm> anti;
  std::vector<api::WeightedPodAffinityTerm> preferred;
  std::vector<api::WeightedPodAffinityTerm> preferred_anti;
};

api::Pod with(api::Pod p, const Terms& t) {
  auto& a = p.spec.affinity.emplace();
  if (!t.affinity.empty() || !t.preferred.empty()) {
    a.pod_affinity.emplace().required_during_scheduling_ignored_during_execution = t.affinity;
    a.pod_affinity->preferred_during_scheduling_ignored_during_execution = t.preferred;
  }
  if (!t.anti.empty() || !t.preferred_anti.empty()) {
    a.pod_anti_affinity.emplace().required_during_scheduling_ignored_during_execution = t.anti;
    a.pod_anti_affinity->preferred_during_scheduling_ignored_during_execution = t.preferred_anti;
  }
  return p;
}

const Labels kPodLabel = {{"service", "securityscan"}};
const Labels kPodLabel2 = {{"security", "S1"}};

const auto kAffRules = std::string("node(s) didn't match pod affinity rules");
const auto kAntiRules = std::string("node(s) didn't match pod anti-affinity rules");
const auto kExistingAnti = std::string("node(s) didn't satisfy existing pods anti-affinity rules");

/// Filter on machine1 (region r1, zone z11), as upstream's single-node table.
PluginResult single(const api::Pod& p, const std::vector<api::Pod>& pods) {
  Cluster c({node("machine1", {{"region", "r1"}, {"zone", "z11"}}), node("machine2")}, pods);
  auto plugin = make_inter_pod_affinity({});
  return run_filter(*plugin, c, p)["machine1"];
}

void expect(const PluginResult& r, Code code, const std::string& reason) {
  CHECK(r.code == code);
  CHECK(r.reasons == std::vector<std::string>{reason});
}

}  // namespace

TEST_CASE("InterPodAffinity filter: upstream TestRequiredAffinitySingleNode", "[scheduler][affinity]") {
  auto in_scan = expr({{"service", "In", {"securityscan", "value2"}}});
  auto in_antivirus = expr({{"service", "In", {"antivirusscan", "value2"}}});
  auto existing = pod("e", kPodLabel, "machine1");

  SECTION("A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods") {
    CHECK(single(pod("p"), {}).ok());
  }
  SECTION("satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod") {
    CHECK(single(with(pod("p", kPodLabel2), {{term(in_scan, "region")}}), {existing}).ok());
  }
  SECTION("satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod") {
    auto t = term(expr({{"service", "NotIn", {"securityscan3", "value3"}}}), "region");
    CHECK(single(with(pod("p", kPodLabel2), {{t}}), {existing}).ok());
  }
  SECTION("Does not satisfy the PodAffinity with labelSelector because of diff Namespace") {
    auto t = term(in_scan, "", {"DiffNameSpace"});
    expect(single(with(pod("p", kPodLabel2), {{t}}), {pod("e", kPodLabel, "machine1", "ns")}),
           Code::unschedulable_unresolvable, kAffRules);
  }
  SECTION("Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod") {
    expect(single(with(pod("p", kPodLabel), {{term(in_antivirus, "")}}), {existing}),
           Code::unschedulable_unresolvable, kAffRules);
  }
  SECTION("satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution") {
    auto t1 = term(expr({{"service", "Exists", {}}, {"wrongkey", "DoesNotExist", {}}}), "region");
    auto t2 = term(expr({{"service", "In", {"securityscan"}}, {"service", "NotIn", {"WrongValue"}}}), "region");
    CHECK(single(with(pod("p", kPodLabel2), {{t1, t2}}), {existing}).ok());
  }
  SECTION("The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because one of the matchExpression item don't match.") {
    auto t1 = term(expr({{"service", "Exists", {}}, {"wrongkey", "DoesNotExist", {}}}), "region");
    auto t2 = term(expr({{"service", "In", {"securityscan2"}}, {"service", "NotIn", {"WrongValue"}}}), "region");
    expect(single(with(pod("p", kPodLabel2), {{t1, t2}}), {existing}),
           Code::unschedulable_unresolvable, kAffRules);
  }
  SECTION("satisfies the PodAffinity and PodAntiAffinity with the existing pod") {
    CHECK(single(with(pod("p", kPodLabel2), {{term(in_scan, "region")}, {term(in_antivirus, "node")}}),
                 {existing})
              .ok());
  }
  SECTION("satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod") {
    auto sym = with(pod("e", kPodLabel, "machine1"), {{}, {term(in_antivirus, "node")}});
    CHECK(single(with(pod("p", kPodLabel2), {{term(in_scan, "region")}, {term(in_antivirus, "node")}}),
                 {sym})
              .ok());
  }
  SECTION("satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod") {
    expect(single(with(pod("p", kPodLabel2), {{term(in_scan, "region")}, {term(in_scan, "zone")}}),
                  {existing}),
           Code::unschedulable, kAntiRules);
  }
  SECTION("satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod") {
    auto sym = with(pod("e", kPodLabel, "machine1"), {{}, {term(in_scan, "zone")}});
    expect(single(with(pod("p", kPodLabel), {{term(in_scan, "region")}, {term(in_antivirus, "node")}}),
                  {sym}),
           Code::unschedulable, kExistingAnti);
  }
  SECTION("pod matches its own Label in PodAffinity and that matches the existing pod Labels") {
    auto t = term(expr({{"service", "NotIn", {"securityscan", "value2"}}}), "region");
    expect(single(with(pod("p", kPodLabel), {{t}}), {pod("e", kPodLabel, "machine2")}),
           Code::unschedulable_unresolvable, kAffRules);
  }
  SECTION("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod") {
    auto sym = with(pod("e", kPodLabel, "machine1"), {{}, {term(in_scan, "zone")}});
    expect(single(pod("p", kPodLabel), {sym}), Code::unschedulable, kExistingAnti);
  }
  SECTION("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod") {
    auto t = term(expr({{"service", "NotIn", {"securityscan", "value2"}}}), "zone");
    auto sym = with(pod("e", kPodLabel, "machine1"), {{}, {t}});
    CHECK(single(pod("p", kPodLabel), {sym}).ok());
  }
}

TEST_CASE("InterPodAffinity filter: several nodes, the first pod of a group, namespaces",
          "[scheduler][affinity]") {
  std::vector<api::Node> nodes = {node("machine1", {{"region", "r1"}, {"zone", "z11"}}),
                                  node("machine2", {{"region", "r1"}, {"zone", "z12"}}),
                                  node("machine3", {{"region", "r2"}, {"zone", "z21"}}),
                                  node("machine4", {{"zone", "z31"}})};
  auto plugin = make_inter_pod_affinity({});
  SECTION("upstream: A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has an existing pod that matches the affinity rules") {
    Cluster c(nodes, {pod("e", {{"foo", "bar"}}, "machine1")});
    auto p = with(pod("p"), {{term(in("foo", {"bar"}), "region")}});
    CHECK(codes(run_filter(*plugin, c, p)) ==
          std::map<std::string, Code>{{"machine1", Code::success},
                                      {"machine2", Code::success},
                                      {"machine3", Code::unschedulable_unresolvable},
                                      {"machine4", Code::unschedulable_unresolvable}});
  }
  SECTION("upstream: The first pod of the collection should not be blocked (it matches its own affinity term)") {
    Cluster c(nodes, {});
    auto p = with(pod("p", {{"foo", "bar"}}), {{term(in("foo", {"bar"}), "region")}});
    // No pod matches yet: any node with the topology key will do.
    CHECK(codes(run_filter(*plugin, c, p)) ==
          std::map<std::string, Code>{{"machine1", Code::success},
                                      {"machine2", Code::success},
                                      {"machine3", Code::success},
                                      {"machine4", Code::unschedulable_unresolvable}});
  }
  SECTION("required anti-affinity on a zone keeps the pod out of the whole zone") {
    Cluster c(nodes, {pod("e", {{"foo", "bar"}}, "machine1")});
    auto p = with(pod("p", {{"foo", "bar"}}), {{}, {term(in("foo", {"bar"}), "region")}});
    CHECK(codes(run_filter(*plugin, c, p)) ==
          std::map<std::string, Code>{{"machine1", Code::unschedulable},
                                      {"machine2", Code::unschedulable},
                                      {"machine3", Code::success},
                                      {"machine4", Code::success}});
  }
  SECTION("namespaceSelector selects the namespaces whose labels match; empty terms mean the pod's own") {
    Cluster c(nodes,
              {pod("e1", {{"foo", "bar"}}, "machine1", "subteam1.team1"),
               pod("e2", {{"foo", "bar"}}, "machine3", "subteam1.team2")},
              {{"subteam1.team1", {{"team", "team1"}}}, {"subteam1.team2", {{"team", "team2"}}}});
    auto team2 = with(pod("p", {}, "", "other"),
                      {{term(in("foo", {"bar"}), "region", {}, in("team", {"team2"}))}});
    auto rs = codes(run_filter(*plugin, c, team2));
    CHECK(rs["machine3"] == Code::success);
    CHECK(rs["machine1"] == Code::unschedulable_unresolvable);
    // The pod's own namespace ("other") holds no matching pod, and the pod does not match itself.
    auto own = with(pod("p", {}, "", "other"), {{term(in("foo", {"bar"}), "region")}});
    auto rs2 = codes(run_filter(*plugin, c, own));
    CHECK(rs2["machine1"] == Code::unschedulable_unresolvable);
    CHECK(rs2["machine3"] == Code::unschedulable_unresolvable);
    // `{}` selects every namespace.
    auto all = with(pod("p", {}, "", "other"), {{term(in("foo", {"bar"}), "zone", {}, api::LabelSelector{})}});
    auto rs3 = codes(run_filter(*plugin, c, all));
    CHECK(rs3["machine1"] == Code::success);
    CHECK(rs3["machine3"] == Code::success);
    CHECK(rs3["machine2"] == Code::unschedulable_unresolvable);
  }
  SECTION("mismatchLabelKeys: only pods with another value of the key repel") {
    Cluster c(nodes, {pod("e1", {{"app", "db"}, {"tenant", "a"}}, "machine1"),
                      pod("e2", {{"app", "db"}, {"tenant", "b"}}, "machine3")});
    auto t = term(in("app", {"db"}), "region");
    t.mismatch_label_keys = {"tenant"};
    auto p = with(pod("p", {{"app", "db"}, {"tenant", "a"}}), {{}, {t}});
    auto rs = codes(run_filter(*plugin, c, p));
    CHECK(rs["machine1"] == Code::success);        // same tenant: no conflict
    CHECK(rs["machine3"] == Code::unschedulable);  // tenant b lives in r2
  }
}

namespace {

const Labels kRgChina = {{"region", "China"}};
const Labels kRgIndia = {{"region", "India"}};
const Labels kAzAz1 = {{"az", "az1"}};
const Labels kAzAz2 = {{"az", "az2"}};
const Labels kRgChinaAzAz1 = {{"region", "China"}, {"az", "az1"}};
const Labels kS1 = {{"security", "S1"}};
const Labels kS2 = {{"security", "S2"}};

Terms stay_with_s1_in_region() { return {{}, {}, {weighted(5, term(in("security", {"S1"}), "region"))}, {}}; }
Terms stay_with_s2_in_region() { return {{}, {}, {weighted(6, term(in("security", {"S2"}), "region"))}, {}}; }
Terms affinity3() {
  return {{}, {},
          {weighted(8, term(expr({{"security", "NotIn", {"S1"}}, {"security", "In", {"S2"}}}), "region")),
           weighted(2, term(expr({{"security", "Exists", {}}, {"wrongkey", "DoesNotExist", {}}}), "region"))},
          {}};
}
Terms hard_affinity() {
  return {{term(in("security", {"S1", "value2"}), "region"),
           term(expr({{"security", "Exists", {}}, {"wrongkey", "DoesNotExist", {}}}), "region")},
          {}, {}, {}};
}
Terms away_from_s1_in_az() { return {{}, {}, {}, {weighted(5, term(in("security", {"S1"}), "az"))}}; }
Terms away_from_s2_in_az() { return {{}, {}, {}, {weighted(5, term(in("security", {"S2"}), "az"))}}; }
Terms stay_with_s1_in_region_away_from_s2_in_az() {
  return {{}, {}, {weighted(8, term(in("security", {"S1"}), "region"))},
          {weighted(5, term(in("security", {"S2"}), "az"))}};
}
Terms affinity_namespace_selector() {
  return {{}, {},
          {weighted(5, term(in("security", {"S1"}), "region", {"subteam2.team2"}, in("team", {"team1"})))},
          {}};
}
Terms anti_affinity_namespace_selector() {
  return {{}, {}, {},
          {weighted(5, term(in("security", {"S1"}), "region", {"subteam2.team2"}, in("team", {"team1"})))}};
}

const std::map<std::string, Labels> kNamespaces = {{"subteam1.team1", {{"team", "team1"}}},
                                                    {"subteam2.team1", {{"team", "team1"}}},
                                                    {"subteam1.team2", {{"team", "team2"}}},
                                                    {"subteam2.team2", {{"team", "team2"}}}};

std::vector<int64_t> scores(const std::vector<api::Node>& nodes, const std::vector<api::Pod>& pods,
                            const api::Pod& p, scheduler::plugins::InterPodAffinityArgs args = {}) {
  Cluster c(nodes, pods, kNamespaces);
  std::vector<std::string> names;
  for (auto& n : nodes) names.push_back(n.metadata.name);
  auto plugin = make_inter_pod_affinity(args);
  return run_score(*plugin, c, p, names);
}

}  // namespace

TEST_CASE("InterPodAffinity score: upstream TestPreferredAffinity", "[scheduler][affinity]") {
  auto n = [](const char* name, const Labels& l) { return node(name, l); };
  SECTION("all nodes are same priority as Affinity is nil") {
    CHECK(scores({n("node1", kRgChina), n("node2", kRgIndia), n("node3", kAzAz1)}, {}, pod("p", kS1)) ==
          std::vector<int64_t>{0, 0, 0});
  }
  SECTION("Affinity: pod that matches topology key & pods in nodes will get high score comparing to others which doesn't match either pods in nodes or in topology key") {
    CHECK(scores({n("node1", kRgChina), n("node2", kRgIndia), n("node3", kAzAz1)},
                 {pod("e1", kS1, "node1"), pod("e2", kS2, "node2"), pod("e3", kS1, "node3")},
                 with(pod("p", kS1), stay_with_s1_in_region())) == std::vector<int64_t>{100, 0, 0});
  }
  SECTION("All the nodes that have the same topology key & label value with one of them has an existing pod that match the affinity rules, have the same score") {
    CHECK(scores({n("node1", kRgChina), n("node2", kRgChinaAzAz1), n("node3", kRgIndia)},
                 {pod("e1", kS1, "node1")}, with(pod("p"), stay_with_s1_in_region())) ==
          std::vector<int64_t>{100, 100, 0});
  }
  SECTION("Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more matches will get high score") {
    CHECK(scores({n("node1", kRgChina), n("node2", kRgIndia), n("node3", kRgChina), n("node4", kRgChina),
                  n("node5", kRgIndia)},
                 {pod("e1", kS2, "node1"), pod("e2", kS2, "node1"), pod("e3", kS2, "node2"),
                  pod("e4", kS2, "node3"), pod("e5", kS2, "node4"), pod("e6", kS2, "node5")},
                 with(pod("p", kS1), stay_with_s2_in_region())) == std::vector<int64_t>{100, 0, 100, 100, 0});
  }
  SECTION("Affinity: different Label operators and values for pod affinity scheduling preference, including some match failures") {
    CHECK(scores({n("node1", kRgChina), n("node2", kRgIndia), n("node3", kAzAz1)},
                 {pod("e1", kS1, "node1"), pod("e2", kS2, "node2"), pod("e3", kS1, "node3")},
                 with(pod("p", kS1), affinity3())) == std::vector<int64_t>{20, 100, 0});
  }
  SECTION("Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry") {
    CHECK(scores({n("node1", kRgChina), n("node2", kRgIndia), n("node3", kAzAz1)},
                 {with(pod("e1", kS1, "node1"), stay_with_s1_in_region()),
                  with(pod("e2", kS2, "node2"), stay_with_s2_in_region())},
                 pod("p", kS2)) == std::vector<int64_t>{0, 100, 0});
  }
  SECTION("Affinity symmetry with namespace selector") {
    CHECK(scores({n("node1", kRgChina), n("node2", kRgIndia), n("node3", kAzAz1)},
                 {with(pod("e1", kS1, "node1"), affinity_namespace_selector()),
                  with(pod("e2", kS2, "node2"), stay_with_s2_in_region())},
                 pod("p", kS1, "", "subteam1.team1")) == std::vector<int64_t>{100, 0, 0});
  }
  SECTION("AntiAffinity symmetry with namespace selector") {
    CHECK(scores({n("node1", kRgChina), n("node2", kRgIndia), n("node3", kAzAz1)},
                 {with(pod("e1", kS1, "node1"), anti_affinity_namespace_selector()),
                  with(pod("e2", kS2, "node2"), stay_with_s2_in_region())},
                 pod("p", kS1, "", "subteam1.team1")) == std::vector<int64_t>{0, 100, 100});
  }
  SECTION("Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry") {
    CHECK(scores({n("node1", kRgChina), n("node2", kRgIndia), n("node3", kAzAz1)},
                 {with(pod("e1", kS1, "node1"), hard_affinity()),
                  with(pod("e2", kS2, "node2"), hard_affinity())},
                 pod("p", kS1)) == std::vector<int64_t>{100, 100, 0});
  }
  SECTION("Anti Affinity: pod that does not match existing pods in node will get high score") {
    CHECK(scores({n("node1", kAzAz1), n("node2", kRgChina)},
                 {pod("e1", kS1, "node1"), pod("e2", kS2, "node2")},
                 with(pod("p", kS1), away_from_s1_in_az())) == std::vector<int64_t>{0, 100});
  }
  SECTION("Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches will get high score") {
    CHECK(scores({n("node1", kAzAz1), n("node2", kRgIndia)},
                 {pod("e1", kS1, "node1"), pod("e2", kS1, "node1"), pod("e3", kS2, "node2")},
                 with(pod("p", kS1), away_from_s1_in_az())) == std::vector<int64_t>{0, 100});
  }
  SECTION("Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score") {
    CHECK(scores({n("node1", kAzAz1), n("node2", kAzAz2)},
                 {with(pod("e1", kS1, "node1"), away_from_s2_in_az()),
                  with(pod("e2", kS2, "node2"), away_from_s1_in_az())},
                 pod("p", kS2)) == std::vector<int64_t>{0, 100});
  }
  SECTION("Affinity and Anti Affinity: considering both affinity and anti-affinity, the pod to schedule and existing pods have the same labels") {
    CHECK(scores({n("node1", kRgChinaAzAz1), n("node2", kRgIndia), n("node3", kRgChina), n("node4", kRgChina),
                  n("node5", kRgIndia)},
                 {pod("e1", kS1, "node1"), pod("e2", kS1, "node1"), pod("e3", kS1, "node2"),
                  pod("e4", kS1, "node3"), pod("e5", kS1, "node3"), pod("e6", kS1, "node4"),
                  pod("e7", kS1, "node5")},
                 with(pod("p", kS1), stay_with_s1_in_region_away_from_s2_in_az())) ==
          std::vector<int64_t>{100, 0, 100, 100, 0});
  }
  SECTION("Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity & symmetry") {
    CHECK(scores({n("node1", kRgChina), n("node2", kAzAz1), n("node3", kRgIndia), n("node4", kAzAz2)},
                 {pod("e1", kS1, "node1"), pod("e2", kS2, "node2"),
                  with(pod("e3", {}, "node3"), stay_with_s1_in_region_away_from_s2_in_az()),
                  with(pod("e4", {}, "node4"), away_from_s1_in_az())},
                 with(pod("p", kS1), stay_with_s1_in_region_away_from_s2_in_az())) ==
          std::vector<int64_t>{100, 0, 100, 0});
  }
  SECTION("Avoid panic when partial nodes in a topology don't have pods with affinity") {
    CHECK(scores({n("node1", kRgChina), n("node2", kRgChina)},
                 {pod("e1", kS1, "node1"), with(pod("e2", {}, "node2"), stay_with_s1_in_region_away_from_s2_in_az())},
                 pod("p", kS1)) == std::vector<int64_t>{0, 0});
  }
  SECTION("hardPodAffinityWeight 0 leaves existing pods' required affinity out of the score") {
    CHECK(scores({n("node1", kRgChina), n("node2", kRgIndia), n("node3", kAzAz1)},
                 {with(pod("e1", kS1, "node1"), hard_affinity()),
                  with(pod("e2", kS2, "node2"), hard_affinity())},
                 pod("p", kS1), {0, false}) == std::vector<int64_t>{0, 0, 0});
  }
}

TEST_CASE("InterPodAffinityArgs: defaults and upstream's validation message", "[scheduler][affinity]") {
  using scheduler::plugins::parse_inter_pod_affinity_args;
  auto d = parse_inter_pod_affinity_args(nlohmann::json::object());
  REQUIRE(d);
  CHECK(d->hard_pod_affinity_weight == 1);
  auto w = parse_inter_pod_affinity_args(nlohmann::json{{"hardPodAffinityWeight", 100}});
  REQUIRE(w);
  CHECK(w->hard_pod_affinity_weight == 100);
  auto bad = parse_inter_pod_affinity_args(nlohmann::json{{"hardPodAffinityWeight", 110}});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "hardPodAffinityWeight: Invalid value: 110: not in valid range [0-100]");
  auto neg = parse_inter_pod_affinity_args(nlohmann::json{{"hardPodAffinityWeight", -1}});
  REQUIRE_FALSE(neg);
  CHECK(neg.error().message == "hardPodAffinityWeight: Invalid value: -1: not in valid range [0-100]");
}

TEST_CASE("PodInfo compiles affinity terms only for pods that have them", "[scheduler][affinity]") {
  using scheduler::PodInfo;
  const auto plain = PodInfo::make(std::make_shared<const api::Pod>(pod("plain", kPodLabel)));
  CHECK_FALSE(plain->has_affinity);
  CHECK(plain->compiled_affinity == nullptr);
  CHECK(plain->affinity_terms().required_anti_affinity.empty());
  CHECK(plain->affinity_terms().preferred_affinity.empty());

  api::LabelSelector same_service;
  same_service.match_labels = kPodLabel;
  const auto anti = PodInfo::make(std::make_shared<const api::Pod>(
      with(pod("anti", kPodLabel), {.anti = {term(same_service, "zone")},
                                    .preferred = {weighted(5, term(same_service, "region"))}})));
  CHECK(anti->has_affinity);
  CHECK(anti->has_required_anti_affinity);
  REQUIRE(anti->compiled_affinity != nullptr);
  REQUIRE(anti->affinity_terms().required_anti_affinity.size() == 1);
  CHECK(anti->affinity_terms().required_anti_affinity[0].topology_key == "zone");
  REQUIRE(anti->affinity_terms().preferred_affinity.size() == 1);
  CHECK(anti->affinity_terms().preferred_affinity[0].weight == 5);
  CHECK(anti->affinity_terms().required_affinity.empty());
}
