// KubeSchedulerConfiguration: decoding, upstream's merge of the default plugins with a
// profile's lists, pluginConfig args, and validation errors that name the field.
#include <catch2/catch.hpp>

#include <algorithm>

#include "actors/scheduler/config/scheduler_config.hpp"
#include "actors/scheduler/plugins/node_resources_fit.hpp"

using namespace kactor;
using namespace kactor::scheduler;
using namespace kactor::scheduler::config;

namespace {

SchedulerConfiguration parse_ok(const std::string& yaml) {
  auto c = parse_configuration(yaml);
  INFO(yaml);
  if (!c) FAIL(c.error().message);
  return *c;
}

std::string parse_error(const std::string& yaml) {
  auto c = parse_configuration(yaml);
  INFO(yaml);
  REQUIRE_FALSE(c.has_value());
  return c.error().message;
}

const PluginEntry* entry(const Profile& p, std::string_view name) {
  for (auto& e : p.plugins)
    if (e.name == name) return &e;
  return nullptr;
}

std::vector<std::string> names(const Profile& p) {
  std::vector<std::string> out;
  for (auto& e : p.plugins) out.push_back(e.name);
  return out;
}

const std::string kHeader =
    "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";

}  // namespace

TEST_CASE("an empty configuration is the default profile", "[scheduler][config]") {
  auto c = parse_ok(kHeader);
  REQUIRE(c.profiles.size() == 1);
  CHECK(c.profiles[0].scheduler_name == "default-scheduler");
  CHECK(c.pod_initial_backoff == std::chrono::seconds(1));
  CHECK(c.pod_max_backoff == std::chrono::seconds(10));
  CHECK(c.percentage_of_nodes_to_score == 0);
  auto defaults = default_configuration();
  CHECK(names(c.profiles[0]) == names(defaults.profiles[0]));
  CHECK(entry(c.profiles[0], "TaintToleration")->weight == 3);
  CHECK(entry(c.profiles[0], "NodeAffinity")->weight == 2);
  CHECK(entry(c.profiles[0], "NodeResourcesFit")->weight == 1);
  CHECK(entry(c.profiles[0], "NodeResourcesBalancedAllocation")->weight == 1);
  CHECK(entry(c.profiles[0], "ImageLocality")->weight == 1);
}

TEST_CASE("profiles: names, percentages, backoffs and plugin args", "[scheduler][config]") {
  auto c = parse_ok(kHeader + R"(
percentageOfNodesToScore: 40
podInitialBackoffSeconds: 2
podMaxBackoffSeconds: 20
profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packing
  percentageOfNodesToScore: 100
  pluginConfig:
  - name: NodeResourcesFit
    args:
      apiVersion: kubescheduler.config.k8s.io/v1
      kind: NodeResourcesFitArgs
      scoringStrategy:
        type: MostAllocated
        resources:
        - name: cpu
          weight: 1
        - name: memory
          weight: 1
)");
  REQUIRE(c.profiles.size() == 2);
  CHECK(c.pod_initial_backoff == std::chrono::seconds(2));
  CHECK(c.pod_max_backoff == std::chrono::seconds(20));
  CHECK(c.percentage_for(c.profiles[0]) == 40);
  CHECK(c.percentage_for(c.profiles[1]) == 100);
  auto* fit = entry(c.profiles[1], "NodeResourcesFit");
  REQUIRE(fit);
  auto* args = std::any_cast<plugins::NodeResourcesFitArgs>(&fit->args);
  REQUIRE(args);
  CHECK(args->scoring_strategy.type == plugins::ScoringStrategyType::most_allocated);
  CHECK_FALSE(entry(c.profiles[0], "NodeResourcesFit")->args.has_value());
}

TEST_CASE("plugins merge with the defaults as upstream", "[scheduler][config]") {
  SECTION("multiPoint: a default re-enabled keeps its place with the new weight; new ones append") {
    auto c = parse_ok(kHeader + R"(
profiles:
- plugins:
    multiPoint:
      enabled:
      - name: TaintToleration
        weight: 7
      disabled:
      - name: ImageLocality
)");
    auto& p = c.profiles[0];
    CHECK(entry(p, "TaintToleration")->weight == 7);
    CHECK(entry(p, "ImageLocality") == nullptr);
    auto defaults = names(default_configuration().profiles[0]);
    std::erase(defaults, "ImageLocality");
    CHECK(names(p) == defaults);
  }
  SECTION("score: disabled there only; weights set there") {
    auto c = parse_ok(kHeader + R"(
profiles:
- plugins:
    score:
      enabled:
      - name: NodeResourcesFit
        weight: 5
      disabled:
      - name: NodeResourcesBalancedAllocation
      - name: TaintToleration
)");
    auto& p = c.profiles[0];
    CHECK(entry(p, "NodeResourcesFit")->weight == 5);
    auto* taint = entry(p, "TaintToleration");
    REQUIRE(taint);
    CHECK((taint->points & extension_point::filter) != 0);  // still filters
    CHECK((taint->points & extension_point::score) == 0);
  }
  SECTION("'*' disables every default at a point; only the listed ones run there") {
    auto c = parse_ok(kHeader + R"(
profiles:
- plugins:
    score:
      disabled:
      - name: "*"
      enabled:
      - name: NodeResourcesFit
)");
    auto& p = c.profiles[0];
    for (auto& e : p.plugins)
      CHECK(((e.points & extension_point::score) != 0) == (e.name == "NodeResourcesFit"));
    CHECK(entry(p, "NodeResourcesFit")->weight == 1);
  }
  SECTION("disabling upstream plugins kactor does not have is a no-op") {
    auto c = parse_ok(kHeader + R"(
profiles:
- plugins:
    multiPoint:
      disabled:
      - name: VolumeBinding
      - name: PrioritySort
)");
    CHECK(names(c.profiles[0]) == names(default_configuration().profiles[0]));
  }
}

TEST_CASE("invalid configurations are refused with errors naming the field", "[scheduler][config]") {
  struct Bad {
    std::string yaml;
    std::string message;
  };
  std::vector<Bad> cases = {
      {"apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n",
       "apiVersion: Invalid value: \"kubescheduler.config.k8s.io/v1beta3\": must be "
       "\"kubescheduler.config.k8s.io/v1\""},
      {kHeader + "profiles:\n- schedulerName: a\n  plugin: {}\n",
       "strict decoding error: unknown field \"profiles[0].plugin\""},
      {kHeader + "percentageOfNodesToScor: 3\n", "strict decoding error: unknown field \"percentageOfNodesToScor\""},
      {kHeader + "profiles:\n- schedulerName: a\n- schedulerName: a\n",
       "profiles[1].schedulerName: Duplicate value: \"a\""},
      {kHeader + "profiles:\n- schedulerName: a\n- {}\n", "profiles[1].schedulerName: Required value"},
      {kHeader + "profiles:\n- plugins:\n    filter:\n      enabled:\n      - name: Bogus\n",
       "profiles[0].plugins.filter.enabled[0].name: Invalid value: \"Bogus\": plugin \"Bogus\" does not exist"},
      {kHeader + "profiles:\n- plugins:\n    score:\n      enabled:\n      - name: NodeResourcesFit\n        weight: -2\n",
       "profiles[0].plugins.score.enabled[0].weight: Invalid value: -2: must be in the range [0, 2147483647]"},
      {kHeader + "profiles:\n- plugins:\n    filter:\n      enabled:\n      - name: NodeResourcesFit\n        weight: 2\n",
       "profiles[0].plugins.filter.enabled[0].weight: Invalid value: 2: weights are only for score and "
       "multiPoint plugins"},
      {kHeader + "profiles:\n- plugins:\n    multiPoint:\n      enabled:\n      - name: VolumeBinding\n",
       "profiles[0].plugins.multiPoint.enabled[0].name: Invalid value: \"VolumeBinding\": plugin is not "
       "implemented by kactor"},
      {kHeader + "profiles:\n- plugins:\n    bind:\n      disabled:\n      - name: DefaultBinder\n",
       "profiles[0].plugins.bind: Required value: at least one bind plugin is needed"},
      {kHeader + "percentageOfNodesToScore: 120\n",
       "percentageOfNodesToScore: Invalid value: 120: not in valid range [0-100]"},
      {kHeader + "profiles:\n- percentageOfNodesToScore: -1\n",
       "profiles[0].percentageOfNodesToScore: Invalid value: -1: not in valid range [0-100]"},
      {kHeader + "podInitialBackoffSeconds: 0\n", "podInitialBackoffSeconds: Invalid value: 0: must be greater than 0"},
      {kHeader + "podInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2\n",
       "podMaxBackoffSeconds: Invalid value: 2: must be greater than or equal to PodInitialBackoffSeconds"},
      {kHeader + "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      scoringStrategy:\n        type: Nope\n",
       "profiles[0].pluginConfig[0].args.scoringStrategy.type: Unsupported value: \"Nope\": supported values: "
       "\"LeastAllocated\", \"MostAllocated\", \"RequestedToCapacityRatio\""},
      {kHeader + "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n  - name: NodeResourcesFit\n",
       "profiles[0].pluginConfig[1]: Duplicate value: \"NodeResourcesFit\""},
      {kHeader + "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      kind: InterPodAffinityArgs\n",
       "profiles[0].pluginConfig[0].args.kind: Invalid value: \"InterPodAffinityArgs\": must be "
       "\"NodeResourcesFitArgs\" for plugin \"NodeResourcesFit\""},
      {kHeader + "profiles:\n- pluginConfig:\n  - name: NodePorts\n    args:\n      x: 1\n",
       "profiles[0].pluginConfig[0].args: Invalid value: {\"x\":1}: plugin \"NodePorts\" takes no args"},
      {kHeader + "profiles:\n- pluginConfig:\n  - name: NodeResourcesBalancedAllocation\n    args:\n      resourcez: []\n",
       "strict decoding error: unknown field \"profiles[0].pluginConfig[0].args.resourcez\""},
      {kHeader + "extenders:\n- urlPrefix: http://x\n",
       "extenders: Invalid value: [{\"urlPrefix\":\"http://x\"}]: scheduler extenders are not supported by kactor"},
  };
  for (auto& b : cases) CHECK(parse_error(b.yaml) == b.message);
}
