// The explicit list of controllers: adding one means one line here.
#include "actors/controllers/registry.hpp"

namespace kactor::actors::controllers {

const std::vector<ControllerEntry>& controller_registry() {
  static const std::vector<ControllerEntry> entries{
      {"replicationcontroller", spawn_replicationcontroller_controller},
      {"replicaset", spawn_replicaset_controller},
      {"deployment", spawn_deployment_controller},
      {"endpoints", spawn_endpoints_controller},
      {"serviceaccount", spawn_serviceaccount_controller},
      {"serviceaccount-token", spawn_serviceaccount_token_controller},
      {"root-ca-cert-publisher", spawn_root_ca_publisher},
      {"nodeipam", spawn_node_ipam_controller},
      {"nodelifecycle", spawn_node_lifecycle_controller},
      {"taint-eviction-controller", spawn_taint_eviction_controller},
      {"podgc", spawn_pod_gc_controller},
      {"garbagecollector", spawn_garbage_collector},
      {"namespace", spawn_namespace_controller},
      {"service-lb-controller", spawn_service_controller},
      {"resourcequota", spawn_resource_quota_controller},
      {"horizontalpodautoscaling", spawn_hpa_controller},
      {"disruption", spawn_disruption_controller},
  };
  return entries;
}

}  // namespace kactor::actors::controllers
