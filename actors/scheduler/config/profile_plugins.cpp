#include "actors/scheduler/config/profile_plugins.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "actors/scheduler/config/strict_json.hpp"
#include "actors/scheduler/plugins/registry.hpp"

namespace kactor::scheduler::config {
namespace {

/// The extension points a profile may name, with their bit (0: accepted for
/// compatibility, but kactor has no configurable plugins there).
struct Point {
  std::string_view key;
  uint32_t bit;
};
constexpr Point kPoints[] = {
    {"preEnqueue", 0},
    {"queueSort", 0},
    {"preFilter", extension_point::pre_filter},
    {"filter", extension_point::filter},
    {"postFilter", extension_point::post_filter},
    {"preScore", extension_point::pre_score},
    {"score", extension_point::score},
    {"reserve", extension_point::reserve},
    {"permit", extension_point::permit},
    {"preBind", 0},
    {"bind", extension_point::bind},
    {"postBind", 0},
};

/// Upstream plugins kactor does not implement (no volumes, no DRA; the queue sorts by
/// priority itself). Disabling them is a no-op; enabling them is an error.
bool is_unimplemented_upstream_plugin(std::string_view name) {
  static const std::set<std::string_view> names = {
      "PrioritySort",   "SchedulingGates",     "VolumeRestrictions", "VolumeBinding",
      "VolumeZone",     "NodeVolumeLimits",    "EBSLimits",          "GCEPDLimits",
      "AzureDiskLimits", "CinderLimits",       "DynamicResources",
  };
  return names.contains(name);
}

struct Enabled {
  std::string name;
  std::optional<int64_t> weight;
};

struct PluginSet {
  std::vector<Enabled> enabled;
  std::set<std::string, std::less<>> disabled;  // may hold "*"
};

api::Result<PluginSet> read_plugin_set(const nlohmann::json& j, const std::string& path,
                                       bool allow_weight) {
  PluginSet set;
  if (auto r = check_object(j, path, {"enabled", "disabled"}); !r) return api::fail(r.error());
  auto enabled = read_array(j, "enabled", path);
  if (!enabled) return api::fail(enabled.error());
  if (*enabled) {
    for (size_t i = 0; i < (*enabled)->size(); ++i) {
      auto& item = (**enabled)[i];
      auto item_path = index_path(child_path(path, "enabled"), i);
      if (auto r = check_object(item, item_path, {"name", "weight"}); !r) return api::fail(r.error());
      Enabled e;
      if (auto r = read_string(item, "name", item_path, e.name); !r) return api::fail(r.error());
      if (auto r = read_int(item, "weight", item_path, e.weight); !r) return api::fail(r.error());
      auto name_path = child_path(item_path, "name");
      if (e.name.empty()) return api::fail(field_error(name_path, "Required value"));
      if (!plugins::find_plugin(e.name)) {
        if (is_unimplemented_upstream_plugin(e.name))
          return api::fail(invalid(name_path, e.name, "plugin is not implemented by kactor"));
        return api::fail(invalid(name_path, e.name, fmt::format("plugin \"{}\" does not exist", e.name)));
      }
      if (e.weight) {
        auto weight_path = child_path(item_path, "weight");
        if (!allow_weight)
          return api::fail(invalid(weight_path, *e.weight,
                                   "weights are only for score and multiPoint plugins"));
        // v1 weights are int32; the framework keeps the total below MaxInt64 / 100.
        if (*e.weight < 0 || *e.weight > std::numeric_limits<int32_t>::max())
          return api::fail(invalid(weight_path, *e.weight, "must be in the range [0, 2147483647]"));
      }
      for (auto& seen : set.enabled)
        if (seen.name == e.name)
          return api::fail(field_error(name_path, fmt::format("Duplicate value: \"{}\"", e.name)));
      set.enabled.push_back(std::move(e));
    }
  }
  auto disabled = read_array(j, "disabled", path);
  if (!disabled) return api::fail(disabled.error());
  if (*disabled) {
    for (size_t i = 0; i < (*disabled)->size(); ++i) {
      auto& item = (**disabled)[i];
      auto item_path = index_path(child_path(path, "disabled"), i);
      if (auto r = check_object(item, item_path, {"name", "weight"}); !r) return api::fail(r.error());
      std::string name;
      if (auto r = read_string(item, "name", item_path, name); !r) return api::fail(r.error());
      auto name_path = child_path(item_path, "name");
      if (name.empty()) return api::fail(field_error(name_path, "Required value"));
      if (name != "*" && !plugins::find_plugin(name) && !is_unimplemented_upstream_plugin(name))
        return api::fail(invalid(name_path, name, fmt::format("plugin \"{}\" does not exist", name)));
      set.disabled.insert(std::move(name));
    }
  }
  return set;
}

}  // namespace

api::Result<std::vector<PluginEntry>> resolve_profile_plugins(const nlohmann::json& j,
                                                              const std::string& path) {
  std::vector<std::string_view> keys = {"multiPoint"};
  for (auto& p : kPoints) keys.push_back(p.key);
  if (!j.is_null() && !j.is_object()) return api::fail(invalid(path, j, "must be an object"));
  if (j.is_object())
    for (auto& [key, value] : j.items())
      if (std::find(keys.begin(), keys.end(), key) == keys.end())
        return api::fail(api::bad_request(
            fmt::format("strict decoding error: unknown field \"{}\"", child_path(path, key))));
  auto member = [&](std::string_view key) -> const nlohmann::json& {
    static const nlohmann::json null;
    if (!j.is_object()) return null;
    auto it = j.find(key);
    return it == j.end() ? null : *it;
  };

  // MultiPoint: the defaults merged with the profile's (upstream mergePluginSet): a
  // default named again is replaced in place (its weight too), disabled ones ("*": all)
  // are dropped, the profile's others are appended.
  auto custom_multi = read_plugin_set(member("multiPoint"), child_path(path, "multiPoint"), true);
  if (!custom_multi) return api::fail(custom_multi.error());
  std::vector<Enabled> multi;
  std::set<std::string> replaced;
  if (!custom_multi->disabled.contains("*")) {
    for (auto& d : plugins::registry()) {
      if (custom_multi->disabled.contains(d.name)) continue;
      Enabled e{std::string(d.name), d.default_weight};
      for (auto& c : custom_multi->enabled)
        if (c.name == e.name) {
          e = c;
          replaced.insert(c.name);
        }
      multi.push_back(std::move(e));
    }
  }
  for (auto& c : custom_multi->enabled)
    if (!replaced.contains(c.name)) multi.push_back(c);

  // The specific extension points: enabled there (with the score weight), or disabled
  // there although MultiPoint enables them.
  std::map<std::string_view, PluginSet> points;
  for (auto& p : kPoints) {
    auto set = read_plugin_set(member(p.key), child_path(path, p.key), p.key == "score");
    if (!set) return api::fail(set.error());
    if (p.bit == 0 && !set->enabled.empty())
      return api::fail(invalid(child_path(child_path(path, p.key), "enabled"), member(p.key)["enabled"],
                               "kactor has no configurable plugins at this extension point"));
    points[p.key] = std::move(*set);
  }

  std::vector<PluginEntry> entries;
  auto entry_for = [&](const std::string& name) -> PluginEntry& {
    for (auto& e : entries)
      if (e.name == name) return e;
    auto* reg = plugins::find_plugin(name);
    entries.push_back({name, reg->make, 0, {}, 0});
    return entries.back();
  };
  for (auto& m : multi) {
    auto& e = entry_for(m.name);
    e.weight = m.weight.value_or(0);
  }
  for (auto& p : kPoints) {
    if (p.bit == 0) continue;
    auto& set = points[p.key];
    for (auto& m : multi)
      if (!set.disabled.contains("*") && !set.disabled.contains(m.name)) entry_for(m.name).points |= p.bit;
    for (auto& en : set.enabled) {
      auto& e = entry_for(en.name);
      e.points |= p.bit;
      if (p.bit == extension_point::score && en.weight) e.weight = *en.weight;
    }
  }
  // Upstream: a score plugin enabled without a weight counts with weight 1.
  for (auto& e : entries)
    if (e.weight == 0 && (e.points & extension_point::score)) e.weight = 1;
  std::erase_if(entries, [](const PluginEntry& e) { return e.points == 0; });

  // Upstream NewFramework: a profile without a bind plugin cannot bind anything.
  bool has_bind = false;
  for (auto& e : entries) {
    auto plugin = e.make({});
    has_bind = has_bind || ((e.points & extension_point::bind) &&
                            dynamic_cast<BindPlugin*>(plugin.get()) != nullptr);
  }
  if (!has_bind)
    return api::fail(field_error(child_path(path, "bind"), "Required value: at least one bind plugin is needed"));
  return entries;
}

}  // namespace kactor::scheduler::config
