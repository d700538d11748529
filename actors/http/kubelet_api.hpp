// The kubelet's own HTTPS API, as upstream's kubelet serves it on port 10250: /healthz, /pods,
// /stats/summary, /containerLogs/<ns>/<pod>/<container>, /metrics and /metrics/resource, each
// request authorized (kubelet_authz.hpp) when its user is authenticated. One listener serves
// every node of its process (`kactor node --count N`): a request names its node by the TLS
// server name (SNI), as kube-apiserver's connection to a kubelet names the node's host; a
// listener with one node also serves requests without one. docs/kubelet.md has the details.
// No CAF here: the kubelets are reached through a KubeletBackend.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/http/exchange.hpp"
#include "actors/http/kubelet_authz.hpp"
#include "actors/http/kubelet_backend.hpp"
#include "api/types/pod.hpp"

namespace kactor::http {

/// What the kubelet API answers from.
struct KubeletApiSources {
  /// The nodes this listener serves (a `kactor node` process's, fixed at its start).
  std::vector<std::string> nodes;
  /// The pods bound to a node, as the process's Pod informer has them (upstream's kubelet
  /// answers /pods from its pod manager, which is fed from the API server too). Called from
  /// the server's threads.
  std::function<std::vector<std::shared_ptr<const api::Pod>>(const std::string& node)> pods_on;
  /// The kubelets' logs and summaries (in process: a CafKubeletBackend).
  std::shared_ptr<KubeletBackend> kubelets;
};

class KubeletApiHandler {
 public:
  /// `authorize`: asked about every authenticated request but /healthz (kubelet_authz.hpp);
  /// empty: everything is allowed (upstream's AlwaysAllow, a kubelet without
  /// --client-ca-file, whose requests are all anonymous).
  explicit KubeletApiHandler(KubeletApiSources sources, KubeletAuthorizer authorize = {});
  /// Answers one request (any thread). Errors are Status documents: 404 for an unknown path,
  /// node or pod, 405 for a method other than GET/HEAD, 400 for a bad log query; but a
  /// request its user may not make is upstream's plain-text 403 (kubelet_forbidden_message).
  void handle(HttpRequest request, ExchangePtr exchange) const;

 private:
  KubeletApiSources sources_;
  KubeletAuthorizer authorize_;
};

}  // namespace kactor::http
