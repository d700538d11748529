#include "actors/http/metrics_api.hpp"

#include "actors/http/response.hpp"
#include "actors/http/tables/table.hpp"
#include "api/time/go_duration.hpp"
#include "api/time/rfc3339.hpp"

namespace kactor::http {
namespace {

using metrics::MetricsQuery;
using nlohmann::ordered_json;

constexpr MetricsResource kResources[] = {
    {"nodes", "NodeMetrics", false},
    {"pods", "PodMetrics", true},
};

std::string api_version() {
  return std::string(metrics::kGroup) + "/" + metrics::kVersion;
}

ordered_json usage_json(const api::ResourceList& usage) {
  ordered_json u = ordered_json::object();
  for (const auto& [name, q] : usage) u[name] = q.to_string();
  return u;
}

/// ObjectMeta as metrics-server fills it: name, namespace, creationTimestamp, labels.
ordered_json metadata_json(const std::string& name, const std::string& ns, TimePoint created,
                           const api::Labels& labels) {
  ordered_json m = {{"name", name}};
  if (!ns.empty()) m["namespace"] = ns;
  m["creationTimestamp"] = format_rfc3339(created);
  if (!labels.empty()) m["labels"] = labels;
  return m;
}

/// One Table row's `object` for ?includeObject (kubectl asks for Metadata).
ordered_json row_object(const ordered_json& object, tables::IncludeObject include) {
  if (include == tables::IncludeObject::object) return object;
  return {{"kind", "PartialObjectMetadata"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", object.at("metadata")}};
}

/// metrics-server's Table: Name, one column per resource (cpu, memory), Window; a pod's use is
/// the sum over its containers.
ordered_json table_json(const metrics::MetricsAnswer& a, bool nodes, tables::IncludeObject include,
                        const std::string& table_version) {
  ordered_json columns = ordered_json::array();
  auto column = [](const char* name, const char* format, const char* description) {
    return ordered_json{{"name", name},
                        {"type", "string"},
                        {"format", format},
                        {"description", description},
                        {"priority", 0}};
  };
  columns.push_back(column("Name", "name", "Name of the resource"));
  columns.push_back(column("cpu", "quantity", ""));
  columns.push_back(column("memory", "quantity", ""));
  columns.push_back(column("Window", "duration", ""));
  ordered_json rows = ordered_json::array();
  auto add_row = [&](const std::string& name, const api::ResourceList& usage, Duration window,
                     ordered_json object) {
    auto cell = [&](const char* r) {
      auto it = usage.find(r);
      return it == usage.end() ? api::Quantity().to_string() : it->second.to_string();
    };
    ordered_json row = {
        {"cells", {name, cell("cpu"), cell("memory"), format_go_duration(window)}}};
    if (include != tables::IncludeObject::none) row["object"] = row_object(object, include);
    rows.push_back(std::move(row));
  };
  if (nodes) {
    for (const auto& n : a.nodes) add_row(n.name, n.usage, n.window, node_metrics_json(n));
  } else {
    for (const auto& p : a.pods) {
      api::ResourceList total;
      for (const auto& c : p.containers)
        for (const auto& [r, q] : c.usage) total[r] += q;
      add_row(p.name, total, p.window, pod_metrics_json(p));
    }
  }
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/" + table_version},
          {"metadata", ordered_json::object()},
          {"columnDefinitions", std::move(columns)},
          {"rows", std::move(rows)}};
}

HttpResponse json_response(const ordered_json& doc) {
  return HttpResponse{200, "application/json", doc.dump(), {}};
}

}  // namespace

std::span<const MetricsResource> metrics_resources() {
  return kResources;
}

bool is_metrics_route(const Route& route) {
  return route.kind == Route::Kind::resource && route.group == metrics::kGroup;
}

ordered_json node_metrics_json(const metrics::NodeMetrics& m) {
  return {{"kind", "NodeMetrics"},
          {"apiVersion", api_version()},
          {"metadata", metadata_json(m.name, "", m.creation_timestamp, m.labels)},
          {"timestamp", format_rfc3339(m.timestamp)},
          {"window", format_go_duration(m.window)},
          {"usage", usage_json(m.usage)}};
}

ordered_json pod_metrics_json(const metrics::PodMetrics& m) {
  ordered_json containers = ordered_json::array();
  for (const auto& c : m.containers)
    containers.push_back({{"name", c.name}, {"usage", usage_json(c.usage)}});
  return {{"kind", "PodMetrics"},
          {"apiVersion", api_version()},
          {"metadata", metadata_json(m.name, m.namespace_, m.creation_timestamp, m.labels)},
          {"timestamp", format_rfc3339(m.timestamp)},
          {"window", format_go_duration(m.window)},
          {"containers", std::move(containers)}};
}

void serve_metrics(MetricsBackend* backend, const Route& route, const HttpRequest& request,
                   ExchangePtr exchange) {
  auto fail = [&](const api::Status& s) { exchange->respond(status_response(s)); };
  const MetricsResource* resource = nullptr;
  for (const auto& r : kResources)
    if (r.name == route.resource) resource = &r;
  if (route.version != metrics::kVersion || !resource || !route.subresource.empty() ||
      (!resource->namespaced && !route.namespace_.empty()) ||
      (resource->namespaced && route.namespace_.empty() && !route.name.empty()))
    return fail(route_not_found());
  if (request.method != "GET" && request.method != "HEAD") return fail(method_not_allowed());
  auto watch = route.query.find("watch");
  if (watch != route.query.end() && (watch->second == "true" || watch->second == "1"))
    return fail(method_not_allowed());  // metrics-server's API has no watch (verbs: get, list)
  tables::IncludeObject include = tables::IncludeObject::metadata;
  if (auto it = route.query.find("includeObject"); it != route.query.end()) {
    auto parsed = tables::parse_include_object(it->second);
    if (!parsed) return fail(parsed.error());
    include = *parsed;
  }
  if (!backend)
    return fail(api::service_unavailable("the server is currently unable to handle the request"));

  MetricsQuery q;
  const bool nodes = !resource->namespaced;
  q.resource = nodes ? MetricsQuery::Resource::nodes : MetricsQuery::Resource::pods;
  q.namespace_ = route.namespace_;
  q.name = route.name;
  if (auto it = route.query.find("labelSelector"); it != route.query.end())
    q.label_selector = it->second;
  if (auto it = route.query.find("fieldSelector"); it != route.query.end())
    q.field_selector = it->second;
  const auto format = response_format(request.accept, "");
  const bool one = !route.name.empty();
  backend->query(std::move(q), [exchange, nodes, one, format, include](metrics::MetricsAnswer a) {
    if (a.error) return exchange->respond(status_response(*a.error));
    if (format.table)
      return exchange->respond(json_response(table_json(a, nodes, include, format.table_version)));
    if (one) {
      if (nodes && !a.nodes.empty())
        return exchange->respond(json_response(node_metrics_json(a.nodes[0])));
      if (!nodes && !a.pods.empty())
        return exchange->respond(json_response(pod_metrics_json(a.pods[0])));
      return exchange->respond(
          status_response(api::internal_error("the metrics server answered no object")));
    }
    ordered_json items = ordered_json::array();
    if (nodes)
      for (const auto& n : a.nodes) items.push_back(node_metrics_json(n));
    else
      for (const auto& p : a.pods) items.push_back(pod_metrics_json(p));
    exchange->respond(json_response({{"kind", nodes ? "NodeMetricsList" : "PodMetricsList"},
                                     {"apiVersion", api_version()},
                                     {"metadata", ordered_json::object()},
                                     {"items", std::move(items)}}));
  });
}

}  // namespace kactor::http
