#include "actors/http/discovery.hpp"

#include "actors/http/body.hpp"

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/http/metrics_api.hpp"
#include "actors/http/self_reviews.hpp"
#include "actors/http/served_resources.hpp"

namespace kactor::http {
namespace {

using nlohmann::json;

json strings(std::span<const std::string_view> values) {
  json out = json::array();
  for (auto v : values) out.push_back(std::string(v));
  return out;
}

json strings(const std::vector<std::string>& values) {
  return json(values);
}

json gvk_json(const GroupVersionKind& gvk) {
  return {{"group", std::string(gvk.group)},
          {"version", std::string(gvk.version)},
          {"kind", std::string(gvk.kind)}};
}

/// {groupVersion, version}, as APIGroup lists its versions.
json version_for_discovery(const GroupVersion& gv) {
  return {{"groupVersion", gv.api_version()}, {"version", gv.version}};
}

/// A resource served from outside the registry of kinds: metrics.k8s.io (metrics-server's
/// API, which kube-apiserver lists as an aggregated group; its objects are made on request) and
/// the reviews a user makes about itself (answered at once, never stored).
struct ComputedResource {
  std::string_view name;
  std::string_view singular;  // metrics-server gives none
  std::string_view kind;
  bool namespaced = false;
  std::span<const std::string_view> verbs;
};

struct ComputedGroupVersion {
  GroupVersion gv;
  std::vector<ComputedResource> resources;  // sorted by name
};

const std::vector<ComputedGroupVersion>& computed_group_versions() {
  static const auto all = [] {
    std::vector<ComputedGroupVersion> out;
    ComputedGroupVersion metrics_gv{{metrics::kGroup, metrics::kVersion}, {}};
    for (const auto& r : metrics_resources())
      metrics_gv.resources.push_back({r.name, "", r.kind, r.namespaced, kMetricsVerbs});
    out.push_back(std::move(metrics_gv));
    for (const auto& r : review_resources()) {  // sorted by group and version
      GroupVersion gv{std::string(r.group), std::string(r.version)};
      if (!(out.back().gv == gv)) out.push_back({std::move(gv), {}});
      out.back().resources.push_back({r.name, r.singular, r.kind, false, kReviewVerbs});
    }
    return out;
  }();
  return all;
}

const ComputedGroupVersion* find_computed(std::string_view group, std::string_view version) {
  for (const auto& c : computed_group_versions())
    if (c.gv.group == group && c.gv.version == version) return &c;
  return nullptr;
}

/// The named groups with their versions (the first is the preferred one), sorted by name.
std::vector<std::pair<std::string, std::vector<GroupVersion>>> named_groups() {
  std::vector<std::pair<std::string, std::vector<GroupVersion>>> out;
  for (auto& gv : served_group_versions()) {
    if (gv.group.empty()) continue;
    if (out.empty() || out.back().first != gv.group) out.push_back({gv.group, {}});
    out.back().second.push_back(std::move(gv));
  }
  for (const auto& c : computed_group_versions()) {
    auto group = std::ranges::find(out, c.gv.group, [](const auto& g) { return g.first; });
    if (group == out.end()) out.push_back({c.gv.group, {c.gv}});
    else if (std::ranges::find(group->second, c.gv) == group->second.end()) group->second.push_back(c.gv);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

/// One legacy APIResource entry ({name, singularName, namespaced, [group, version,] kind, verbs,
/// ...}); empty short names and categories are left out (upstream's omitempty).
json legacy_resource(const api::TypeInfo& t) {
  json r = {{"name", t.resource},
            {"singularName", t.singular},
            {"namespaced", t.namespaced},
            {"kind", t.kind},
            {"verbs", strings(resource_verbs(t))}};
  if (!t.short_names.empty()) r["shortNames"] = strings(t.short_names);
  if (!t.categories.empty()) r["categories"] = strings(t.categories);
  return r;
}

/// A subresource as a legacy entry "<resource>/<sub>"; group and version only when they differ
/// from the list's (pods/eviction is policy/v1, deployments/scale autoscaling/v1).
json legacy_subresource(const api::TypeInfo& parent, const SubresourceInfo& sub,
                        std::string_view version) {
  const auto gvk = response_kind(sub, parent, version);
  json r = {{"name", parent.resource + "/" + std::string(sub.name)},
            {"singularName", ""},
            {"namespaced", parent.namespaced}};
  if (gvk.group != parent.group || gvk.version != version) {
    r["group"] = std::string(gvk.group);
    r["version"] = std::string(gvk.version);
  }
  r["kind"] = std::string(gvk.kind);
  r["verbs"] = strings(sub.verbs);
  return r;
}

json aggregated_resource(const api::TypeInfo& t, std::string_view version) {
  json r = {{"resource", t.resource},
            {"responseKind", gvk_json({t.group, version, t.kind})},
            {"scope", t.namespaced ? "Namespaced" : "Cluster"},
            {"singularResource", t.singular},
            {"verbs", strings(resource_verbs(t))}};
  if (!t.short_names.empty()) r["shortNames"] = strings(t.short_names);
  if (!t.categories.empty()) r["categories"] = strings(t.categories);
  json subs = json::array();
  for (const auto* sub : subresources_of(t))
    subs.push_back({{"subresource", std::string(sub->name)},
                    {"responseKind", gvk_json(response_kind(*sub, t, version))},
                    {"verbs", strings(sub->verbs)}});
  if (!subs.empty()) r["subresources"] = std::move(subs);
  return r;
}

json computed_legacy_resource(const ComputedResource& r) {
  return {{"name", std::string(r.name)},
          {"singularName", std::string(r.singular)},
          {"namespaced", r.namespaced},
          {"kind", std::string(r.kind)},
          {"verbs", strings(r.verbs)}};
}

json computed_aggregated_resource(const ComputedResource& r, const GroupVersion& gv) {
  return {{"resource", std::string(r.name)},
          {"responseKind", gvk_json({gv.group, gv.version, r.kind})},
          {"scope", r.namespaced ? "Namespaced" : "Cluster"},
          {"singularResource", std::string(r.singular)},
          {"verbs", strings(r.verbs)}};
}

json aggregated_version(const GroupVersion& gv) {
  json resources = json::array();
  if (const auto* computed = find_computed(gv.group, gv.version)) {
    for (const auto& r : computed->resources) resources.push_back(computed_aggregated_resource(r, gv));
  } else {
    for (const auto* t : kinds_of(gv.group, gv.version))
      resources.push_back(aggregated_resource(*t, gv.version));
  }
  return {{"version", gv.version}, {"resources", std::move(resources)}, {"freshness", "Current"}};
}

}  // namespace

bool accepts_aggregated_discovery(std::string_view accept) {
  for (const auto& range : parse_accept(accept))
    if (range.type == "application/json" && range.param("g") == "apidiscovery.k8s.io" &&
        range.param("v") == "v2" && range.param("as") == "APIGroupDiscoveryList" &&
        !range.refused())
      return true;
  return false;
}

json api_versions(std::string_view server_address) {
  return {{"kind", "APIVersions"},
          {"apiVersion", "v1"},
          {"versions", json::array({"v1"})},
          {"serverAddressByClientCIDRs",
           json::array({json{{"clientCIDR", "0.0.0.0/0"},
                             {"serverAddress", std::string(server_address)}}})}};
}

json api_group_list() {
  json groups = json::array();
  for (const auto& [name, versions] : named_groups()) {
    json vs = json::array();
    for (const auto& gv : versions) vs.push_back(version_for_discovery(gv));
    groups.push_back({{"name", name},
                      {"versions", std::move(vs)},
                      {"preferredVersion", version_for_discovery(versions.front())}});
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", std::move(groups)}};
}

std::optional<json> api_resource_list(std::string_view group, std::string_view version) {
  json resources = json::array();
  if (const auto* computed = find_computed(group, version)) {
    for (const auto& r : computed->resources) resources.push_back(computed_legacy_resource(r));
    return json{{"kind", "APIResourceList"},
                {"apiVersion", "v1"},
                {"groupVersion", computed->gv.api_version()},
                {"resources", std::move(resources)}};
  }
  const auto kinds = kinds_of(group, version);
  if (kinds.empty()) return std::nullopt;
  for (const auto* t : kinds) {
    resources.push_back(legacy_resource(*t));
    for (const auto* sub : subresources_of(*t))
      resources.push_back(legacy_subresource(*t, *sub, version));
  }
  // "pods" < "pods/binding" < "pods/status" < "podtemplates": upstream's order, by name.
  std::sort(resources.begin(), resources.end(), [](const json& a, const json& b) {
    return a.at("name").get<std::string>() < b.at("name").get<std::string>();
  });
  return json{
      {"kind", "APIResourceList"},
      {"apiVersion", "v1"},
      {"groupVersion", GroupVersion{std::string(group), std::string(version)}.api_version()},
      {"resources", std::move(resources)}};
}

json aggregated_discovery(bool core) {
  json items = json::array();
  if (core) {
    // The core group has no name: its metadata stays empty.
    json versions = json::array();
    for (const auto& gv : served_group_versions())
      if (gv.group.empty()) versions.push_back(aggregated_version(gv));
    items.push_back({{"metadata", json::object()}, {"versions", std::move(versions)}});
  } else {
    for (const auto& [name, gvs] : named_groups()) {
      json versions = json::array();
      for (const auto& gv : gvs) versions.push_back(aggregated_version(gv));
      items.push_back({{"metadata", {{"name", name}}}, {"versions", std::move(versions)}});
    }
  }
  return {{"kind", "APIGroupDiscoveryList"},
          {"apiVersion", "apidiscovery.k8s.io/v2"},
          {"metadata", json::object()},
          {"items", std::move(items)}};
}

}  // namespace kactor::http
