// Options of the API server's Service allocators (ClusterIPs and NodePorts).
#pragma once

#include <cstdint>
#include <string>

namespace kactor::apiserver::allocators {

struct ServiceAllocatorOptions {
  /// The service CIDR ClusterIPs come from (kube-apiserver --service-cluster-ip-range).
  /// IPv4 only; the prefix must be at least /8 (the bitmap holds one bit per address).
  std::string service_cidr = "10.96.0.0/12";
  /// The NodePort range, both ends included (--service-node-port-range).
  int32_t node_port_min = 30000;
  int32_t node_port_max = 32767;
};

}  // namespace kactor::apiserver::allocators
