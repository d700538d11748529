// metrics.k8s.io/v1beta1 as kube-apiserver serves metrics-server's aggregated API (what
// `kubectl top` reads): nodes (NodeMetrics, cluster-scoped) and pods (PodMetrics, namespaced),
// get and list with label and field selectors, JSON as metrics-server writes it, or a Table
// (Name, cpu, memory, Window) when the client asks for one. Discovery lists the group from
// metrics_resources().
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include <nlohmann/json.hpp>

#include "actors/http/exchange.hpp"
#include "actors/http/metrics_backend.hpp"
#include "actors/http/route.hpp"

namespace kactor::http {

/// A resource of metrics.k8s.io/v1beta1, as discovery lists it (verbs get and list).
struct MetricsResource {
  std::string_view name;  // "nodes"
  std::string_view kind;  // "NodeMetrics"
  bool namespaced = false;
};

/// nodes and pods, sorted by name.
std::span<const MetricsResource> metrics_resources();
inline constexpr std::string_view kMetricsVerbs[] = {"get", "list"};

/// True for a route into the metrics.k8s.io group (any version).
bool is_metrics_route(const Route& route);

/// Serves a request to the metrics.k8s.io group. `backend` may be null (no metrics server:
/// 503, as kube-apiserver answers for an aggregated API whose server is unavailable).
void serve_metrics(MetricsBackend* backend, const Route& route, const HttpRequest& request,
                   ExchangePtr exchange);

/// The JSON documents, as metrics-server writes them.
nlohmann::ordered_json node_metrics_json(const metrics::NodeMetrics& m);
nlohmann::ordered_json pod_metrics_json(const metrics::PodMetrics& m);

}  // namespace kactor::http
