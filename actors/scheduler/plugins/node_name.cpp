// NodeName: a pod that names its node fits only there.
#include "actors/scheduler/plugins/plugins.hpp"

namespace kactor::scheduler::plugins {
namespace {

class NodeNamePlugin final : public FilterPlugin {
 public:
  std::string_view name() const override { return NodeName::kName; }
  std::vector<ClusterEventWithHint> events_to_register() const override {
    return {{{EventResource::node, action::add}, nullptr}};
  }
  PluginResult filter(const CycleState&, const api::Pod& pod, const NodeInfo& node) const override {
    if (pod.spec.node_name.empty() || pod.spec.node_name == node.name())
      return PluginResult::success();
    return PluginResult::unresolvable({std::string(NodeName::kReason)});
  }
};

}  // namespace

std::shared_ptr<Plugin> make_node_name() {
  return std::make_shared<NodeNamePlugin>();
}

}  // namespace kactor::scheduler::plugins
