// GET /api/v1/nodes/<node>/proxy/stats/summary: the node's kubelet's Summary, as the kubelet's
// own /stats/summary writes it (upstream's stats/v1alpha1 JSON: usageNanoCores,
// workingSetBytes, ...), reached through kube-apiserver's node proxy. kactor proxies no other
// kubelet path.
#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include "actors/http/backend.hpp"
#include "actors/http/exchange.hpp"
#include "actors/http/kubelet_backend.hpp"
#include "actors/http/route.hpp"

namespace kactor::http {

/// A GET of nodes/<name>/proxy/<path> (route.rest is <path>): the node read (404 when it does
/// not exist), then its kubelet asked. `kubelets` may be null (503).
void serve_node_proxy(ApiBackend& backend, std::shared_ptr<KubeletBackend> kubelets,
                      const Route& route, const HttpRequest& request, ExchangePtr exchange);

/// The Summary in upstream's JSON: unset numbers and sections are left out (its omitempty).
nlohmann::ordered_json summary_json(const kubelet::Summary& summary);

/// The other way (what a remote kubelet's /stats/summary answered): fields it does not know
/// are ignored, as Go's decoder does; a document that is not a Summary is an error naming the
/// field at fault.
api::Result<kubelet::Summary> summary_from_json(const nlohmann::json& json);

}  // namespace kactor::http
