// Cache indexes several components share (Cache::add_index keeps the first of a name, so
// each component asks for the one it needs and they cost one index per informer).
#pragma once

#include <string>

#include "actors/client/cache.hpp"

namespace kactor::client {

/// Pods by spec.nodeName (unbound pods are not filed).
inline constexpr const char* kPodNodeIndex = "spec.nodeName";
void add_pod_node_index(Cache& pods);

/// Any kind by the uids in metadata.ownerReferences (the garbage collector's "dependents
/// of" lookup; objects without owners are not filed).
inline constexpr const char* kOwnerUidIndex = "metadata.ownerReferences.uid";
void add_owner_uid_index(Cache& cache);

/// Any kind without a controller among its ownerReferences, by namespace: the orphans a
/// controller may adopt, without walking every object of the namespace (objects with a
/// controller are not filed, so the index costs nothing while everything is owned).
inline constexpr const char* kUncontrolledIndex = "metadata.ownerReferences.controller=none";
void add_uncontrolled_index(Cache& cache);

/// Nodes by the canonical text of their pod CIDR (spec.podCIDR, else spec.podCIDRs[0];
/// host bits refused as the IPv4 parser does): kube-proxy's pod IP → node routes. Nodes
/// without a valid IPv4 pod CIDR are not filed.
inline constexpr const char* kNodePodCidrIndex = "spec.podCIDR";
void add_node_pod_cidr_index(Cache& nodes);

}  // namespace kactor::client
