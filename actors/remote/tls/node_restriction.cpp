#include "actors/remote/tls/node_restriction.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <set>

#include "actors/apiserver/protocol/eviction_request.hpp"
#include "actors/apiserver/protocol/token_request.hpp"
#include "actors/remote/tls/pod_references.hpp"
#include "api/codec/object_codec.hpp"
#include "api/fields/selector.hpp"
#include "api/object.hpp"
#include "api/patch/patch.hpp"
#include "api/resource_version.hpp"
#include "api/types/authentication.hpp"
#include "api/types/node_labels.hpp"

namespace kactor::remote::tls {
namespace {

using apiserver::Request;
using apiserver::Verb;
using Decision = NodeAdmission::Decision;

/// The requesting node's name in upstream's messages: `a`; a connection holding several nodes
/// is named by its identity (`{a, b}`).
std::string node_name(const PeerIdentity& node) {
  if (node.nodes.size() == 1) return *node.nodes.begin();
  return node.describe().substr(std::string("system:node:").size());
}

/// NodeRestriction's wording: `node "a"`.
std::string requester(const PeerIdentity& node) {
  return fmt::format("node \"{}\"", node_name(node));
}

/// The object's name: a create's is its object's (what the API server stores, whatever the
/// request says, as upstream's admission reads it), any other request's its own.
std::string target_name(const Request& r) {
  if (r.verb == Verb::create && r.object) return r.object->metadata.name;
  return r.name;
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

/// The authorizer's denial, as upstream's RBAC words it, with the node authorizer's `reason`
/// when it has one.
NodeAdmission not_allowed(const PeerIdentity& node, const Request& r,
                          const std::string& reason = "") {
  auto scope = r.namespace_.empty() ? std::string("at the cluster scope")
                                    : fmt::format("in the namespace \"{}\"", r.namespace_);
  return {Decision::deny,
          forbid(r, fmt::format("User \"{}\" cannot {} resource \"{}\" in API group \"{}\" {}{}",
                                node.describe(), rbac_verb(r.verb), rbac_resource(r), r.group,
                                scope, reason.empty() ? "" : ": " + reason))};
}

NodeAdmission deny(const Request& r, const std::string& why) {
  return {Decision::deny, forbid(r, why)};
}

/// A token request is serviceaccounts/<name>/token to RBAC and to admission.
api::Status token_forbidden(const Request& r, const std::string& why) {
  return api::forbidden("serviceaccounts", r.name, why);
}

/// The authorizer's denial of a token request, with its `reason`.
NodeAdmission token_denied(const PeerIdentity& node, const Request& r, const std::string& reason) {
  return {Decision::deny,
          token_forbidden(r, fmt::format("User \"{}\" cannot create resource "
                                         "\"serviceaccounts/token\" in API group \"\" in the "
                                         "namespace \"{}\": {}",
                                         node.describe(), r.namespace_, reason))};
}

/// The node authorizer's wording: `'a'`.
std::string quoted_node(const PeerIdentity& node) { return fmt::format("'{}'", node_name(node)); }

}  // namespace

NodeAdmission admit_node_request(const PeerIdentity& node, const Request& r) {
  if (r.verb == Verb::get || r.verb == Verb::list) return admit_node_read(node, node_read(r));
  // No node binds pods or finalizes namespaces (RBAC's system:node role grants neither), nor
  // uses those verbs under its own Node's or Lease's name.
  if (r.verb == Verb::bind || r.verb == Verb::finalize) return not_allowed(node, r);
  const auto name = target_name(r);
  const bool own = node.nodes.count(name) > 0;
  if (r.group.empty() && r.resource == "nodes") {
    // Deleting a Node is no kubelet's business (RBAC's system:node role grants create, get,
    // list, watch, update and patch); the authorizer refuses it before admission looks.
    if (r.verb == Verb::remove) return not_allowed(node, r);
    if (!own)
      return deny(r, fmt::format("{} is not allowed to modify node \"{}\"", requester(node), name));
    switch (r.verb) {
      case Verb::create: {
        const auto* n = r.object ? api::as<api::Node>(*r.object) : nullptr;
        if (!n) return {};  // the API server answers 400 and stores nothing
        std::set<std::string> keys;
        for (const auto& [k, _] : n->metadata.labels) keys.insert(k);
        if (auto bad = api::forbidden_node_labels(keys); !bad.empty())
          return deny(r, fmt::format("node \"{}\" is not allowed to set the following labels: {}",
                                     name, api::join_labels(bad)));
        return {};
      }
      case Verb::update:
      case Verb::patch: return {Decision::check_node, {}};
      default:
        // A status write keeps spec and metadata as stored (Core::update), so it cannot touch
        // taints or labels.
        return {};
    }
  }
  if (r.group == "coordination.k8s.io" && r.resource == "leases") {
    if (r.namespace_ != "kube-node-lease")
      return not_allowed(node, r, "can only access leases in the \"kube-node-lease\" system namespace");
    if (own) return {};
    const std::string why = "can only access node lease with the same name as the requesting node";
    // A create names its lease only in its body, which admission sees and the authorizer
    // does not: upstream answers it in NodeRestriction's words, the rest in the authorizer's.
    if (r.verb == Verb::create) return deny(r, why);
    return not_allowed(node, r, why);
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
  if (apiserver::is_token_request(r)) {
    if (r.name.empty() || r.namespace_.empty())
      return token_denied(node, r, "can only create tokens for individual service accounts");
    return {Decision::check_token, {}};
  }
  if (apiserver::is_eviction_request(r)) return {Decision::check_pod, {}};
  if ((r.group.empty() || r.group == "events.k8s.io") && r.resource == "events" &&
      (r.verb == Verb::create || r.verb == Verb::update || r.verb == Verb::patch))
    return {};
  return not_allowed(node, r);
}

namespace {

/// The metadata.name term of a list's or watch's field selector, "" without one (or when the
/// selector does not parse: the API server answers that 400).
std::string named_by(const std::string& field_selector) {
  auto selector = api::fields::Selector::parse(field_selector);
  if (!selector) return {};
  return selector->exact("metadata.name").value_or("");
}

/// The node authorizer's denial: RBAC's words for the read, then its reason.
NodeAdmission read_denied(const PeerIdentity& node, const NodeRead& r, const std::string& reason) {
  auto scope = r.namespace_.empty() ? std::string("at the cluster scope")
                                    : fmt::format("in the namespace \"{}\"", r.namespace_);
  return {Decision::deny,
          api::forbidden(r.resource, r.name,
                         fmt::format("User \"{}\" cannot {} resource \"{}\" in API group \"{}\" {}{}",
                                     node.describe(), r.verb, r.resource, r.group, scope,
                                     reason.empty() ? "" : ": " + reason),
                         r.group)};
}

}  // namespace

NodeRead node_read(const Request& r) {
  NodeRead read{r.verb == Verb::get ? "get" : "list", r.group, r.resource, r.namespace_, r.name};
  if (r.verb != Verb::get) read.name = named_by(r.field_selector);
  return read;
}

NodeRead node_read(const apiserver::WatchRequest& w) {
  return NodeRead{"watch", w.group, w.resource, w.namespace_, named_by(w.field_selector)};
}

NodeAdmission admit_node_read(const PeerIdentity& node, const NodeRead& r) {
  const bool core = r.group.empty();
  // RBAC's system:node role, without 1.32's narrowing of nodes and pods to the node's own
  // (AuthorizeNodeWithSelectors): kactor's kube-proxy and the kubelet's request-load model
  // watch all of them over the node's connection. system:node-proxier's endpoints and
  // endpointslices for the same reason.
  if (core && (r.resource == "services" || r.resource == "nodes" || r.resource == "pods" ||
               r.resource == "endpoints"))
    return {};
  if (r.group == "discovery.k8s.io" && r.resource == "endpointslices") return {};
  if (r.group == "coordination.k8s.io" && r.resource == "leases") {
    if (r.verb != "get")
      return read_denied(node, r, "can only get, create, update, patch, or delete a node lease");
    if (r.namespace_ != "kube-node-lease")
      return read_denied(node, r,
                         "can only access leases in the \"kube-node-lease\" system namespace");
    if (!node.nodes.contains(r.name))
      return read_denied(node, r,
                         "can only access node lease with the same name as the requesting node");
    return {};
  }
  if (core && (r.resource == "secrets" || r.resource == "configmaps")) {
    if (r.namespace_.empty())
      return read_denied(node, r, "can only read namespaced object of this type");
    if (r.name.empty()) return read_denied(node, r, "No Object name found");
    return {Decision::check_related, {}};
  }
  if (core && (r.resource == "persistentvolumeclaims" || r.resource == "persistentvolumes")) {
    if (r.verb != "get")
      return read_denied(node, r, "can only get individual resources of this type");
    if (r.resource == "persistentvolumeclaims" && r.namespace_.empty())
      return read_denied(node, r, "can only read namespaced object of this type");
    if (r.name.empty()) return read_denied(node, r, "No Object name found");
    return {Decision::check_related, {}};
  }
  if (core && r.resource == "serviceaccounts")
    return read_denied(node, r, "can only create tokens for individual service accounts");
  return read_denied(node, r, "");
}

std::optional<api::Status> related_read(const PeerIdentity& node, const NodeRead& read,
                                        bool related) {
  if (related) return std::nullopt;
  return read_denied(node, read,
                     fmt::format("no relationship found between node {} and this object",
                                 quoted_node(node)))
      .denial;
}

std::optional<api::Status> admit_token_request(const PeerIdentity& node, const Request& r,
                                               const std::vector<api::ObjectPtr>& pods) {
  if (!referred_by_pod_on(node.nodes, pods, RelatedKind::service_account, r.name))
    return token_denied(node, r,
                        fmt::format("no relationship found between node {} and this object",
                                    quoted_node(node)))
        .denial;
  const auto* tr = r.object ? api::as<api::TokenRequest>(*r.object) : nullptr;
  if (!tr) return std::nullopt;  // the API server answers 400 and issues nothing
  const auto& ref = tr->spec.bound_object_ref;
  if (!ref || ref->api_version != "v1" || ref->kind != "Pod" || ref->name.empty())
    return token_forbidden(r, "node requested token not bound to a pod");
  if (ref->uid.empty())
    return token_forbidden(r, "node requested token with a pod binding without a uid");
  const api::Pod* pod = nullptr;
  for (const auto& o : pods)
    if (const auto* p = o ? api::as<api::Pod>(*o) : nullptr; p && p->metadata.name == ref->name)
      pod = p;
  if (!pod) return api::not_found("pod", ref->name);  // upstream's pod lister's words
  if (ref->uid != pod->metadata.uid)
    return token_forbidden(r, fmt::format("the UID in the bound object reference ({}) does not "
                                          "match the UID in record. The object might have been "
                                          "deleted and then recreated",
                                          ref->uid));
  if (!node.nodes.contains(pod->spec.node_name))
    return token_forbidden(r, "node requested token bound to a pod scheduled on a different node");
  return std::nullopt;
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

namespace {

/// A Node holding only `node`'s taints, for comparing them in their JSON form.
api::Node taints_of(const api::Node& node) {
  api::Node only;
  only.spec.taints = node.spec.taints;
  return only;
}

}  // namespace

NodeWrite admit_node_write(const Request& r, const api::Node& stored) {
  NodeWrite w;
  const auto name = stored.metadata.name;
  const auto& stored_rv = stored.metadata.resource_version;
  std::shared_ptr<api::Node> next;
  if (r.verb == Verb::patch) {
    auto patched = api::patch::apply_patch(r.patch_type, api::encode_json(stored), r.patch_body,
                                           api::Node::static_type().kind);
    if (!patched) {
      w.answer = patched.error();
      return w;
    }
    auto obj = api::decode_json(*patched, api::DecodeOptions{.strict = r.strict},
                                &api::Node::static_type());
    if (!obj) {
      w.answer = obj.error();
      return w;
    }
    next = std::make_shared<api::Node>(static_cast<const api::Node&>(**obj));
  } else {
    const auto* n = r.object ? api::as<api::Node>(*r.object) : nullptr;
    if (!n) {  // no object, or another kind: the API server answers 400 and stores nothing
      w.forward = r;
      return w;
    }
    next = std::make_shared<api::Node>(*n);
  }
  // Upstream's admitNode on update, against the Node as stored now. A Node that came through
  // JSON (a patch, applied to the stored Node's JSON) has its taints' timeAdded in whole
  // seconds while the store keeps the instant: compare them as JSON has them, and keep the
  // stored ones when they are the same.
  if (next->spec.taints != stored.spec.taints &&
      api::encode_json(taints_of(*next)) == api::encode_json(taints_of(stored)))
    next->spec.taints = stored.spec.taints;
  if (next->spec.taints != stored.spec.taints) {
    w.answer = forbid(r, fmt::format("node \"{}\" is not allowed to modify taints", name));
    return w;
  }
  auto bad = api::forbidden_node_labels(api::modified_labels(next->metadata.labels,
                                                             stored.metadata.labels));
  if (!bad.empty()) {
    w.answer = forbid(r, "is not allowed to modify labels: " + api::join_labels(bad));
    return w;
  }
  // The write may only land on the Node just checked. A precondition naming another version
  // is answered here: forwarded, it could commit an unchecked object once the Node reached
  // that (predictable) version.
  auto& rv = next->metadata.resource_version;
  if (rv.empty()) {
    rv = stored_rv;
    w.retry_on_conflict = true;
  } else if (rv != stored_rv) {
    w.answer = api::parse_resource_version(rv) ? api::conflict("nodes", next->metadata.name)
                                               : api::invalid_resource_version(rv);
    return w;
  } else {
    // A patch's resourceVersion is stored's own unless the patch set one (then a retry would
    // find it stale and answer 409 anyway, as upstream does).
    w.retry_on_conflict = r.verb == Verb::patch;
  }
  w.forward.verb = Verb::update;
  w.forward.resource = "nodes";
  w.forward.name = r.name.empty() ? name : r.name;
  w.forward.object = std::move(next);
  w.forward.dry_run = r.dry_run;
  w.forward.strict = r.strict;
  return w;
}

}  // namespace kactor::remote::tls
