// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that
// tolerate the node.kubernetes.io/unschedulable:NoSchedule taint.
#include "actors/scheduler/plugins/helpers.hpp"
#include "actors/scheduler/plugins/plugins.hpp"

namespace kactor::scheduler::plugins {
namespace {

/// Shared by every rejection (no strings built per rejected node).
const Reasons kNodeUnschedulableReasons{std::string(NodeUnschedulable::kReason)};

class NodeUnschedulablePlugin final : public FilterPlugin {
 public:
  std::string_view name() const override { return NodeUnschedulable::kName; }
  std::vector<ClusterEventWithHint> events_to_register() const override {
    return {{{EventResource::node, action::add | action::update_node_taint}, nullptr}};
  }
  PluginResult filter(const CycleState&, const api::Pod& pod, const NodeInfo& node) const override {
    if (!node.node || !node.unschedulable) return PluginResult::success();
    api::Taint taint{"node.kubernetes.io/unschedulable", "", "NoSchedule", std::nullopt};
    if (tolerated(pod.spec.tolerations, taint)) return PluginResult::success();
    return PluginResult::unresolvable(kNodeUnschedulableReasons);
  }
};

}  // namespace

std::shared_ptr<Plugin> make_node_unschedulable() {
  return std::make_shared<NodeUnschedulablePlugin>();
}

}  // namespace kactor::scheduler::plugins
