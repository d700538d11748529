// NodeResourcesBalancedAllocation against upstream's table
// (pkg/scheduler/framework/plugins/noderesources/balanced_allocation_test.go).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "actors/scheduler/plugins/balanced_allocation.hpp"
#include "tests/actors/scheduler/score_table.hpp"

using namespace kactor;
using namespace kactor::scheduler;
using namespace kactor::scheduler::plugins;
using namespace kactor::testing;

TEST_CASE("BalancedAllocation scores as upstream's table", "[scheduler][plugins][noderesources]") {
  const std::string gpu = "nvidia.com/gpu";
  // Upstream's pod specs (real requests: BalancedAllocation uses no non-zero defaults).
  auto cpu_and_memory = [](const std::string& node) {
    return table_pod({{{"cpu", "1000m"}, {"memory", "2000"}}, {{"cpu", "2000m"}, {"memory", "3000"}}}, node);
  };
  auto cpu_only = [](const std::string& node) {
    return table_pod({{{"cpu", "1000m"}, {"memory", "0"}}, {{"cpu", "2000m"}, {"memory", "0"}}}, node);
  };
  auto cpu_memory_gpu = table_pod(
      {{{"cpu", "1000m"}, {"memory", "2000"}}, {{"cpu", "2000m"}, {"memory", "3000"}, {gpu, "3"}}}, "node1");
  auto node = [&](const std::string& name, const char* cpu, const char* mem, bool with_gpu = false) {
    Requests alloc{{"cpu", cpu}, {"memory", mem}};
    if (with_gpu) alloc[gpu] = "8";
    return table_node(name, alloc);
  };
  std::vector<ResourceSpec> with_gpu_resources = {{"cpu", 1}, {"memory", 1}, {gpu, 1}};

  struct Case {
    const char* upstream_name;
    api::Pod pod;
    std::vector<api::Node> nodes;
    std::vector<api::Pod> existing;
    std::vector<int64_t> want;
    std::vector<ResourceSpec> resources = default_resource_specs();
  };
  std::vector<Case> cases = {
      // Upstream returns Skip from PreScore: no score from this plugin at all (0 here).
      {"nothing scheduled, nothing requested, skip in PreScore", table_pod({}),
       {node("node1", "4", "10000"), node("node2", "4", "10000")}, {}, {0, 0}},
      {"nothing scheduled, resources requested, differently sized nodes", cpu_and_memory("node2"),
       {node("node1", "4", "10000"), node("node2", "6", "10000")}, {}, {87, 100}},
      {"resources requested, pods scheduled with resources", cpu_and_memory("node2"),
       {node("node1", "10", "20000"), node("node2", "10", "20000")},
       {cpu_only("node1"), cpu_and_memory("node2")}, {82, 95}},
      {"resources requested, pods scheduled with resources, differently sized nodes",
       cpu_and_memory("node2"), {node("node1", "10", "20000"), node("node2", "10", "50000")},
       {cpu_only("node1"), cpu_and_memory("node2")}, {82, 80}},
      {"requested resources at node capacity", cpu_only("node1"),
       {node("node1", "6", "10000"), node("node2", "6", "10000")},
       {cpu_only("node1"), cpu_and_memory("node2")}, {50, 75}},
      {"include scalar resource on a node for balanced resource allocation",
       table_pod({{{"memory", "0"}, {gpu, "1"}}}),
       {node("node1", "3500m", "40000", true), node("node2", "3500m", "40000", true)},
       {cpu_and_memory("node2"), cpu_memory_gpu}, {70, 65}, with_gpu_resources},
      {"node without the scalar resource should skip the scalar resource", cpu_and_memory("node2"),
       {node("node1", "3500m", "40000", true), node("node2", "3500m", "40000")}, {}, {63, 63},
       with_gpu_resources},
  };
  for (auto& c : cases) {
    INFO(c.upstream_name);
    BalancedAllocationArgs args{c.resources};
    REQUIRE(validate_balanced_allocation_args(args).has_value());
    CHECK(table_scores(make_balanced_allocation(args), c.pod, c.nodes, c.existing) == c.want);
  }
}

TEST_CASE("BalancedAllocation args: weights must be 1, no duplicates", "[scheduler][plugins][noderesources]") {
  auto ok = parse_balanced_allocation_args(nlohmann::json::parse(R"({"resources": [{"name": "cpu"}, {"name": "nvidia.com/gpu", "weight": 1}]})"));
  REQUIRE(ok.has_value());
  CHECK(ok->resources == std::vector<ResourceSpec>{{"cpu", 1}, {"nvidia.com/gpu", 1}});
  auto bad_weight = parse_balanced_allocation_args(nlohmann::json::parse(R"({"resources": [{"name": "cpu", "weight": 2}]})"));
  REQUIRE_FALSE(bad_weight.has_value());
  CHECK(bad_weight.error().message == "resources[0].weight: Invalid value: 2: must be 1");
  auto dup = parse_balanced_allocation_args(nlohmann::json::parse(R"({"resources": [{"name": "cpu"}, {"name": "cpu"}]})"));
  REQUIRE_FALSE(dup.has_value());
  CHECK(dup.error().message == "resources[1].name: Duplicate value: \"cpu\"");
}
