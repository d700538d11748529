// NodeResourcesFit: the pod's requests must fit in what the node has left; scores
// with LeastAllocated over cpu and memory (weight 1 each).
#include "actors/scheduler/plugins/plugins.hpp"
#include "actors/scheduler/plugins/resource_scores.hpp"

namespace kactor::scheduler::plugins {
namespace {

class NodeResourcesFit final : public FilterPlugin, public ScorePlugin {
 public:
  std::string_view name() const override { return "NodeResourcesFit"; }

  PluginResult filter(const CycleState& state, const api::Pod&,
                      const NodeInfo& node) const override {
    std::vector<std::string> reasons;
    if (node.pod_count + 1 > node.allowed_pods) reasons.push_back("Too many pods");
    auto& want = state.pod.request;
    auto& used = node.requested;
    auto& alloc = node.allocatable;
    // Upstream checks a resource only when the pod asks for some of it.
    if (want.milli_cpu > 0 && want.milli_cpu > alloc.milli_cpu - used.milli_cpu)
      reasons.push_back("Insufficient cpu");
    if (want.memory > 0 && want.memory > alloc.memory - used.memory)
      reasons.push_back("Insufficient memory");
    for (auto& [name, amount] : want.scalar) {
      if (amount == 0) continue;
      auto a = alloc.scalar.find(name);
      auto u = used.scalar.find(name);
      int64_t left =
          (a == alloc.scalar.end() ? 0 : a->second) - (u == used.scalar.end() ? 0 : u->second);
      if (amount > left) reasons.push_back("Insufficient " + name);
    }
    if (reasons.empty()) return PluginResult::success();
    return PluginResult::unschedulable(std::move(reasons));
  }

  int64_t score(const CycleState& state, const api::Pod&, const NodeInfo& node) const override {
    auto req = requested_with_pod(node, state.pod);
    // Weighted average over cpu and memory, weight 1 each.
    return (least_allocated(req.milli_cpu, node.allocatable.milli_cpu) +
            least_allocated(req.memory, node.allocatable.memory)) /
           2;
  }
};

}  // namespace

std::shared_ptr<Plugin> make_node_resources_fit() {
  return std::make_shared<NodeResourcesFit>();
}

}  // namespace kactor::scheduler::plugins
