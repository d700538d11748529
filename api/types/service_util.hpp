// Predicates about Services that defaulting, validation and the components share.
#pragma once

#include "api/types/service.hpp"

namespace kactor::api {

/// clusterIP "None": no virtual IP, DNS names the pods directly.
inline bool is_headless(const Service& s) {
  return s.spec.cluster_ip == "None";
}

/// Reachable from outside the cluster: NodePort, LoadBalancer, or external IPs
/// (upstream's ExternallyAccessible).
inline bool externally_accessible(const Service& s) {
  return s.spec.type == "LoadBalancer" || s.spec.type == "NodePort" ||
         (s.spec.type == "ClusterIP" && !s.spec.external_ips.empty());
}

}  // namespace kactor::api
