// NodePorts: a host port (protocol, ip) can be taken by one pod per node; the
// wildcard address conflicts with every address.
#include "actors/scheduler/plugins/plugins.hpp"

namespace kactor::scheduler::plugins {
namespace {

/// Shared by every rejection (no strings built per rejected node).
const Reasons kNodePortsReasons{std::string(NodePorts::kReason)};

bool conflicts(const HostPort& a, const HostPort& b) {
  return a.port == b.port && a.protocol == b.protocol &&
         (a.ip.empty() || b.ip.empty() || a.ip == b.ip);
}

class NodePortsPlugin final : public PreFilterPlugin, public FilterPlugin {
 public:
  std::string_view name() const override { return NodePorts::kName; }
  std::vector<ClusterEventWithHint> events_to_register() const override {
    // Ports are freed when an assigned pod goes; a new node has all of them.
    return {{{EventResource::assigned_pod, action::remove}, nullptr},
            {{EventResource::node, action::add}, nullptr}};
  }
  /// No host ports asked for: no conflict anywhere (upstream Skip).
  PluginResult pre_filter(CycleState& state, const api::Pod&) override {
    return state.pod.ports.empty() ? PluginResult::skip() : PluginResult::success();
  }
  PluginResult filter(const CycleState& state, const api::Pod&,
                      const NodeInfo& node) const override {
    for (auto& want : state.pod.ports)
      for (auto& used : node.used_ports)
        if (conflicts(want, used))
          return PluginResult::unschedulable(kNodePortsReasons);
    return PluginResult::success();
  }
};

}  // namespace

std::shared_ptr<Plugin> make_node_ports() {
  return std::make_shared<NodePortsPlugin>();
}

}  // namespace kactor::scheduler::plugins
