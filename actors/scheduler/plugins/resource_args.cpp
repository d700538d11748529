// pluginConfig args of NodeResourcesFit and NodeResourcesBalancedAllocation: strict
// reading, upstream's v1 defaults (no resources: cpu and memory; weight 0: 1) and
// upstream's validation messages.
#include <fmt/format.h>

#include <cctype>
#include <set>

#include "actors/scheduler/config/strict_json.hpp"
#include "actors/scheduler/plugins/balanced_allocation.hpp"
#include "actors/scheduler/plugins/node_resources_fit.hpp"

namespace kactor::scheduler::plugins {

using config::check_object;
using config::child_path;
using config::index_path;
using config::invalid;

namespace {

api::Result<std::vector<ResourceSpec>> read_resources(const nlohmann::json& parent,
                                                      const std::string& path) {
  auto arr = config::read_array(parent, "resources", path);
  if (!arr) return api::fail(arr.error());
  std::vector<ResourceSpec> out;
  if (!*arr) return out;
  auto list_path = child_path(path, "resources");
  for (size_t i = 0; i < (*arr)->size(); ++i) {
    auto& item = (**arr)[i];
    auto item_path = index_path(list_path, i);
    if (auto r = check_object(item, item_path, {"name", "weight"}); !r) return api::fail(r.error());
    ResourceSpec spec;
    spec.weight = 0;
    if (auto r = config::read_string(item, "name", item_path, spec.name); !r)
      return api::fail(r.error());
    if (auto r = config::read_int(item, "weight", item_path, spec.weight); !r)
      return api::fail(r.error());
    if (spec.name.empty())
      return api::fail(config::field_error(child_path(item_path, "name"), "Required value"));
    if (spec.weight == 0) spec.weight = 1;  // v1 default
    out.push_back(std::move(spec));
  }
  return out;
}

api::Result<std::vector<UtilizationShapePoint>> read_shape(const nlohmann::json& rtcr,
                                                           const std::string& path) {
  if (auto r = check_object(rtcr, path, {"shape"}); !r) return api::fail(r.error());
  auto arr = config::read_array(rtcr, "shape", path);
  if (!arr) return api::fail(arr.error());
  std::vector<UtilizationShapePoint> shape;
  if (!*arr) return shape;
  auto shape_path = child_path(path, "shape");
  for (size_t i = 0; i < (*arr)->size(); ++i) {
    auto& item = (**arr)[i];
    auto item_path = index_path(shape_path, i);
    if (auto r = check_object(item, item_path, {"utilization", "score"}); !r)
      return api::fail(r.error());
    UtilizationShapePoint p;
    if (auto r = config::read_int(item, "utilization", item_path, p.utilization); !r)
      return api::fail(r.error());
    if (auto r = config::read_int(item, "score", item_path, p.score); !r)
      return api::fail(r.error());
    shape.push_back(p);
  }
  return shape;
}

api::Result<void> validate_resources(const std::vector<ResourceSpec>& resources,
                                     const std::string& path) {
  for (size_t i = 0; i < resources.size(); ++i) {
    auto& r = resources[i];
    if (r.weight <= 0 || r.weight > 100)
      return api::fail(invalid(child_path(index_path(path, i), "weight"), r.weight,
                               fmt::format("resource weight of {} not in valid range [1, 100]",
                                           r.name)));
  }
  return {};
}

api::Result<void> validate_shape(const std::vector<UtilizationShapePoint>& shape,
                                 const std::string& path) {
  if (shape.empty())
    return api::fail(config::field_error(path, "Required value: at least one point must be specified"));
  for (size_t i = 1; i < shape.size(); ++i)
    if (shape[i - 1].utilization >= shape[i].utilization)
      return api::fail(invalid(child_path(index_path(path, i), "utilization"),
                               shape[i].utilization,
                               "utilization values must be sorted in increasing order"));
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i].utilization < 0 || shape[i].utilization > 100)
      return api::fail(invalid(child_path(index_path(path, i), "utilization"),
                               shape[i].utilization, "not in valid range [0, 100]"));
    if (shape[i].score < 0 || shape[i].score > 10)
      return api::fail(invalid(child_path(index_path(path, i), "score"), shape[i].score,
                               "not in valid range [0, 10]"));
  }
  return {};
}

/// A label name: an optional DNS-subdomain prefix and "/", then 1-63 of [A-Za-z0-9-_.]
/// starting and ending alphanumeric (upstream ValidateLabelName, simplified).
bool is_label_name(const std::string& s) {
  auto name = s.substr(s.find('/') == std::string::npos ? 0 : s.find('/') + 1);
  if (name.empty() || name.size() > 63 || s.find('/') == 0) return false;
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  for (char c : name)
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

}  // namespace

api::Result<void> validate_node_resources_fit_args(const NodeResourcesFitArgs& args) {
  for (size_t i = 0; i < args.ignored_resources.size(); ++i)
    if (!is_label_name(args.ignored_resources[i]))
      return api::fail(invalid(index_path("ignoredResources", i), args.ignored_resources[i],
                               "name part must consist of alphanumeric characters, '-', '_' or '.'"));
  for (size_t i = 0; i < args.ignored_resource_groups.size(); ++i) {
    const auto& g = args.ignored_resource_groups[i];
    if (g.find('/') != std::string::npos)
      return api::fail(invalid(index_path("ignoredResourceGroups", i), g,
                               "resource group name can't contain '/'"));
    if (!is_label_name(g))
      return api::fail(invalid(index_path("ignoredResourceGroups", i), g,
                               "name part must consist of alphanumeric characters, '-', '_' or '.'"));
  }
  const auto& s = args.scoring_strategy;
  if (auto r = validate_resources(s.resources, "scoringStrategy.resources"); !r) return r;
  if (s.type == ScoringStrategyType::requested_to_capacity_ratio)
    return validate_shape(s.shape, "scoringStrategy.requestedToCapacityRatio.shape");
  return {};
}

api::Result<NodeResourcesFitArgs> parse_node_resources_fit_args(const nlohmann::json& j) {
  NodeResourcesFitArgs args;
  if (auto r = check_object(j, "", {"ignoredResources", "ignoredResourceGroups", "scoringStrategy"});
      !r)
    return api::fail(r.error());
  if (auto r = config::read_strings(j, "ignoredResources", "", args.ignored_resources); !r)
    return api::fail(r.error());
  if (auto r = config::read_strings(j, "ignoredResourceGroups", "", args.ignored_resource_groups);
      !r)
    return api::fail(r.error());
  if (j.is_object() && j.contains("scoringStrategy") && !j["scoringStrategy"].is_null()) {
    const auto& sj = j["scoringStrategy"];
    const std::string path = "scoringStrategy";
    if (auto r = check_object(sj, path, {"type", "resources", "requestedToCapacityRatio"}); !r)
      return api::fail(r.error());
    std::string type;
    if (auto r = config::read_string(sj, "type", path, type); !r) return api::fail(r.error());
    auto& s = args.scoring_strategy;
    if (type == "LeastAllocated")
      s.type = ScoringStrategyType::least_allocated;
    else if (type == "MostAllocated")
      s.type = ScoringStrategyType::most_allocated;
    else if (type == "RequestedToCapacityRatio")
      s.type = ScoringStrategyType::requested_to_capacity_ratio;
    else
      return api::fail(config::field_error(
          "scoringStrategy.type",
          fmt::format("Unsupported value: \"{}\": supported values: \"LeastAllocated\", "
                      "\"MostAllocated\", \"RequestedToCapacityRatio\"",
                      type)));
    auto resources = read_resources(sj, path);
    if (!resources) return api::fail(resources.error());
    if (!resources->empty()) s.resources = std::move(*resources);
    if (sj.contains("requestedToCapacityRatio") && !sj["requestedToCapacityRatio"].is_null()) {
      auto shape = read_shape(sj["requestedToCapacityRatio"], "scoringStrategy.requestedToCapacityRatio");
      if (!shape) return api::fail(shape.error());
      s.shape = std::move(*shape);
    }
  }
  if (auto r = validate_node_resources_fit_args(args); !r) return api::fail(r.error());
  return args;
}

api::Result<void> validate_balanced_allocation_args(const BalancedAllocationArgs& args) {
  std::set<std::string> seen;
  for (size_t i = 0; i < args.resources.size(); ++i) {
    const auto& r = args.resources[i];
    auto item = index_path("resources", i);
    if (!seen.insert(r.name).second)
      return api::fail(config::field_error(child_path(item, "name"),
                                           fmt::format("Duplicate value: \"{}\"", r.name)));
    if (r.weight != 1) return api::fail(invalid(child_path(item, "weight"), r.weight, "must be 1"));
  }
  return {};
}

api::Result<BalancedAllocationArgs> parse_balanced_allocation_args(const nlohmann::json& j) {
  BalancedAllocationArgs args;
  if (auto r = check_object(j, "", {"resources"}); !r) return api::fail(r.error());
  auto resources = read_resources(j, "");
  if (!resources) return api::fail(resources.error());
  if (!resources->empty()) args.resources = std::move(*resources);
  if (auto r = validate_balanced_allocation_args(args); !r) return api::fail(r.error());
  return args;
}

}  // namespace kactor::scheduler::plugins
