// The pods/log subresource (kubectl logs): the query checked, the pod read, its container
// chosen and checked, its node's kubelet asked; plain text back, or a chunked stream with
// `follow` that ends when the container stops or the client goes.
#pragma once

#include "actors/http/backend.hpp"
#include "actors/http/exchange.hpp"
#include "actors/http/kubelet_backend.hpp"
#include "actors/http/route.hpp"

namespace kactor::http {

/// Reads the query of GET .../pods/<pod>/log: a malformed value is a 400 naming the parameter,
/// a well-formed but wrong one a 422 as kube-apiserver's PodLogOptions validation words it.
api::Result<kubelet::PodLogOptions> parse_pod_log_options(const Query& query,
                                                          const std::string& pod);

/// Asks `kubelets` for `request`'s log on `node` and answers `exchange` with it: plain text, an
/// error Status, or (with options.follow) a chunked stream until the log ends or the client
/// goes. The one relay, shared by pods/log and the kubelet's own /containerLogs.
void relay_pod_log(KubeletBackend& kubelets, const std::string& node,
                   kubelet::PodLogRequest request, ExchangePtr exchange);

/// GET .../pods/<pod>/log. `kubelets` may be null (a server that reaches no kubelet: 503).
void serve_pod_logs(ApiBackend& backend, std::shared_ptr<KubeletBackend> kubelets,
                    const Route& route, ExchangePtr exchange);

}  // namespace kactor::http
