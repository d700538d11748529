// The one list of plugins: add a plugin here (and in plugins.hpp) to enable it.
#include "actors/scheduler/plugins/plugins.hpp"
#include "actors/scheduler/preemption/default_preemption.hpp"

namespace kactor::scheduler::plugins {

std::vector<PluginEntry> default_plugins() {
  // Upstream's MultiPoint order and score weights (k8s-semantics §1).
  return {
      {"NodeUnschedulable", make_node_unschedulable, 0},
      {"NodeName", make_node_name, 0},
      {"TaintToleration", make_taint_toleration, 3},
      {"NodeAffinity", make_node_affinity, 2},
      {"NodePorts", make_node_ports, 0},
      {"NodeResourcesFit", make_node_resources_fit, 1},
      {preemption::kDefaultPreemptionName, [] { return preemption::make_default_preemption(); }, 0},
      {"NodeResourcesBalancedAllocation", make_balanced_allocation, 1},
      {"DefaultBinder", make_default_binder, 0},
  };
}

}  // namespace kactor::scheduler::plugins
