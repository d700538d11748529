// NodeName: a pod that names its node fits only there.
#include "actors/scheduler/plugins/plugins.hpp"

namespace kactor::scheduler::plugins {
namespace {

/// Shared by every rejection (no strings built per rejected node).
const Reasons kNodeNameReasons{std::string(NodeName::kReason)};

class NodeNamePlugin final : public PreFilterPlugin, public FilterPlugin {
 public:
  std::string_view name() const override { return NodeName::kName; }
  std::vector<ClusterEventWithHint> events_to_register() const override {
    return {{{EventResource::node, action::add}, nullptr}};
  }
  /// A pod that names no node fits every node here: nothing to check per node.
  PluginResult pre_filter(CycleState&, const api::Pod& pod) override {
    return pod.spec.node_name.empty() ? PluginResult::skip() : PluginResult::success();
  }
  PluginResult filter(const CycleState&, const api::Pod& pod, const NodeInfo& node) const override {
    if (pod.spec.node_name.empty() || pod.spec.node_name == node.name())
      return PluginResult::success();
    return PluginResult::unresolvable(kNodeNameReasons);
  }
};

}  // namespace

std::shared_ptr<Plugin> make_node_name() {
  return std::make_shared<NodeNamePlugin>();
}

}  // namespace kactor::scheduler::plugins
