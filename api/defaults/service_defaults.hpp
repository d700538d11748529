// Defaulting as the API server applies it on create and update (upstream SetDefaults_*).
#pragma once

#include "api/types/service.hpp"

namespace kactor::api {

/// type ClusterIP, sessionAffinity None (config dropped) or ClientIP (timeout 10800), ports'
/// protocol TCP and targetPort = port, externalTrafficPolicy Cluster for externally reachable
/// services, internalTrafficPolicy Cluster, allocateLoadBalancerNodePorts for LoadBalancers,
/// clusterIP and clusterIPs[0] mirrored. IP families and allocated IPs/ports are the
/// allocator's business.
void set_defaults(Service& svc);
/// Ports' protocol TCP.
void set_defaults(Endpoints& ep);

}  // namespace kactor::api
