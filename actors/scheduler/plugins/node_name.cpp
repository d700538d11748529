// NodeName: a pod that names its node fits only there.
#include "actors/scheduler/plugins/plugins.hpp"

namespace kactor::scheduler::plugins {
namespace {

class NodeName final : public FilterPlugin {
 public:
  std::string_view name() const override { return "NodeName"; }
  PluginResult filter(const CycleState&, const api::Pod& pod, const NodeInfo& node) const override {
    if (pod.spec.node_name.empty() || pod.spec.node_name == node.name())
      return PluginResult::success();
    return PluginResult::unresolvable({"node(s) didn't match the requested node name"});
  }
};

}  // namespace

std::shared_ptr<Plugin> make_node_name() {
  return std::make_shared<NodeName>();
}

}  // namespace kactor::scheduler::plugins
