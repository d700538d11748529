// Upstream's NodeRestriction admission (with the node authorizer's write rules) for requests
// that arrive over a connection proven to be one or more nodes (docs/multi-host.md "Security"):
// a node may write its own Node, its own Lease (kube-node-lease/<name>), the status of pods
// bound to it, delete pods bound to it, evict them, and write Events; reads pass; every other
// write is 403 Forbidden with upstream's message.
#pragma once

#include <optional>
#include <string>

#include "actors/apiserver/protocol/protocol.hpp"
#include "actors/remote/tls/peer_identity.hpp"
#include "api/status.hpp"

namespace kactor::remote::tls {

/// What the gate does with a node's request.
struct NodeAdmission {
  enum class Decision {
    allow,      ///< forward it
    deny,       ///< answer `denial`
    check_pod,  ///< allowed if the stored pod `namespace_`/`name` is bound to one of the nodes
  };
  Decision decision = Decision::allow;
  api::Status denial;
};

/// Decides `request` from `node` (a node identity: node.is_node()).
NodeAdmission admit_node_request(const PeerIdentity& node, const apiserver::Request& request);

/// For Decision::check_pod: nullopt when the stored pod's spec.nodeName `pod_node_name` is one
/// of the nodes, else the Forbidden to answer.
std::optional<api::Status> admit_bound_pod(const PeerIdentity& node,
                                           const apiserver::Request& request,
                                           const std::string& pod_node_name);

}  // namespace kactor::remote::tls
