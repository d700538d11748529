#include "actors/http/kubelet_api.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "actors/http/kubelet_resource_metrics.hpp"
#include "actors/http/logs.hpp"
#include "actors/http/response.hpp"
#include "actors/http/route.hpp"
#include "actors/http/stats_summary.hpp"

namespace kactor::http {
namespace {

/// The Prometheus text exposition format's content type.
constexpr const char* kPrometheusText = "text/plain; version=0.0.4; charset=utf-8";

api::Status not_found(std::string message) {
  return api::Status{404, "NotFound", std::move(message), {}};
}

/// The node a request is for: its SNI, or the only node of a one-node listener.
api::Result<std::string> node_of(const HttpRequest& request,
                                 const std::vector<std::string>& nodes) {
  if (!request.server_name.empty()) {
    if (std::find(nodes.begin(), nodes.end(), request.server_name) == nodes.end())
      return api::fail(
          not_found(fmt::format("node \"{}\" is not served here", request.server_name)));
    return request.server_name;
  }
  if (nodes.size() == 1) return nodes.front();
  return api::fail(not_found(fmt::format(
      "{} nodes are served here: name the node as the TLS server name (SNI)", nodes.size())));
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

HttpResponse pod_list(const std::vector<std::shared_ptr<const api::Pod>>& pods) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& p : pods) items.push_back(encode_for(*p, ResponseFormat{}));
  nlohmann::json list = {{"kind", "PodList"},
                         {"apiVersion", "v1"},
                         {"metadata", nlohmann::json::object()},
                         {"items", std::move(items)}};
  return HttpResponse{200, "application/json", list.dump(), {}};
}

/// A small Prometheus page about one node's kubelet (upstream's kubelet_node_name,
/// kubelet_running_pods, kubelet_running_containers).
HttpResponse metrics_page(const std::string& node,
                          const std::vector<std::shared_ptr<const api::Pod>>& pods) {
  size_t running_pods = 0, running_containers = 0;
  for (const auto& p : pods) {
    if (p->status.phase != "Running") continue;
    ++running_pods;
    for (const auto& c : p->status.container_statuses)
      if (c.state.running) ++running_containers;
  }
  std::string text;
  text += "# HELP kubelet_node_name The node's name. The count is always 1.\n";
  text += "# TYPE kubelet_node_name gauge\n";
  text += fmt::format("kubelet_node_name{{node=\"{}\"}} 1\n", node);
  text += "# HELP kubelet_running_pods Number of pods that have a running pod sandbox\n";
  text += "# TYPE kubelet_running_pods gauge\n";
  text += fmt::format("kubelet_running_pods {}\n", running_pods);
  text += "# HELP kubelet_running_containers Number of containers currently running\n";
  text += "# TYPE kubelet_running_containers gauge\n";
  text += fmt::format("kubelet_running_containers{{container_state=\"running\"}} {}\n",
                      running_containers);
  return HttpResponse{200, kPrometheusText, std::move(text), {}};
}

}  // namespace

KubeletApiHandler::KubeletApiHandler(KubeletApiSources sources, KubeletAuthorizer authorize)
    : sources_(std::move(sources)), authorize_(std::move(authorize)) {}

void KubeletApiHandler::handle(HttpRequest request, ExchangePtr exchange) const {
  auto route = parse_route(request.target);
  if (!route) return exchange->respond(status_response(route.error()));
  const auto parts = split_path(route->path);
  // The listener's health, whichever node (if any) the request names, to anyone: it tells
  // nothing but "ok" (upstream authorizes it as nodes/proxy; docs/multi-host.md).
  const bool read = request.method == "GET" || request.method == "HEAD";
  if (read && parts.size() == 1 && parts[0] == "healthz")
    return exchange->respond(HttpResponse{200, "text/plain; charset=utf-8", "ok", {}});
  // The node first: the attributes name it.
  auto node = node_of(request, sources_.nodes);
  if (!node) return exchange->respond(status_response(node.error()));
  // As upstream's filter, before any routing: whatever the path or method, a user who may
  // not is told 403, not whether the path exists.
  if (authorize_ && request.user) {
    auto attributes = kubelet_request_attributes(*request.user, request.method, route->path, *node);
    if (!authorize_(*request.user, attributes))
      return exchange->respond(HttpResponse{403, "text/plain; charset=utf-8",
                                            kubelet_forbidden_message(attributes), {}});
  }
  if (!read)
    return exchange->respond(status_response(api::Status{
        405, "MethodNotAllowed", "the kubelet API serves GET only, not " + request.method, {}}));
  auto pods = [&] {
    return sources_.pods_on ? sources_.pods_on(*node)
                            : std::vector<std::shared_ptr<const api::Pod>>{};
  };
  if (parts.size() == 1 && parts[0] == "pods") return exchange->respond(pod_list(pods()));
  if (parts.size() == 1 && parts[0] == "metrics")
    return exchange->respond(metrics_page(*node, pods()));
  if (parts.size() == 2 && parts[0] == "metrics" && parts[1] == "resource") {
    // As upstream's collector: a summary that cannot be had is scrape_error 1 on a 200 page.
    auto answer = [exchange](const api::Result<kubelet::Summary>& s) {
      exchange->respond(HttpResponse{200, kPrometheusText, resource_metrics_text(s), {}});
    };
    if (!sources_.kubelets)
      return answer(api::fail(api::service_unavailable("no kubelet is reachable")));
    return sources_.kubelets->summary(*node, std::move(answer));
  }
  if (parts.size() == 2 && parts[0] == "stats" && parts[1] == "summary") {
    if (!sources_.kubelets)
      return exchange->respond(
          status_response(api::service_unavailable("no kubelet is reachable")));
    return sources_.kubelets->summary(*node, [exchange](api::Result<kubelet::Summary> s) {
      if (!s) return exchange->respond(status_response(s.error()));
      exchange->respond(HttpResponse{200, "application/json", summary_json(*s).dump(), {}});
    });
  }
  if (parts.size() == 4 && parts[0] == "containerLogs") {
    const auto& ns = parts[1];
    const auto& name = parts[2];
    auto options = parse_pod_log_options(route->query, name);
    if (!options) return exchange->respond(status_response(options.error()));
    options->container = parts[3];
    std::shared_ptr<const api::Pod> pod;
    for (auto& p : pods())
      if (p->metadata.namespace_ == ns && p->metadata.name == name) pod = p;
    if (!pod)
      return exchange->respond(status_response(
          not_found(fmt::format("pod \"{}/{}\" is not on node \"{}\"", ns, name, *node))));
    auto target = kubelet::pod_log_container(*pod, *options);
    if (!target) return exchange->respond(status_response(target.error()));
    if (!sources_.kubelets)
      return exchange->respond(
          status_response(api::service_unavailable("no kubelet is reachable")));
    kubelet::PodLogRequest log;
    log.pod_namespace = ns;
    log.pod_name = name;
    log.pod_uid = pod->metadata.uid;
    log.options = *options;
    log.container_id = target->container_id;
    return relay_pod_log(*sources_.kubelets, *node, std::move(log), exchange);
  }
  exchange->respond(status_response(
      not_found(fmt::format("the kubelet API serves no \"{}\"", route->path))));
}

}  // namespace kactor::http
