// The one list of controllers the manager knows (registry.cpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <caf/actor.hpp>

#include "actors/controllers/controller_manager.hpp"

namespace kactor::actors::controllers {

using SpawnFn =
    std::function<api::Result<caf::actor>(const Context&, const ControllerManagerOptions&)>;

struct ControllerEntry {
  std::string name;
  SpawnFn spawn;
};

/// Every controller, in the order the manager starts them.
const std::vector<ControllerEntry>& controller_registry();

// -- the spawn functions (one per controller, each in its own file) --
api::Result<caf::actor> spawn_replicationcontroller_controller(const Context&,
                                                               const ControllerManagerOptions&);
api::Result<caf::actor> spawn_replicaset_controller(const Context&,
                                                    const ControllerManagerOptions&);
api::Result<caf::actor> spawn_deployment_controller(const Context&, const ControllerManagerOptions&);
api::Result<caf::actor> spawn_endpoints_controller(const Context&, const ControllerManagerOptions&);
api::Result<caf::actor> spawn_serviceaccount_controller(const Context&,
                                                        const ControllerManagerOptions&);
api::Result<caf::actor> spawn_serviceaccount_token_controller(const Context&,
                                                              const ControllerManagerOptions&);
api::Result<caf::actor> spawn_root_ca_publisher(const Context&, const ControllerManagerOptions&);
api::Result<caf::actor> spawn_node_ipam_controller(const Context&, const ControllerManagerOptions&);
api::Result<caf::actor> spawn_node_lifecycle_controller(const Context&,
                                                        const ControllerManagerOptions&);
api::Result<caf::actor> spawn_taint_eviction_controller(const Context&,
                                                        const ControllerManagerOptions&);
api::Result<caf::actor> spawn_pod_gc_controller(const Context&, const ControllerManagerOptions&);
api::Result<caf::actor> spawn_service_controller(const Context&, const ControllerManagerOptions&);
api::Result<caf::actor> spawn_garbage_collector(const Context&, const ControllerManagerOptions&);
api::Result<caf::actor> spawn_namespace_controller(const Context&, const ControllerManagerOptions&);
api::Result<caf::actor> spawn_resource_quota_controller(const Context&,
                                                        const ControllerManagerOptions&);
api::Result<caf::actor> spawn_hpa_controller(const Context&, const ControllerManagerOptions&);
api::Result<caf::actor> spawn_disruption_controller(const Context&, const ControllerManagerOptions&);

}  // namespace kactor::actors::controllers
