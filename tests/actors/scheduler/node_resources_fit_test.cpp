// NodeResourcesFit: the scoring strategies and the filter against upstream's own tables
// (pkg/scheduler/framework/plugins/noderesources/{least_allocated,most_allocated,
// requested_to_capacity_ratio,fit}_test.go; each case names the upstream one).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "actors/scheduler/plugins/node_resources_fit.hpp"
#include "tests/actors/scheduler/score_table.hpp"

using namespace kactor;
using namespace kactor::scheduler;
using namespace kactor::scheduler::plugins;
using namespace kactor::testing;

namespace {

struct ScoreCase {
  const char* upstream_name;
  api::Pod pod;
  std::vector<api::Node> nodes;
  std::vector<api::Pod> existing;
  std::vector<int64_t> want;
  std::vector<ResourceSpec> resources = default_resource_specs();
};

void check_cases(ScoringStrategyType type, const std::vector<ScoreCase>& cases,
                 std::vector<UtilizationShapePoint> shape = {{0, 10}, {100, 0}}) {
  for (auto& c : cases) {
    INFO(c.upstream_name);
    NodeResourcesFitArgs args;
    args.scoring_strategy.type = type;
    args.scoring_strategy.resources = c.resources;
    args.scoring_strategy.shape = shape;
    REQUIRE(validate_node_resources_fit_args(args).has_value());
    CHECK(table_scores(make_node_resources_fit(args), c.pod, c.nodes, c.existing) == c.want);
  }
}

const std::string kExt = "abc.com/xyz";  // upstream extendedRes

api::Node n4k(const std::string& name) { return table_node(name, {{"cpu", "4000"}, {"memory", "10000"}}); }

}  // namespace

TEST_CASE("LeastAllocated scores as upstream's table", "[scheduler][plugins][noderesources]") {
  auto two = table_pod({{{"cpu", "1000"}, {"memory", "2000"}}, {{"cpu", "2000"}, {"memory", "3000"}}});
  auto big = [](const std::string& name, const char* mem = "20000") {
    return table_node(name, {{"cpu", "10000"}, {"memory", mem}});
  };
  std::vector<ScoreCase> cases = {
      {"nothing scheduled, nothing requested", table_pod({}), {n4k("node1"), n4k("node2")}, {}, {100, 100}},
      {"nothing scheduled, resources requested, differently sized nodes", two,
       {n4k("node1"), table_node("node2", {{"cpu", "6000"}, {"memory", "10000"}})}, {}, {37, 50}},
      {"no resources requested, pods scheduled", table_pod({}), {n4k("node1"), n4k("node2")},
       {table_pod({}, "node1"), table_pod({}, "node1"), table_pod({}, "node2"), table_pod({}, "node2")},
       {100, 100}},
      {"no resources requested, pods scheduled with resources", table_pod({}), {big("node1"), big("node2")},
       {table_pod({{{"cpu", "3000"}, {"memory", "0"}}}, "node1"),
        table_pod({{{"cpu", "3000"}, {"memory", "0"}}}, "node1"),
        table_pod({{{"cpu", "3000"}, {"memory", "0"}}}, "node2"),
        table_pod({{{"cpu", "3000"}, {"memory", "5000"}}}, "node2")},
       {70, 57}},
      {"resources requested, pods scheduled with resources", two, {big("node1"), big("node2")},
       {table_pod({{{"cpu", "3000"}, {"memory", "0"}}}, "node1"),
        table_pod({{{"cpu", "3000"}, {"memory", "5000"}}}, "node2")},
       {57, 45}},
      {"resources requested, pods scheduled with resources, differently sized nodes", two,
       {big("node1"), big("node2", "50000")},
       {table_pod({{{"cpu", "3000"}, {"memory", "0"}}}, "node1"),
        table_pod({{{"cpu", "3000"}, {"memory", "5000"}}}, "node2")},
       {57, 60}},
      {"requested resources exceed node capacity", table_pod({{{"cpu", "3000"}, {"memory", "0"}}}),
       {n4k("node1"), n4k("node2")},
       {table_pod({{{"cpu", "3000"}, {"memory", "0"}}}, "node1"),
        table_pod({{{"cpu", "3000"}, {"memory", "5000"}}}, "node2")},
       {50, 25}},
      {"zero node resources, pods scheduled with resources", table_pod({}),
       {table_node("node1", {}), table_node("node2", {})},
       {table_pod({{{"cpu", "3000"}, {"memory", "0"}}}, "node1"),
        table_pod({{{"cpu", "3000"}, {"memory", "5000"}}}, "node2")},
       {0, 0}},
      {"nothing scheduled, resources requested with different weight on CPU and memory, "
       "differently sized nodes",
       two, {n4k("node1"), table_node("node2", {{"cpu", "6000"}, {"memory", "10000"}})}, {}, {41, 50},
       {{"memory", 2}, {"cpu", 1}}},
      {"bypass extended resource if the pod does not request", two,
       {table_node("node1", {{"cpu", "6000"}, {"memory", "10000"}}),
        table_node("node2", {{"cpu", "6000"}, {"memory", "10000"}, {kExt, "4"}})},
       {}, {50, 50}, {{"cpu", 1}, {"memory", 1}, {kExt, 1}}},
      {"honor extended resource if the pod requests",
       table_pod({{{"cpu", "3000"}, {"memory", "5000"}, {kExt, "2"}}}),
       {table_node("node1", {{"cpu", "6000"}, {"memory", "10000"}, {kExt, "4"}}),
        table_node("node2", {{"cpu", "6000"}, {"memory", "10000"}, {kExt, "10"}})},
       {}, {50, 60}, {{"cpu", 1}, {"memory", 1}, {kExt, 1}}},
      {"if the node doesn't have a resource", table_pod({{{"cpu", "3000"}, {"memory", "4000"}}}),
       {table_node("node1", {{"cpu", "6000"}, {"memory", "10000"}}),
        table_node("node2", {{"cpu", "6000"}, {"memory", "10000"}, {kExt, "4"}})},
       {}, {55, 55}, {{kExt, 2}, {"cpu", 1}, {"memory", 1}}},
  };
  check_cases(ScoringStrategyType::least_allocated, cases);
}

TEST_CASE("MostAllocated scores as upstream's table", "[scheduler][plugins][noderesources]") {
  auto two = table_pod({{{"cpu", "1000"}, {"memory", "2000"}}, {{"cpu", "2000"}, {"memory", "3000"}}});
  auto big = [](const std::string& name) {
    return table_node(name, {{"cpu", "10000"}, {"memory", "20000"}});
  };
  auto n6k = table_node("node2", {{"cpu", "6000"}, {"memory", "10000"}});
  std::vector<ScoreCase> cases = {
      {"nothing scheduled, nothing requested", table_pod({}), {n4k("node1"), n4k("node2")}, {}, {0, 0}},
      {"nothing scheduled, resources requested, differently sized nodes", two, {n4k("node1"), n6k}, {},
       {62, 50}},
      {"no resources requested, pods scheduled with resources", table_pod({}), {big("node1"), big("node2")},
       {table_pod({{{"cpu", "3000"}, {"memory", "0"}}}, "node1"),
        table_pod({{{"cpu", "3000"}, {"memory", "0"}}}, "node1"),
        table_pod({{{"cpu", "3000"}, {"memory", "0"}}}, "node2"),
        table_pod({{{"cpu", "3000"}, {"memory", "5000"}}}, "node2")},
       {30, 42}},
      {"resources requested, pods scheduled with resources", two, {big("node1"), big("node2")},
       {table_pod({{{"cpu", "3000"}, {"memory", "0"}}}, "node1"),
        table_pod({{{"cpu", "3000"}, {"memory", "5000"}}}, "node2")},
       {42, 55}},
      {"resources requested equal node capacity",
       table_pod({{{"cpu", "2000"}, {"memory", "4000"}}, {{"cpu", "3000"}, {"memory", "5000"}}}),
       {table_node("node1", {{"cpu", "5000"}, {"memory", "10000"}}),
        table_node("node2", {{"cpu", "10000"}, {"memory", "9000"}})},
       {}, {95, 75}},
      {"nothing scheduled, resources requested, differently sized nodes (memory weight 2)", two,
       {n4k("node1"), n6k}, {}, {58, 50}, {{"memory", 2}, {"cpu", 1}}},
      // The non-zero defaults: a container without requests counts as 100m / 200Mi.
      {"no resources requested, pods scheduled, nonzero request for resource",
       table_pod({Requests{}}),
       {table_node("node1", {{"cpu", "250m"}, {"memory", "1000Mi"}}),
        table_node("node2", {{"cpu", "250m"}, {"memory", "1000Mi"}})},
       {table_pod({Requests{}}, "node1"), table_pod({Requests{}}, "node1")},
       {80, 30}},
      {"bypass extended resource if the pod does not request", two,
       {table_node("node1", {{"cpu", "6000"}, {"memory", "10000"}}),
        table_node("node2", {{"cpu", "6000"}, {"memory", "10000"}, {kExt, "4"}})},
       {}, {50, 50}, {{"cpu", 1}, {"memory", 1}, {kExt, 1}}},
      {"honor extended resource if the pod request",
       table_pod({{{"cpu", "3000"}, {"memory", "5000"}, {kExt, "2"}}}),
       {table_node("node1", {{"cpu", "6000"}, {"memory", "10000"}, {kExt, "4"}}),
        table_node("node2", {{"cpu", "6000"}, {"memory", "10000"}, {kExt, "10"}})},
       {}, {50, 40}, {{"cpu", 1}, {"memory", 1}, {kExt, 1}}},
      {"if the node doesn't have a resource", table_pod({{{"cpu", "3000"}, {"memory", "4000"}}}),
       {table_node("node1", {{"cpu", "6000"}, {"memory", "10000"}}),
        table_node("node2", {{"cpu", "6000"}, {"memory", "10000"}, {kExt, "4"}})},
       {}, {45, 45}, {{kExt, 2}, {"cpu", 1}, {"memory", 1}}},
  };
  check_cases(ScoringStrategyType::most_allocated, cases);
}

TEST_CASE("scoring strategy resource weights are validated as upstream",
          "[scheduler][plugins][noderesources]") {
  struct Bad {
    const char* upstream_name;
    std::vector<ResourceSpec> resources;
    const char* field;
  };
  for (auto& b : std::vector<Bad>{
           {"resource with negative weight", {{"memory", -1}, {"cpu", 1}}, "scoringStrategy.resources[0].weight"},
           {"resource with zero weight", {{"memory", 1}, {"cpu", 0}}, "scoringStrategy.resources[1].weight"},
           {"resource weight larger than MaxNodeScore", {{"memory", 1}, {"cpu", 101}},
            "scoringStrategy.resources[1].weight"}}) {
    INFO(b.upstream_name);
    NodeResourcesFitArgs args;
    args.scoring_strategy.resources = b.resources;
    auto r = validate_node_resources_fit_args(args);
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(r.error().message, Catch::StartsWith(std::string(b.field) + ": Invalid value:"));
    CHECK_THAT(r.error().message, Catch::Contains("not in valid range [1, 100]"));
  }
}

TEST_CASE("RequestedToCapacityRatio scores as upstream's tables", "[scheduler][plugins][noderesources]") {
  // TestRequestedToCapacityRatioScoringStrategy, shape (0,10),(100,0).
  auto two = table_pod({{{"cpu", "1000"}, {"memory", "2000"}}, {{"cpu", "2000"}, {"memory", "3000"}}});
  auto n6k = table_node("node2", {{"cpu", "6000"}, {"memory", "10000"}});
  check_cases(ScoringStrategyType::requested_to_capacity_ratio,
              {{"nothing scheduled, nothing requested (default - least requested nodes have priority)",
                table_pod({}), {n4k("node1"), n4k("node2")},
                {table_pod({}, "node1"), table_pod({}, "node1")}, {100, 100}},
               {"nothing scheduled, resources requested, differently sized nodes (default - least "
                "requested nodes have priority)",
                two, {n4k("node1"), n6k}, {table_pod({}, "node1"), table_pod({}, "node1")}, {38, 50}},
               {"no resources requested, pods scheduled with resources (default - least requested "
                "nodes have priority)",
                table_pod({}), {n4k("node1"), n6k},
                {table_pod({{{"cpu", "3000"}, {"memory", "5000"}}}, "node1"),
                 table_pod({{{"cpu", "3000"}, {"memory", "5000"}}}, "node2")},
                {38, 50}}});

  // TestResourceBinPackingSingleExtended: intel.com/foo weight 1, shape (0,0),(100,1).
  const std::string foo = "intel.com/foo";
  auto node = [&](const std::string& name, const char* amount) {
    return table_node(name, {{"cpu", "4"}, {"memory", "10000Mi"}, {foo, amount}});
  };
  std::vector<ResourceSpec> only_foo = {{foo, 1}};
  std::vector<UtilizationShapePoint> bin_packing = {{0, 0}, {100, 1}};
  check_cases(ScoringStrategyType::requested_to_capacity_ratio,
              {{"nothing scheduled, nothing requested", table_pod({}), {node("node1", "8"), node("node2", "4")},
                {}, {0, 0}, only_foo},
               {"resources requested, pods scheduled with less resources", table_pod({{{foo, "2"}}}),
                {node("node1", "8"), node("node2", "4")}, {table_pod({})}, {2, 5}, only_foo},
               {"resources requested, pods scheduled with resources, on node with existing pod running",
                table_pod({{{foo, "2"}}}), {node("node1", "8"), node("node2", "4")},
                {table_pod({{{foo, "2"}}}, "node2")}, {2, 10}, only_foo},
               {"resources requested, pods scheduled with more resources", table_pod({{{foo, "4"}}}),
                {node("node1", "8"), node("node2", "4")}, {table_pod({})}, {5, 10}, only_foo}},
              bin_packing);
}

TEST_CASE("the broken linear function interpolates as upstream's TestBrokenLinearFunction",
          "[scheduler][plugins][noderesources]") {
  struct Case {
    std::vector<UtilizationShapePoint> shape;
    std::vector<std::pair<int64_t, int64_t>> points;  // utilization -> expected
  };
  std::vector<Case> cases = {
      {{{10, 1}, {90, 9}},
       {{-10, 1}, {0, 1}, {9, 1}, {10, 1}, {15, 1}, {19, 1}, {20, 2}, {89, 8}, {90, 9}, {99, 9}, {100, 9}, {110, 9}}},
      {{{0, 2}, {40, 10}, {100, 0}},
       {{-10, 2}, {0, 2}, {20, 6}, {30, 8}, {40, 10}, {70, 5}, {100, 0}, {110, 0}}},
      {{{0, 2}, {40, 2}, {100, 2}},
       {{-10, 2}, {0, 2}, {20, 2}, {30, 2}, {40, 2}, {70, 2}, {100, 2}, {110, 2}}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO("case_" << i);
    for (auto [p, want] : cases[i].points) {
      INFO("utilization " << p);
      CHECK(broken_linear(cases[i].shape, p) == want);
    }
  }
}

namespace {

/// upstream fit_test.go's node: cpu 10m, memory 20, pods 32, example.com/aaa 5,
/// ephemeral-storage 20, hugepages-2Mi 5.
scheduler::NodeInfo fit_node(const std::vector<api::Pod>& existing, const char* pods = "32") {
  scheduler::NodeInfo info;
  info.set_node(std::make_shared<const api::Node>(table_node(
      "node", {{"cpu", "10m"}, {"memory", "20"}, {"pods", pods}, {"example.com/aaa", "5"},
               {"ephemeral-storage", "20"}, {"hugepages-2Mi", "5"}})));
  for (auto& p : existing) info.add_pod(PodInfo::make(std::make_shared<const api::Pod>(p)));
  return info;
}

api::Pod with_init(api::Pod pod, const std::vector<Requests>& init) {
  auto inits = table_pod(init).spec.containers;
  pod.spec.init_containers = inits;
  return pod;
}

Requests cm(const char* cpu, const char* mem) { return {{"cpu", cpu}, {"memory", mem}}; }

}  // namespace

TEST_CASE("NodeResourcesFit filters as upstream's TestEnoughRequests", "[scheduler][plugins][noderesources]") {
  struct Case {
    const char* upstream_name;
    api::Pod pod;
    api::Pod existing;
    std::vector<std::string> want;  // reasons; empty: fits
    NodeResourcesFitArgs args = {};
  };
  const std::string aaa = "example.com/aaa", bbb = "example.com/bbb";
  std::vector<Case> cases = {
      {"no resources requested always fits", table_pod({}), table_pod({cm("10m", "20")}), {}},
      {"too many resources fails", table_pod({cm("1m", "1")}), table_pod({cm("10m", "20")}),
       {"Insufficient cpu", "Insufficient memory"}},
      {"too many resources fails due to init container cpu",
       with_init(table_pod({cm("1m", "1")}), {cm("3m", "1")}), table_pod({cm("8m", "19")}),
       {"Insufficient cpu"}},
      {"too many resources fails due to highest init container cpu",
       with_init(table_pod({cm("1m", "1")}), {cm("3m", "1"), cm("2m", "1")}), table_pod({cm("8m", "19")}),
       {"Insufficient cpu"}},
      {"too many resources fails due to init container memory",
       with_init(table_pod({cm("1m", "1")}), {cm("1m", "3")}), table_pod({cm("9m", "19")}),
       {"Insufficient memory"}},
      {"init container fits because it's the max, not sum, of containers and init containers",
       with_init(table_pod({cm("1m", "1")}), {cm("1m", "1")}), table_pod({cm("9m", "19")}), {}},
      {"multiple init containers fit because it's the max, not sum, of containers and init containers",
       with_init(table_pod({cm("1m", "1")}), {cm("1m", "1"), cm("1m", "1")}), table_pod({cm("9m", "19")}), {}},
      {"both resources fit", table_pod({cm("1m", "1")}), table_pod({cm("5m", "5")}), {}},
      {"one resource memory fits", table_pod({cm("2m", "1")}), table_pod({cm("9m", "5")}), {"Insufficient cpu"}},
      {"one resource cpu fits", table_pod({cm("1m", "2")}), table_pod({cm("5m", "19")}), {"Insufficient memory"}},
      {"equal edge case", table_pod({cm("5m", "1")}), table_pod({cm("5m", "19")}), {}},
      {"equal edge case for init container", with_init(table_pod({cm("4m", "1")}), {cm("5m", "1")}),
       table_pod({cm("5m", "19")}), {}},
      {"extended resource fits", table_pod({{{aaa, "1"}}}), table_pod({Requests{}}), {}},
      {"extended resource fits for init container", with_init(table_pod({Requests{}}), {{{aaa, "1"}}}),
       table_pod({Requests{}}), {}},
      {"extended resource capacity enforced", table_pod({{{"cpu", "1m"}, {"memory", "1"}, {aaa, "10"}}}),
       table_pod({{{"cpu", "0"}, {"memory", "0"}, {aaa, "0"}}}), {"Insufficient example.com/aaa"}},
      {"extended resource capacity enforced for init container",
       with_init(table_pod({Requests{}}), {{{"cpu", "1m"}, {"memory", "1"}, {aaa, "10"}}}),
       table_pod({{{"cpu", "0"}, {"memory", "0"}, {aaa, "0"}}}), {"Insufficient example.com/aaa"}},
      {"extended resource allocatable enforced", table_pod({{{"cpu", "1m"}, {"memory", "1"}, {aaa, "1"}}}),
       table_pod({{{"cpu", "0"}, {"memory", "0"}, {aaa, "5"}}}), {"Insufficient example.com/aaa"}},
      {"extended resource allocatable enforced for multiple containers",
       table_pod({{{"cpu", "1m"}, {"memory", "1"}, {aaa, "3"}}, {{"cpu", "1m"}, {"memory", "1"}, {aaa, "3"}}}),
       table_pod({{{"cpu", "0"}, {"memory", "0"}, {aaa, "2"}}}), {"Insufficient example.com/aaa"}},
      {"extended resource allocatable admits multiple init containers",
       with_init(table_pod({Requests{}}),
                 {{{"cpu", "1m"}, {"memory", "1"}, {aaa, "3"}}, {{"cpu", "1m"}, {"memory", "1"}, {aaa, "3"}}}),
       table_pod({{{"cpu", "0"}, {"memory", "0"}, {aaa, "2"}}}), {}},
      {"extended resource allocatable enforced for multiple init containers",
       with_init(table_pod({Requests{}}),
                 {{{"cpu", "1m"}, {"memory", "1"}, {aaa, "6"}}, {{"cpu", "1m"}, {"memory", "1"}, {aaa, "3"}}}),
       table_pod({{{"cpu", "0"}, {"memory", "0"}, {aaa, "2"}}}), {"Insufficient example.com/aaa"}},
      {"extended resource allocatable enforced for unknown resource",
       table_pod({{{"cpu", "1m"}, {"memory", "1"}, {bbb, "1"}}}), table_pod({cm("0", "0")}),
       {"Insufficient example.com/bbb"}},
      {"kubernetes.io resource capacity enforced",
       table_pod({{{"cpu", "1m"}, {"memory", "1"}, {"kubernetes.io/something", "10"}}}),
       table_pod({cm("0", "0")}), {"Insufficient kubernetes.io/something"}},
      {"hugepages resource capacity enforced",
       table_pod({{{"cpu", "1m"}, {"memory", "1"}, {"hugepages-2Mi", "10"}}}),
       table_pod({{{"cpu", "0"}, {"memory", "0"}, {"hugepages-2Mi", "0"}}}), {"Insufficient hugepages-2Mi"}},
      {"hugepages resource allocatable enforced for multiple containers",
       table_pod({{{"cpu", "1m"}, {"memory", "1"}, {"hugepages-2Mi", "3"}},
                  {{"cpu", "1m"}, {"memory", "1"}, {"hugepages-2Mi", "3"}}}),
       table_pod({{{"cpu", "0"}, {"memory", "0"}, {"hugepages-2Mi", "2"}}}), {"Insufficient hugepages-2Mi"}},
      {"skip checking ignored extended resource", table_pod({{{"cpu", "1m"}, {"memory", "1"}, {bbb, "1"}}}),
       table_pod({cm("0", "0")}), {}, NodeResourcesFitArgs{{bbb}, {}, {}}},
      {"skip checking ignored extended resource via resource groups",
       table_pod({{{"cpu", "1m"}, {"memory", "1"}, {bbb, "1"}}}), table_pod({cm("0", "0")}), {},
       NodeResourcesFitArgs{{}, {"example.com"}, {}}},
      {"storage ephemeral local storage request exceeds allocatable",
       table_pod({{{"ephemeral-storage", "25"}}}), table_pod({cm("2m", "2")}), {"Insufficient ephemeral-storage"}},
      {"pod fits (ephemeral-storage)", table_pod({{{"ephemeral-storage", "10"}}}), table_pod({cm("2m", "2")}), {}},
  };
  // Overhead cases: resources + pod overhead.
  auto overhead = [](api::Pod p, const char* cpu, const char* mem) {
    p.spec.overhead["cpu"] = api::testing::qty(cpu);
    p.spec.overhead["memory"] = api::testing::qty(mem);
    return p;
  };
  cases.push_back({"resources + pod overhead fits", overhead(table_pod({cm("1m", "1")}), "3m", "13"),
                   table_pod({cm("5m", "5")}), {}});
  cases.push_back({"requests + overhead does not fit for memory",
                   overhead(table_pod({cm("1m", "1")}), "1m", "15"), table_pod({cm("5m", "5")}),
                   {"Insufficient memory"}});
  for (auto& c : cases) {
    INFO(c.upstream_name);
    auto plugin = make_node_resources_fit(c.args);
    auto* filter = dynamic_cast<FilterPlugin*>(plugin.get());
    auto node = fit_node({c.existing});
    CycleState state;
    state.pod = compute_pod_resources(c.pod);
    auto r = filter->filter(state, c.pod, node);
    CHECK(r.ok() == c.want.empty());
    CHECK(r.reasons == c.want);
  }
}

TEST_CASE("NodeResourcesFit filters on the pod count as upstream's TestNotEnoughRequests",
          "[scheduler][plugins][noderesources]") {
  // The node allows one pod and has one.
  for (auto& [name, pod] : std::vector<std::pair<const char*, api::Pod>>{
           {"even without specified resources predicate fails when there's no space for additional pod",
            table_pod({})},
           {"even if both resources fit predicate fails when there's no space for additional pod",
            table_pod({cm("1m", "1")})},
           {"even for equal edge case predicate fails when there's no space for additional pod",
            table_pod({cm("5m", "1")})}}) {
    INFO(name);
    auto plugin = make_node_resources_fit();
    auto node = fit_node({table_pod({cm("5m", "5")})}, "1");
    CycleState state;
    state.pod = compute_pod_resources(pod);
    auto r = dynamic_cast<FilterPlugin*>(plugin.get())->filter(state, pod, node);
    CHECK(r.reasons == std::vector<std::string>{"Too many pods"});
  }
}

TEST_CASE("pod requests count sidecars as upstream 1.32 PodRequests", "[scheduler][plugins][noderesources]") {
  auto sidecar = [](api::Container c) {
    c.restart_policy = "Always";
    return c;
  };
  // App 1 cpu; init: sidecar 500m, then a plain init container 2 cpu, then sidecar 300m.
  auto pod = table_pod({{{"cpu", "1"}}});
  auto inits = table_pod({{{"cpu", "500m"}}, {{"cpu", "2"}}, {{"cpu", "300m"}}}).spec.containers;
  inits[0] = sidecar(inits[0]);
  inits[2] = sidecar(inits[2]);
  pod.spec.init_containers = inits;
  auto r = compute_pod_resources(pod);
  // Running: 1 + 0.5 + 0.3 = 1.8; initialising the plain one: 2 + 0.5 (the sidecar before
  // it) = 2.5, which is the larger.
  CHECK(r.request.milli_cpu == 2500);
  // A plain init container runs beside the sidecars started before it: 5 + 3 = 8, more
  // than running (1 + 3) and more than the init container alone.
  auto pod2 = table_pod({{{"cpu", "1"}}});
  auto inits2 = table_pod({{{"cpu", "3"}}, {{"cpu", "5"}}}).spec.containers;
  inits2[0] = sidecar(inits2[0]);
  pod2.spec.init_containers = inits2;
  CHECK(compute_pod_resources(pod2).request.milli_cpu == 8000);
  // Non-zero defaults apply per container, sidecars included; BalancedAllocation's real
  // request stays 0.
  auto pod3 = table_pod({Requests{}});
  auto inits3 = table_pod({Requests{}}).spec.containers;
  inits3[0] = sidecar(inits3[0]);
  pod3.spec.init_containers = inits3;
  auto r3 = compute_pod_resources(pod3);
  CHECK(r3.request.milli_cpu == 0);
  CHECK(r3.non_zero.milli_cpu == 2 * kDefaultMilliCpuRequest);
  CHECK(r3.non_zero.memory == 2 * kDefaultMemoryRequest);
}

TEST_CASE("NodeResourcesFit args parse with upstream defaults and field errors",
          "[scheduler][plugins][noderesources]") {
  auto ok = parse_node_resources_fit_args(nlohmann::json::parse(R"({
    "scoringStrategy": {"type": "MostAllocated", "resources": [{"name": "cpu", "weight": 3}, {"name": "memory"}]},
    "ignoredResourceGroups": ["example.com"]})"));
  REQUIRE(ok.has_value());
  CHECK(ok->scoring_strategy.type == ScoringStrategyType::most_allocated);
  CHECK(ok->scoring_strategy.resources == std::vector<ResourceSpec>{{"cpu", 3}, {"memory", 1}});
  CHECK(ok->ignored_resource_groups == std::vector<std::string>{"example.com"});

  auto defaults = parse_node_resources_fit_args(nlohmann::json::object());
  REQUIRE(defaults.has_value());
  CHECK(defaults->scoring_strategy.type == ScoringStrategyType::least_allocated);
  CHECK(defaults->scoring_strategy.resources == default_resource_specs());

  struct Bad {
    const char* json;
    const char* message;
  };
  for (auto& b : std::vector<Bad>{
           {R"({"scoringStrategy": {"type": "Fancy"}})",
            "scoringStrategy.type: Unsupported value: \"Fancy\": supported values: \"LeastAllocated\", "
            "\"MostAllocated\", \"RequestedToCapacityRatio\""},
           {R"({"scoringStrategy": {"type": "LeastAllocated", "resources": [{"name": "cpu", "weight": 200}]}})",
            "scoringStrategy.resources[0].weight: Invalid value: 200: resource weight of cpu not in valid range [1, 100]"},
           {R"({"ignoredResourceGroups": ["example.com/x"]})",
            "ignoredResourceGroups[0]: Invalid value: \"example.com/x\": resource group name can't contain '/'"},
           {R"({"scoringStrategy": {"type": "RequestedToCapacityRatio", "requestedToCapacityRatio": {"shape": [{"utilization": 50, "score": 1}, {"utilization": 10, "score": 2}]}}})",
            "scoringStrategy.requestedToCapacityRatio.shape[1].utilization: Invalid value: 10: utilization values "
            "must be sorted in increasing order"},
           {R"({"scoringStrategy": {"type": "RequestedToCapacityRatio", "requestedToCapacityRatio": {"shape": [{"utilization": 50, "score": 11}]}}})",
            "scoringStrategy.requestedToCapacityRatio.shape[0].score: Invalid value: 11: not in valid range [0, 10]"},
           {R"({"scoringStrategy": {"type": "RequestedToCapacityRatio", "requestedToCapacityRatio": {"shape": []}}})",
            "scoringStrategy.requestedToCapacityRatio.shape: Required value: at least one point must be specified"},
           {R"({"scoringStrategy": {"typo": "LeastAllocated"}})",
            "strict decoding error: unknown field \"scoringStrategy.typo\""},
           {R"({"ignoredResources": "example.com/x"})",
            "ignoredResources: Invalid value: \"example.com/x\": must be a list"},
       }) {
    INFO(b.json);
    auto r = parse_node_resources_fit_args(nlohmann::json::parse(b.json));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == b.message);
  }
}
