// NodeResourcesFit: the pod's requests must fit in what the node has left; scores with
// the configured strategy.
#include "actors/scheduler/plugins/node_resources_fit.hpp"

#include <algorithm>

#include "actors/scheduler/plugins/plugins.hpp"

namespace kactor::scheduler::plugins {
namespace {

class NodeResourcesFitPlugin final : public FilterPlugin, public ScorePlugin {
 public:
  explicit NodeResourcesFitPlugin(NodeResourcesFitArgs args)
      : args_(std::move(args)), scaled_shape_(scale_shape(args_.scoring_strategy.shape)) {}

  std::string_view name() const override { return NodeResourcesFit::kName; }

  std::vector<ClusterEventWithHint> events_to_register() const override {
    // Room appears when a node comes or grows, or an assigned pod leaves or shrinks.
    return {{{EventResource::node, action::add | action::update_node_allocatable}, nullptr},
            {{EventResource::assigned_pod, action::remove | action::update_pod_scale_down},
             nullptr}};
  }

  PluginResult filter(const CycleState& state, const api::Pod&,
                      const NodeInfo& node) const override {
    std::vector<std::string> reasons;
    if (node.pod_count + 1 > node.allowed_pods) reasons.emplace_back(NodeResourcesFit::kTooManyPods);
    auto& want = state.pod.request;
    auto& used = node.requested;
    auto& alloc = node.allocatable;
    auto insufficient = [&](const std::string& resource) {
      reasons.push_back(std::string(NodeResourcesFit::kInsufficientPrefix) + resource);
    };
    // Upstream checks a resource only when the pod asks for some of it.
    if (want.milli_cpu > 0 && want.milli_cpu > alloc.milli_cpu - used.milli_cpu)
      insufficient("cpu");
    if (want.memory > 0 && want.memory > alloc.memory - used.memory) insufficient("memory");
    // ephemeral-storage first, as upstream; then the scalar resources by name.
    auto check = [&](const std::string& name, int64_t amount) {
      if (amount == 0) return;
      if (is_extended_resource(name) && ignored(name)) return;
      auto a = alloc.scalar.find(name);
      auto u = used.scalar.find(name);
      int64_t left =
          (a == alloc.scalar.end() ? 0 : a->second) - (u == used.scalar.end() ? 0 : u->second);
      if (amount > left) insufficient(name);
    };
    if (auto es = want.scalar.find("ephemeral-storage"); es != want.scalar.end())
      check(es->first, es->second);
    for (auto& [name, amount] : want.scalar)
      if (name != "ephemeral-storage") check(name, amount);
    if (reasons.empty()) return PluginResult::success();
    return PluginResult::unschedulable(std::move(reasons));
  }

  int64_t score(const CycleState& state, const api::Pod&, const NodeInfo& node) const override {
    const auto& strategy = args_.scoring_strategy;
    switch (strategy.type) {
      case ScoringStrategyType::least_allocated:
        return least_allocated_score(node, state.pod, strategy.resources);
      case ScoringStrategyType::most_allocated:
        return most_allocated_score(node, state.pod, strategy.resources);
      case ScoringStrategyType::requested_to_capacity_ratio:
        return requested_to_capacity_ratio_score(node, state.pod, strategy.resources,
                                                 scaled_shape_);
    }
    return 0;
  }

 private:
  bool ignored(const std::string& name) const {
    const auto& names = args_.ignored_resources;
    if (std::find(names.begin(), names.end(), name) != names.end()) return true;
    auto group = name.substr(0, name.find('/'));
    const auto& groups = args_.ignored_resource_groups;
    return std::find(groups.begin(), groups.end(), group) != groups.end();
  }

  NodeResourcesFitArgs args_;
  std::vector<UtilizationShapePoint> scaled_shape_;
};

}  // namespace

std::shared_ptr<Plugin> make_node_resources_fit(NodeResourcesFitArgs args) {
  return std::make_shared<NodeResourcesFitPlugin>(std::move(args));
}

}  // namespace kactor::scheduler::plugins
