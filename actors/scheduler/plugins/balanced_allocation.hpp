// NodeResourcesBalancedAllocation: prefers nodes whose resource use stays balanced once
// the pod is there (upstream NodeResourcesBalancedAllocationArgs: the resources looked at).
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/scheduler/framework.hpp"
#include "actors/scheduler/plugins/resource_scores.hpp"
#include "api/status.hpp"

namespace kactor::scheduler::plugins {

struct BalancedAllocation {
  static constexpr std::string_view kName = "NodeResourcesBalancedAllocation";
};

struct BalancedAllocationArgs {
  /// Weights must be 1 (the score is a standard deviation, weights have no meaning).
  std::vector<ResourceSpec> resources = default_resource_specs();
};

std::shared_ptr<Plugin> make_balanced_allocation(BalancedAllocationArgs args = {});
api::Result<BalancedAllocationArgs> parse_balanced_allocation_args(const nlohmann::json& args);
api::Result<void> validate_balanced_allocation_args(const BalancedAllocationArgs& args);

}  // namespace kactor::scheduler::plugins
