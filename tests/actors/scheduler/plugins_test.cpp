// Scheduler plugins: filters and score formulas on hand-computed cases.
#include <catch2/catch.hpp>

#include "actors/scheduler/framework.hpp"
#include "actors/scheduler/plugins/plugins.hpp"
#include "actors/scheduler/plugins/resource_scores.hpp"
#include "tests/actors/scheduler/fixture.hpp"

using namespace kactor;
using namespace kactor::scheduler;
using namespace kactor::testing;

namespace {

template <class P>
P* plugin_as(const std::shared_ptr<Plugin>& p) {
  auto* x = dynamic_cast<P*>(p.get());
  REQUIRE(x != nullptr);
  return x;
}

CycleState state_for(const api::Pod& pod) {
  CycleState s;
  s.pod = compute_pod_resources(pod);
  return s;
}

}  // namespace

TEST_CASE("pod requests: containers summed, init containers as a max, overhead added",
          "[scheduler][plugins]") {
  auto pod = make_request_pod("p", "500m", "1Gi");
  api::Container second;
  second.name = "b";
  second.resources.requests["cpu"] = qty("250m");  // no memory: non-zero counts 200Mi
  pod.spec.containers.push_back(second);
  api::Container init;
  init.name = "init";
  init.resources.requests["cpu"] = qty("1");
  pod.spec.init_containers.push_back(init);
  pod.spec.overhead["cpu"] = qty("100m");
  auto r = compute_pod_resources(pod);
  CHECK(r.request.milli_cpu == 1100);  // max(750, 1000) + 100
  CHECK(r.request.memory == 1024LL * 1024 * 1024);
  CHECK(r.non_zero.memory == 1024LL * 1024 * 1024 + kDefaultMemoryRequest);
  auto empty = compute_pod_resources(make_request_pod("e", nullptr, nullptr));
  CHECK(empty.request.milli_cpu == 0);
  CHECK(empty.non_zero.milli_cpu == kDefaultMilliCpuRequest);
  CHECK(empty.non_zero.memory == kDefaultMemoryRequest);
}

TEST_CASE("NodeResourcesFit filters with upstream reasons", "[scheduler][plugins]") {
  auto fit = plugins::make_node_resources_fit();
  auto* f = plugin_as<FilterPlugin>(fit);
  auto node = make_node("n", "2", "1Gi", "2");
  auto info = make_info(node, {make_request_pod("a", "1500m", "512Mi")});

  auto small = make_request_pod("s", "500m", "512Mi");
  CHECK(f->filter(state_for(small), small, *info).ok());
  auto big = make_request_pod("b", "600m", "600Mi");
  auto r = f->filter(state_for(big), big, *info);
  CHECK(r.code == PluginResult::Code::unschedulable);
  CHECK(r.reasons == std::vector<std::string>{"Insufficient cpu", "Insufficient memory"});

  info->add_pod(PodInfo::make(std::make_shared<const api::Pod>(make_request_pod("c", nullptr, nullptr))));
  auto none = make_request_pod("z", nullptr, nullptr);
  CHECK(f->filter(state_for(none), none, *info).reasons ==
        std::vector<std::string>{"Too many pods"});
}

TEST_CASE("LeastAllocated and BalancedAllocation scores", "[scheduler][plugins]") {
  // Hand-computed: cpu (4000-3000)*100/4000 = 25, memory (10000-5000)*100/10000 = 50.
  CHECK(plugins::least_allocated(3000, 4000) == 25);
  CHECK(plugins::least_allocated(5000, 10000) == 50);
  CHECK(plugins::least_allocated(5000, 4000) == 0);
  CHECK(plugins::least_allocated(1, 0) == 0);
  // Fractions 0.75 and 0.5: std 0.125, score trunc(87.5) = 87.
  CHECK(plugins::balanced_allocation({{3000, 4000}, {5000, 10000}}) == 87);
  CHECK(plugins::balanced_allocation({{3000, 4000}, {4000, 0}}) == 100);  // one resource left
  // Three resources: fractions 0.2, 0.4, 0.6 -> population std sqrt(0.08/3) = 0.1633 -> 83.
  CHECK(plugins::balanced_allocation({{2, 10}, {4, 10}, {6, 10}}) == 83);

  auto fit = plugins::make_node_resources_fit();
  auto bal = plugins::make_balanced_allocation();
  auto node = make_node("n", "4", "10000");
  auto info = make_info(node);
  auto pod = make_request_pod("p", "3", "5000");
  auto st = state_for(pod);
  CHECK(plugin_as<ScorePlugin>(fit)->score(st, pod, *info) == 37);  // (25 + 50) / 2
  CHECK(plugin_as<ScorePlugin>(bal)->score(st, pod, *info) == 87);

  // A pod without requests counts 100m and 200Mi: on 1 cpu / 1Gi, cpu 90, memory
  // (1024-200)*100/1024 = 80, average 85.
  auto node2 = make_info(make_node("m", "1", "1Gi"));
  auto empty = make_request_pod("e", nullptr, nullptr);
  CHECK(plugin_as<ScorePlugin>(fit)->score(state_for(empty), empty, *node2) == 85);
}

TEST_CASE("TaintToleration filters and reverse-normalizes PreferNoSchedule counts",
          "[scheduler][plugins]") {
  auto tt = plugins::make_taint_toleration();
  auto* f = plugin_as<FilterPlugin>(tt);
  auto* s = plugin_as<ScorePlugin>(tt);
  auto tainted = make_node("t", "1", "1Gi");
  tainted.spec.taints.push_back({"dedicated", "gpu", "NoSchedule", std::nullopt});
  auto pod = make_request_pod("p", nullptr, nullptr);
  auto r = f->filter(state_for(pod), pod, *make_info(tainted));
  CHECK(r.code == PluginResult::Code::unschedulable_unresolvable);
  CHECK(r.reasons == std::vector<std::string>{"node(s) had untolerated taint {dedicated: gpu}"});
  pod.spec.tolerations.push_back({"dedicated", "Equal", "gpu", "NoSchedule", std::nullopt});
  CHECK(f->filter(state_for(pod), pod, *make_info(tainted)).ok());
  api::Pod any = make_request_pod("q", nullptr, nullptr);
  any.spec.tolerations.push_back({"", "Exists", "", "", std::nullopt});
  CHECK(f->filter(state_for(any), any, *make_info(tainted)).ok());

  // 0, 1 and 2 untolerated PreferNoSchedule taints -> raw 0,1,2 -> 100, 50, 0.
  auto n0 = make_node("a", "1", "1Gi");
  auto n1 = n0, n2 = n0;
  n1.spec.taints.push_back({"x", "1", "PreferNoSchedule", std::nullopt});
  n2.spec.taints = {{"x", "1", "PreferNoSchedule", std::nullopt},
                    {"y", "2", "PreferNoSchedule", std::nullopt},
                    {"z", "3", "PreferNoSchedule", std::nullopt}};
  auto p = make_request_pod("p", nullptr, nullptr);
  p.spec.tolerations.push_back({"z", "Exists", "", "PreferNoSchedule", std::nullopt});
  p.spec.tolerations.push_back({"y", "Exists", "", "NoSchedule", std::nullopt});  // other effect
  auto st = state_for(p);
  std::vector<int64_t> scores{s->score(st, p, *make_info(n0)), s->score(st, p, *make_info(n1)),
                              s->score(st, p, *make_info(n2))};
  CHECK(scores == std::vector<int64_t>{0, 1, 2});
  s->normalize(st, p, scores);
  CHECK(scores == std::vector<int64_t>{100, 50, 0});
  std::vector<int64_t> zeros{0, 0};
  default_normalize(zeros, true);
  CHECK(zeros == std::vector<int64_t>{100, 100});
}

TEST_CASE("NodeAffinity: nodeSelector, required terms and normalized preferred weights",
          "[scheduler][plugins]") {
  auto na = plugins::make_node_affinity();
  auto* f = plugin_as<FilterPlugin>(na);
  auto* s = plugin_as<ScorePlugin>(na);
  auto a = make_node("a", "1", "1Gi");
  a.metadata.labels = {{"zone", "a"}};
  auto b = make_node("b", "1", "1Gi");
  b.metadata.labels = {{"zone", "b"}, {"disk", "ssd"}, {"cores", "16"}};
  auto c = make_node("c", "1", "1Gi");

  auto pod = make_request_pod("p", nullptr, nullptr);
  pod.spec.node_selector = {{"disk", "ssd"}};
  CHECK(f->filter(state_for(pod), pod, *make_info(b)).ok());
  auto r = f->filter(state_for(pod), pod, *make_info(a));
  CHECK(r.reasons == std::vector<std::string>{"node(s) didn't match Pod's node affinity/selector"});

  auto req = make_request_pod("r", nullptr, nullptr);
  api::NodeSelectorTerm t1, t2;
  t1.match_expressions.push_back({"zone", "In", {"a"}});
  t2.match_expressions.push_back({"cores", "Gt", {"8"}});
  req.spec.affinity.emplace()
      .node_affinity.emplace()
      .required_during_scheduling_ignored_during_execution = api::NodeSelector{{t1, t2}};
  CHECK(f->filter(state_for(req), req, *make_info(a)).ok());  // term 1
  CHECK(f->filter(state_for(req), req, *make_info(b)).ok());  // term 2
  CHECK_FALSE(f->filter(state_for(req), req, *make_info(c)).ok());

  // Preferred: zone=a weight 2, disk=ssd weight 6, zone=b weight 2 -> raw 2, 8, 0 -> 25, 100, 0.
  auto pref = make_request_pod("q", nullptr, nullptr);
  auto& terms = pref.spec.affinity.emplace()
                    .node_affinity.emplace()
                    .preferred_during_scheduling_ignored_during_execution;
  api::NodeSelectorTerm za, ssd, zb;
  za.match_expressions.push_back({"zone", "In", {"a"}});
  ssd.match_expressions.push_back({"disk", "Exists", {}});
  zb.match_expressions.push_back({"zone", "In", {"b"}});
  terms = {{2, za}, {6, ssd}, {2, zb}};
  auto st = state_for(pref);
  std::vector<int64_t> scores{s->score(st, pref, *make_info(a)), s->score(st, pref, *make_info(b)),
                              s->score(st, pref, *make_info(c))};
  CHECK(scores == std::vector<int64_t>{2, 8, 0});
  s->normalize(st, pref, scores);
  CHECK(scores == std::vector<int64_t>{25, 100, 0});
}

TEST_CASE("NodePorts, NodeName and NodeUnschedulable filters", "[scheduler][plugins]") {
  auto node = make_node("n", "1", "1Gi");
  auto holder = make_request_pod("h", nullptr, nullptr);
  holder.spec.containers[0].ports.push_back({"http", 8080, 80, "TCP", ""});
  auto info = make_info(node, {holder});
  auto ports = plugins::make_node_ports();
  auto want = make_request_pod("w", nullptr, nullptr);
  want.spec.containers[0].ports.push_back({"http", 8080, 80, "", "10.0.0.1"});
  CHECK_FALSE(plugin_as<FilterPlugin>(ports)->filter(state_for(want), want, *info).ok());
  want.spec.containers[0].ports[0].protocol = "UDP";
  CHECK(plugin_as<FilterPlugin>(ports)->filter(state_for(want), want, *info).ok());

  auto nn = plugins::make_node_name();
  auto named = make_request_pod("x", nullptr, nullptr);
  named.spec.node_name = "other";
  CHECK_FALSE(plugin_as<FilterPlugin>(nn)->filter(state_for(named), named, *info).ok());

  auto cordoned = node;
  cordoned.spec.unschedulable = true;
  auto nu = plugins::make_node_unschedulable();
  auto pod = make_request_pod("p", nullptr, nullptr);
  CHECK(plugin_as<FilterPlugin>(nu)->filter(state_for(pod), pod, *make_info(cordoned)).reasons ==
        std::vector<std::string>{"node(s) were unschedulable"});
  pod.spec.tolerations.push_back(
      {"node.kubernetes.io/unschedulable", "Exists", "", "NoSchedule", std::nullopt});
  CHECK(plugin_as<FilterPlugin>(nu)->filter(state_for(pod), pod, *make_info(cordoned)).ok());
}
