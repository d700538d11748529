// The one list of plugins: add a plugin here (with its factory in its header) to enable it.
#include "actors/scheduler/plugins/registry.hpp"

#include "actors/scheduler/plugins/plugins.hpp"
#include "actors/scheduler/plugins/inter_pod_affinity.hpp"
#include "actors/scheduler/plugins/pod_topology_spread.hpp"
#include "actors/scheduler/preemption/default_preemption.hpp"

namespace kactor::scheduler::plugins {
namespace {

/// DefaultPreemption with the default seed of its candidates' random offset (reproducible).
std::shared_ptr<Plugin> make_default_preemption_seeded(preemption::DefaultPreemptionArgs args) {
  return preemption::make_default_preemption(args);
}

}  // namespace

const std::vector<RegisteredPlugin>& registry() {
  // Upstream's MultiPoint order and score weights (k8s-semantics §1).
  static const std::vector<RegisteredPlugin> plugins = {
      no_args(NodeUnschedulable::kName, make_node_unschedulable, 0),
      no_args(NodeName::kName, make_node_name, 0),
      no_args(TaintToleration::kName, make_taint_toleration, 3),
      no_args(NodeAffinity::kName, make_node_affinity, 2),
      no_args(NodePorts::kName, make_node_ports, 0),
      with_args<NodeResourcesFitArgs>(NodeResourcesFit::kName, make_node_resources_fit,
                                      parse_node_resources_fit_args, 1),
      with_args<PodTopologySpreadArgs>(kPodTopologySpreadName, make_pod_topology_spread,
                                       parse_pod_topology_spread_args, 2),
      with_args<InterPodAffinityArgs>(kInterPodAffinityName, make_inter_pod_affinity,
                                      parse_inter_pod_affinity_args, 2),
      with_args<preemption::DefaultPreemptionArgs>(preemption::kDefaultPreemptionName,
                                                   make_default_preemption_seeded,
                                                   preemption::parse_default_preemption_args, 0),
      with_args<BalancedAllocationArgs>(BalancedAllocation::kName, make_balanced_allocation,
                                        parse_balanced_allocation_args, 1),
      no_args(ImageLocality::kName, make_image_locality, 1),
      no_args(DefaultBinder::kName, make_default_binder, 0),
  };
  return plugins;
}

const RegisteredPlugin* find_plugin(std::string_view name) {
  for (auto& p : registry())
    if (p.name == name) return &p;
  return nullptr;
}

std::vector<PluginEntry> default_plugins() {
  std::vector<PluginEntry> out;
  for (auto& p : registry()) out.push_back({std::string(p.name), p.make, p.default_weight, {}});
  return out;
}

}  // namespace kactor::scheduler::plugins
