#include "actors/remote/tls/node_restriction.hpp"

#include <fmt/format.h>

#include "actors/apiserver/protocol/eviction_request.hpp"
#include "api/object.hpp"

namespace kactor::remote::tls {
namespace {

using apiserver::Request;
using apiserver::Verb;
using Decision = NodeAdmission::Decision;

/// How upstream's messages name the requesting node: `node "a"`; a connection holding several
/// nodes is named by its identity.
std::string requester(const PeerIdentity& node) {
  if (node.nodes.size() == 1) return fmt::format("node \"{}\"", *node.nodes.begin());
  return fmt::format("node \"{}\"", node.describe().substr(std::string("system:node:").size()));
}

/// The object's name: the request's, or for a create the object's own.
std::string target_name(const Request& r) {
  if (!r.name.empty() || !r.object) return r.name;
  return r.object->metadata.name;
}

bool is_status_write(Verb v) { return v == Verb::update_status || v == Verb::patch_status; }

/// RBAC's verb for a request.
std::string rbac_verb(Verb v) {
  switch (v) {
    case Verb::get: return "get";
    case Verb::list: return "list";
    case Verb::create:
    case Verb::bind: return "create";
    case Verb::update:
    case Verb::update_status:
    case Verb::finalize: return "update";
    case Verb::patch:
    case Verb::patch_status: return "patch";
    case Verb::remove: return "delete";
  }
  return "update";
}

/// RBAC's resource (with its subresource) for a request.
std::string rbac_resource(const Request& r) {
  if (is_status_write(r.verb)) return r.resource + "/status";
  if (r.verb == Verb::bind) return r.resource + "/binding";
  if (r.verb == Verb::finalize) return r.resource + "/finalize";
  return r.resource;
}

api::Status forbid(const Request& r, const std::string& why) {
  return api::forbidden(r.resource, target_name(r), why, r.group);
}

/// The authorizer's denial, as upstream's RBAC words it.
NodeAdmission not_allowed(const PeerIdentity& node, const Request& r) {
  auto scope = r.namespace_.empty() ? std::string("at the cluster scope")
                                    : fmt::format("in the namespace \"{}\"", r.namespace_);
  return {Decision::deny,
          forbid(r, fmt::format("User \"{}\" cannot {} resource \"{}\" in API group \"{}\" {}",
                                node.describe(), rbac_verb(r.verb), rbac_resource(r), r.group,
                                scope))};
}

NodeAdmission deny(const Request& r, const std::string& why) {
  return {Decision::deny, forbid(r, why)};
}

}  // namespace

NodeAdmission admit_node_request(const PeerIdentity& node, const Request& r) {
  if (r.verb == Verb::get || r.verb == Verb::list) return {};
  const auto name = target_name(r);
  const bool own = node.nodes.count(name) > 0;
  if (r.group.empty() && r.resource == "nodes") {
    // Its own Node, but no subresource other than status (nodes/binding, nodes/finalize do
    // not exist; RBAC's system:node role grants neither).
    if (r.verb == Verb::bind || r.verb == Verb::finalize) return not_allowed(node, r);
    if (own) return {};
    return deny(r, fmt::format("{} is not allowed to modify node \"{}\"", requester(node), name));
  }
  if (r.group == "coordination.k8s.io" && r.resource == "leases" &&
      r.namespace_ == "kube-node-lease") {
    if (own && r.verb != Verb::bind && r.verb != Verb::finalize) return {};
    return deny(r, "can only access node lease with the same name as the requesting node");
  }
  if (r.group.empty() && r.resource == "pods") {
    if (is_status_write(r.verb) || r.verb == Verb::remove)
      return {Decision::check_pod, {}};
    if (r.verb == Verb::create)
      return deny(r, fmt::format("pod does not have \"kubernetes.io/config.mirror\" annotation, "
                                 "{} can only create mirror pods",
                                 requester(node)));
    return not_allowed(node, r);
  }
  if (apiserver::is_eviction_request(r)) return {Decision::check_pod, {}};
  if ((r.group.empty() || r.group == "events.k8s.io") && r.resource == "events" &&
      (r.verb == Verb::create || r.verb == Verb::update || r.verb == Verb::patch))
    return {};
  return not_allowed(node, r);
}

std::optional<api::Status> admit_bound_pod(const PeerIdentity& node, const Request& r,
                                           const std::string& pod_node_name) {
  if (node.nodes.count(pod_node_name) > 0) return std::nullopt;
  std::string what = apiserver::is_eviction_request(r) ? "evict pods"
                     : r.verb == Verb::remove          ? "delete pods"
                                                       : "update pod status for pods";
  return api::forbidden("pods", r.name,
                        fmt::format("{} can only {} with spec.nodeName set to itself",
                                    requester(node), what));
}

}  // namespace kactor::remote::tls
