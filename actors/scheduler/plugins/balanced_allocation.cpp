// NodeResourcesBalancedAllocation: the standard deviation of the resources' requested
// fractions, from real requests (no non-zero defaults), as upstream 1.32.
#include "actors/scheduler/plugins/balanced_allocation.hpp"

namespace kactor::scheduler::plugins {
namespace {

/// The pod asks for none of the resources (upstream PreScore then skips the plugin,
/// kubernetes#129138: with no requests every node looks perfectly balanced and such
/// pods would all pile onto one node).
bool best_effort(const PodResources& pod, const std::vector<ResourceSpec>& resources) {
  const auto& r = pod.request;
  for (auto& spec : resources) {
    int64_t v = spec.name == "cpu"      ? r.milli_cpu
                : spec.name == "memory" ? r.memory
                                        : r.scalar.get(spec.name);
    if (v != 0) return false;
  }
  return true;
}

class BalancedAllocationPlugin final : public PreScorePlugin, public ScorePlugin {
 public:
  explicit BalancedAllocationPlugin(BalancedAllocationArgs args) : args_(std::move(args)) {}
  std::string_view name() const override { return BalancedAllocation::kName; }

  std::vector<ClusterEventWithHint> events_to_register() const override { return {}; }

  PluginResult pre_score(CycleState& state, const api::Pod&,
                         const std::vector<const NodeInfo*>&) override {
    return best_effort(state.pod, args_.resources) ? PluginResult::skip() : PluginResult::success();
  }

  int64_t score(const CycleState& state, const api::Pod&, const NodeInfo& node) const override {
    return balanced_allocation_score(node, state.pod, args_.resources);
  }

 private:
  BalancedAllocationArgs args_;
};

}  // namespace

std::shared_ptr<Plugin> make_balanced_allocation(BalancedAllocationArgs args) {
  return std::make_shared<BalancedAllocationPlugin>(std::move(args));
}

}  // namespace kactor::scheduler::plugins
