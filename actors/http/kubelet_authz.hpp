// Authorization of the kubelet's HTTPS API (docs/multi-host.md, "Who may use the kubelet
// API"). Upstream's kubelet turns each request into the attributes of an API request on its
// Node — verb from the HTTP method, resource `nodes`, name the node, a subresource from the
// path — and asks its authorizer (a SubjectAccessReview, RBAC behind it). kactor has no RBAC:
// StaticKubeletAuthorizer stands in for the bindings upstream's defaults (and kubeadm) create.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "actors/http/exchange.hpp"  // UserInfo

namespace kactor::http {

/// What a request to the kubelet API asks to do, as upstream's nodeAuthorizerAttributesGetter
/// builds it (apiVersion v1, no namespace, no API group).
struct KubeletRequestAttributes {
  std::string user;
  /// get, create, update, patch, delete; empty for a method upstream maps to none.
  std::string verb;
  std::string resource = "nodes";
  /// The node the request is for.
  std::string name;
  /// stats, metrics, log, checkpoint or proxy (everything else).
  std::string subresource;
  bool operator==(const KubeletRequestAttributes&) const = default;
};

/// The API verb of an HTTP method: GET and HEAD get, POST create, PUT update, PATCH patch,
/// DELETE delete; anything else none (""). (Upstream maps HEAD to none; kactor reads HEAD as
/// get, what it is.)
std::string kubelet_api_verb(std::string_view method);

/// The subresource a path is authorized as, upstream 1.32's mapping: /stats/* stats,
/// /metrics/* metrics, /logs/* log (the node's logs; /containerLogs is not under it),
/// /checkpoint/* checkpoint, every other path (/pods, /containerLogs, /healthz, ...) proxy.
std::string kubelet_api_subresource(std::string_view path);

/// The attributes of `method` on `path` (no query) by `user`, for node `node`.
KubeletRequestAttributes kubelet_request_attributes(const UserInfo& user,
                                                    std::string_view method,
                                                    std::string_view path,
                                                    const std::string& node);

/// Upstream's 403 text: `Forbidden (user=<u>, verb=<v>, resource=nodes, subresource=<s>)`.
std::string kubelet_forbidden_message(const KubeletRequestAttributes& attributes);

/// Decides whether `user` may do what `attributes` ask. Called on the server's threads.
using KubeletAuthorizer =
    std::function<bool(const UserInfo& user, const KubeletRequestAttributes& attributes)>;

/// Upstream's default bindings, fixed:
///  - group system:masters: everything (cluster-admin);
///  - user kube-apiserver-kubelet-client, the API server's identity towards kubelets
///    (kKubeletClientCommonName in pki.hpp; kubeadm binds system:kubelet-api-admin to it): every verb
///    on nodes/proxy, nodes/stats, nodes/metrics, nodes/log and nodes/spec;
///  - anyone else (nodes, the controller manager, the scheduler, other users): nothing.
bool static_kubelet_authorizer(const UserInfo& user, const KubeletRequestAttributes& attributes);

}  // namespace kactor::http
