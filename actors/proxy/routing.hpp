// Which node holds a pod IP, flannel-style: every Node owns spec.podCIDR and pods on it
// get addresses out of that range. The proxy uses it to say which node a chosen backend
// lives on (ConnectReply::node) and to answer proxy_route_atom; nothing carries traffic
// yet. Free of CAF.
//
// The routes are read from the process's shared Node informer cache, filed by pod CIDR
// (client::kNodePodCidrIndex): one copy per process, kept by the informer. A kube-proxy
// holding its own node → CIDR map, fed by every Node event, cost nodes² memory and
// deliveries in a process running thousands of simulated nodes (issue 15).
#pragma once

#include <optional>
#include <string>

#include "actors/client/cache.hpp"

namespace kactor::proxy {

/// The node whose pod CIDR holds `pod_ip` in `nodes` (a Node cache carrying
/// client::kNodePodCidrIndex): the longest matching prefix wins if ranges overlap, then the
/// first name. nullopt for an address no node's range holds, or one that is not IPv4.
std::optional<std::string> node_for_pod_ip(const client::Cache& nodes, const std::string& pod_ip);

}  // namespace kactor::proxy
