// Upstream's NodeRestriction admission and node authorizer for requests that arrive over a
// connection proven to be one or more nodes (docs/multi-host.md "Security"): reads pass the
// node authorizer's read rules (admit_node_read); a node may write its own Node (but not its
// taints, nor any kubernetes.io / k8s.io label that is not a kubelet label:
// api/types/node_labels.hpp), its own Lease (kube-node-lease/<name>), the status of pods bound
// to it, delete pods bound to it, evict them, write Events, and request tokens of the service
// accounts its pods run as, bound to those pods (admit_token_request); every other write is
// 403 Forbidden with upstream's message.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "actors/apiserver/protocol/protocol.hpp"
#include "actors/remote/tls/peer_identity.hpp"
#include "api/status.hpp"
#include "api/types/node.hpp"

namespace kactor::remote::tls {

/// What the gate does with a node's request.
struct NodeAdmission {
  enum class Decision {
    allow,      ///< forward it
    deny,       ///< answer `denial`
    check_pod,   ///< allowed if the stored pod `namespace_`/`name` is bound to one of the nodes
    check_node,  ///< an update or patch of its own Node: decided against the stored Node
                 ///< (admit_node_write)
    check_related,  ///< a read of a secret, configmap, PVC or PV: allowed if a pod bound to
                    ///< one of the nodes refers to it (related_read)
    check_token,    ///< a token request (serviceaccounts/<name>/token): decided against the
                    ///< namespace's pods (admit_token_request)
  };
  Decision decision = Decision::allow;
  api::Status denial;
};

/// Decides `request` from `node` (a node identity: node.is_node()); reads go to
/// admit_node_read.
NodeAdmission admit_node_request(const PeerIdentity& node, const apiserver::Request& request);

/// A node's read, from a get, a list or a watch.
struct NodeRead {
  std::string verb;  ///< "get", "list" or "watch"
  std::string group;
  std::string resource;
  std::string namespace_;
  /// The get's name; for a list or watch the value of its field selector's metadata.name
  /// term (how upstream names the one object a list or watch is about), else "".
  std::string name;
};
NodeRead node_read(const apiserver::Request& request);
NodeRead node_read(const apiserver::WatchRequest& request);

/// The node authorizer's read rules: the reads RBAC's system:node role grants (services, nodes,
/// pods, endpoints, its own Lease) plus system:node-proxier's (endpoints, endpointslices:
/// kactor's kube-proxy shares its node's connection); secrets and configmaps (get, or a list
/// or watch of one named object), PVCs and PVs (get) only through the graph (check_related);
/// every other read 403 with upstream's words and reasons.
NodeAdmission admit_node_read(const PeerIdentity& node, const NodeRead& read);

/// For Decision::check_related: nullopt when `related` (a pod bound to one of the nodes refers
/// to the object, or for a PV to the claim it is bound to), else the Forbidden to answer.
std::optional<api::Status> related_read(const PeerIdentity& node, const NodeRead& read,
                                        bool related);

/// For Decision::check_token, given the pods of the request's namespace: upstream's node
/// authorizer (a pod bound to one of the nodes runs as the service account), then
/// NodeRestriction (the token must be bound to such a pod, named with its uid: a node cannot
/// mint tokens that outlive its pods or belong to another node's). nullopt: forward it.
std::optional<api::Status> admit_token_request(const PeerIdentity& node,
                                               const apiserver::Request& request,
                                               const std::vector<api::ObjectPtr>& pods);

/// For Decision::check_pod: nullopt when the stored pod's spec.nodeName `pod_node_name` is one
/// of the nodes, else the Forbidden to answer.
std::optional<api::Status> admit_bound_pod(const PeerIdentity& node,
                                           const apiserver::Request& request,
                                           const std::string& pod_node_name);

/// What the gate does with a node's update or patch of its own Node, decided against the
/// stored Node `stored` (upstream's admitNode on update: taints unchanged, no forbidden label
/// added, removed or changed). Upstream compares with the object as stored, before it checks
/// the resourceVersion, so a stale write that touches taints is 403, not 409.
struct NodeWrite {
  /// Set: answer this and forward nothing.
  std::optional<api::Status> answer;
  /// Otherwise the update to forward. A patch becomes the update it amounts to (applied here
  /// as the API server would); either way the object carries `stored`'s resourceVersion, so
  /// the write lands only on the Node that was checked.
  apiserver::Request forward;
  /// The precondition is the gate's own (the request named none): a 409 means the Node changed
  /// after the gate read it, so read, check and forward again.
  bool retry_on_conflict = false;
};
/// `request` has already passed admit_node_request (it names one of the node's own Nodes).
NodeWrite admit_node_write(const apiserver::Request& request, const api::Node& stored);

}  // namespace kactor::remote::tls
