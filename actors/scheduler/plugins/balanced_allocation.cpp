// NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory use stay
// balanced once the pod is there.
#include "actors/scheduler/plugins/plugins.hpp"
#include "actors/scheduler/plugins/resource_scores.hpp"

namespace kactor::scheduler::plugins {
namespace {

class BalancedAllocation final : public ScorePlugin {
 public:
  std::string_view name() const override { return "NodeResourcesBalancedAllocation"; }
  int64_t score(const CycleState& state, const api::Pod&, const NodeInfo& node) const override {
    auto req = requested_with_pod(node, state.pod);
    return balanced_allocation(
        {{req.milli_cpu, node.allocatable.milli_cpu}, {req.memory, node.allocatable.memory}});
  }
};

}  // namespace

std::shared_ptr<Plugin> make_balanced_allocation() {
  return std::make_shared<BalancedAllocation>();
}

}  // namespace kactor::scheduler::plugins
