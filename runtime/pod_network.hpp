// The pod network (cluster CIDR) a cluster's node subnets are cut from: its default, sized
// from the number of nodes, and the check that a given one can hold them all. One home for
// both, so `kactor up` and programs embedding kactor::Cluster get the same answer.
#pragma once

#include <cstddef>
#include <string>

#include "api/status.hpp"

namespace kactor::runtime {

/// The default pod network for small clusters (flannel's, and most guides').
inline constexpr const char* kDefaultClusterCidr = "10.244.0.0/16";

/// The smallest network around 10.244.0.0/16 that holds `nodes` node subnets of prefix
/// `node_mask`: with /24 subnets 10.244.0.0/16 up to 256 nodes, 10.244.0.0/15 up to 512,
/// 10.244.0.0/14 up to 1024, ... 10.128.0.0/9 up to 32768. Each contains 10.244.0.0/16, so a
/// cluster restarted with more nodes keeps the subnets its nodes already have. BadRequest
/// (cause on field clusterCIDR) when the network that would fit overlaps `service_cidr`
/// (10.0.0.0/8 with the default 10.96.0.0/12) or would exceed node IPAM's 65536 subnets.
api::Result<std::string> default_cluster_cidr(size_t nodes, int node_mask,
                                              const std::string& service_cidr);

/// Checks a given pod network: an IPv4 CIDR ("10.244.0.0/16"; host bits are dropped, as
/// kube-controller-manager's --cluster-cidr does) with room for `nodes` subnets of prefix
/// `node_mask`, clear of `service_cidr` (pod and service addresses must not collide).
/// BadRequest with a cause on field clusterCIDR that says what would fit otherwise.
api::Result<void> check_cluster_cidr(const std::string& cluster_cidr, size_t nodes, int node_mask,
                                     const std::string& service_cidr);

/// `cluster_cidr` if it passes check_cluster_cidr; the default for `nodes` if it is empty.
api::Result<std::string> pod_network_for(const std::string& cluster_cidr, size_t nodes,
                                         int node_mask, const std::string& service_cidr);

/// Number of node subnets of prefix `node_mask` in `cluster_cidr` (0 if it does not parse or
/// its prefix is longer than `node_mask`).
size_t node_subnets(const std::string& cluster_cidr, int node_mask);

/// The BadRequest that names field clusterCIDR: `clusterCIDR: Invalid value: "<value>": <why>`.
api::Status cluster_cidr_invalid(const std::string& value, const std::string& why);

}  // namespace kactor::runtime
