// NodeResourcesFit: the filter (the pod's requests fit in what the node has left) and
// the scoring strategies LeastAllocated (default), MostAllocated and
// RequestedToCapacityRatio over weighted resources (upstream NodeResourcesFitArgs).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/scheduler/framework.hpp"
#include "actors/scheduler/plugins/resource_scores.hpp"
#include "api/status.hpp"

namespace kactor::scheduler::plugins {

struct NodeResourcesFit {
  static constexpr std::string_view kName = "NodeResourcesFit";
  static constexpr std::string_view kTooManyPods = "Too many pods";
  /// Followed by the resource name: "Insufficient cpu".
  static constexpr std::string_view kInsufficientPrefix = "Insufficient ";
};

enum class ScoringStrategyType : uint8_t { least_allocated, most_allocated, requested_to_capacity_ratio };

struct ScoringStrategy {
  ScoringStrategyType type = ScoringStrategyType::least_allocated;
  std::vector<ResourceSpec> resources = default_resource_specs();
  /// RequestedToCapacityRatio only; upstream's default shape favours empty nodes.
  std::vector<UtilizationShapePoint> shape = {{0, 10}, {100, 0}};
};

struct NodeResourcesFitArgs {
  /// Extended resources the filter does not check (exact names).
  std::vector<std::string> ignored_resources;
  /// Groups of extended resources the filter does not check ("example.com" for example.com/*).
  std::vector<std::string> ignored_resource_groups;
  ScoringStrategy scoring_strategy;
};

std::shared_ptr<Plugin> make_node_resources_fit(NodeResourcesFitArgs args = {});

/// Reads pluginConfig args (upstream field names); errors name the field
/// ("scoringStrategy.resources[0].weight: Invalid value: ...").
api::Result<NodeResourcesFitArgs> parse_node_resources_fit_args(const nlohmann::json& args);
/// Upstream ValidateNodeResourcesFitArgs on typed args (the parser calls it).
api::Result<void> validate_node_resources_fit_args(const NodeResourcesFitArgs& args);

}  // namespace kactor::scheduler::plugins
