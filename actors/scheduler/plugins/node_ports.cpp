// NodePorts: a host port (protocol, ip) can be taken by one pod per node; the
// wildcard address conflicts with every address.
#include "actors/scheduler/plugins/plugins.hpp"

namespace kactor::scheduler::plugins {
namespace {

bool conflicts(const HostPort& a, const HostPort& b) {
  return a.port == b.port && a.protocol == b.protocol &&
         (a.ip.empty() || b.ip.empty() || a.ip == b.ip);
}

class NodePorts final : public FilterPlugin {
 public:
  std::string_view name() const override { return "NodePorts"; }
  PluginResult filter(const CycleState& state, const api::Pod&,
                      const NodeInfo& node) const override {
    for (auto& want : state.pod.ports)
      for (auto& used : node.used_ports)
        if (conflicts(want, used))
          return PluginResult::unschedulable(
              {"node(s) didn't have free ports for the requested pod ports"});
    return PluginResult::success();
  }
};

}  // namespace

std::shared_ptr<Plugin> make_node_ports() {
  return std::make_shared<NodePorts>();
}

}  // namespace kactor::scheduler::plugins
