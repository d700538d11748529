#include "actors/scheduler/config/scheduler_config.hpp"

#include <fmt/format.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "actors/scheduler/config/profile_plugins.hpp"
#include "actors/scheduler/config/strict_json.hpp"
#include "actors/scheduler/plugins/registry.hpp"
#include "api/yaml/yaml.hpp"

namespace kactor::scheduler::config {

SchedulerConfiguration default_configuration() {
  SchedulerConfiguration c;
  c.profiles.push_back(Profile{std::string(kDefaultSchedulerName), std::nullopt,
                               plugins::default_plugins()});
  return c;
}

namespace {

api::Result<void> check_percentage(const std::optional<int64_t>& v, const std::string& path) {
  if (v && (*v < 0 || *v > 100))
    return api::fail(invalid(path, *v, "not in valid range [0-100]"));
  return {};
}

/// A plugin parser's error with the path of its args in front ("profiles[0].pluginConfig[1].args."),
/// inside the quotes of a strict decoding error.
std::string prefixed(const std::string& path, const std::string& message) {
  static const std::string strict = "strict decoding error: unknown field \"";
  if (message.starts_with(strict)) return strict + path + "." + message.substr(strict.size());
  return path + "." + message;
}

/// pluginConfig[]: each plugin's args, parsed by the plugin and set on its entry.
api::Result<void> apply_plugin_config(const nlohmann::json& profile, const std::string& path,
                                      std::vector<PluginEntry>& entries) {
  auto list = read_array(profile, "pluginConfig", path);
  if (!list) return api::fail(list.error());
  if (!*list) return {};
  std::set<std::string> seen;
  for (size_t i = 0; i < (*list)->size(); ++i) {
    auto& item = (**list)[i];
    auto item_path = index_path(child_path(path, "pluginConfig"), i);
    if (auto r = check_object(item, item_path, {"name", "args"}); !r) return r;
    std::string name;
    if (auto r = read_string(item, "name", item_path, name); !r) return r;
    auto name_path = child_path(item_path, "name");
    if (name.empty()) return api::fail(field_error(name_path, "Required value"));
    if (!seen.insert(name).second)
      return api::fail(field_error(item_path, fmt::format("Duplicate value: \"{}\"", name)));
    auto* reg = plugins::find_plugin(name);
    if (!reg)
      return api::fail(invalid(name_path, name, fmt::format("plugin \"{}\" does not exist", name)));
    auto args_path = child_path(item_path, "args");
    nlohmann::json args = item.contains("args") ? item["args"] : nlohmann::json();
    if (!reg->parse_args) {
      if (!args.is_null() && !args.empty())
        return api::fail(invalid(args_path, args, fmt::format("plugin \"{}\" takes no args", name)));
      continue;
    }
    // Args may carry their own type, as in upstream files ("kind: NodeResourcesFitArgs").
    if (args.is_object()) {
      if (auto k = args.find("kind"); k != args.end()) {
        auto want = name + "Args";  // upstream's kinds: NodeResourcesFitArgs, ...
        if (!k->is_string() || k->get<std::string>() != want)
          return api::fail(invalid(child_path(args_path, "kind"), *k,
                                   fmt::format("must be \"{}\" for plugin \"{}\"", want, name)));
        args.erase("kind");
      }
      if (auto v = args.find("apiVersion"); v != args.end()) {
        if (!v->is_string() || v->get<std::string>() != kApiVersion)
          return api::fail(invalid(child_path(args_path, "apiVersion"), *v,
                                   fmt::format("must be \"{}\"", kApiVersion)));
        args.erase("apiVersion");
      }
    }
    auto parsed = reg->parse_args(args);
    if (!parsed)
      return api::fail(api::bad_request(prefixed(args_path, parsed.error().message)));
    // Args for a plugin the profile does not use are validated, then unused (upstream).
    for (auto& e : entries)
      if (e.name == name) e.args = *parsed;
  }
  return {};
}

api::Result<Profile> read_profile(const nlohmann::json& j, const std::string& path,
                                  bool only_profile) {
  if (auto r = check_object(j, path, {"schedulerName", "percentageOfNodesToScore", "plugins",
                                      "pluginConfig"});
      !r)
    return api::fail(r.error());
  Profile p;
  p.scheduler_name.clear();
  if (auto r = read_string(j, "schedulerName", path, p.scheduler_name); !r) return api::fail(r.error());
  // v1 default: a lone profile without a name is the default scheduler.
  bool named = j.is_object() && j.contains("schedulerName") && !j["schedulerName"].is_null();
  if (!named && only_profile) p.scheduler_name = kDefaultSchedulerName;
  if (p.scheduler_name.empty())
    return api::fail(field_error(child_path(path, "schedulerName"), "Required value"));
  std::optional<int64_t> pct;
  if (auto r = read_int(j, "percentageOfNodesToScore", path, pct); !r) return api::fail(r.error());
  if (auto r = check_percentage(pct, child_path(path, "percentageOfNodesToScore")); !r)
    return api::fail(r.error());
  if (pct) p.percentage_of_nodes_to_score = static_cast<int32_t>(*pct);
  static const nlohmann::json null;
  auto entries = resolve_profile_plugins(j.is_object() && j.contains("plugins") ? j["plugins"] : null,
                                         child_path(path, "plugins"));
  if (!entries) return api::fail(entries.error());
  p.plugins = std::move(*entries);
  if (auto r = apply_plugin_config(j, path, p.plugins); !r) return api::fail(r.error());
  return p;
}

}  // namespace

api::Result<SchedulerConfiguration> configuration_from_json(const nlohmann::json& doc) {
  // Fields upstream has that mean nothing in kactor's single process (no leader
  // election, no kubeconfig, no separate HTTP servers) are accepted and ignored
  // (docs/scheduler.md); `extenders` would change decisions, so it is refused.
  if (auto r = check_object(doc, "", {"apiVersion", "kind", "parallelism", "leaderElection",
                                      "clientConnection", "healthzBindAddress",
                                      "metricsBindAddress", "enableProfiling",
                                      "enableContentionProfiling", "percentageOfNodesToScore",
                                      "podInitialBackoffSeconds", "podMaxBackoffSeconds",
                                      "profiles", "extenders", "delayCacheUntilActive"});
      !r)
    return api::fail(r.error());
  if (!doc.is_object()) return api::fail(api::bad_request("the configuration must be an object"));
  std::string api_version, kind;
  if (auto r = read_string(doc, "apiVersion", "", api_version); !r) return api::fail(r.error());
  if (auto r = read_string(doc, "kind", "", kind); !r) return api::fail(r.error());
  if (api_version != kApiVersion)
    return api::fail(invalid("apiVersion", api_version,
                             fmt::format("must be \"{}\"", kApiVersion)));
  if (kind != kKind) return api::fail(invalid("kind", kind, fmt::format("must be \"{}\"", kKind)));
  if (auto e = doc.find("extenders"); e != doc.end() && !e->is_null() && !e->empty())
    return api::fail(invalid("extenders", *e, "scheduler extenders are not supported by kactor"));

  SchedulerConfiguration c;
  int64_t parallelism = 16;
  if (auto r = read_int(doc, "parallelism", "", parallelism); !r) return api::fail(r.error());
  if (parallelism <= 0)
    return api::fail(invalid("parallelism", parallelism, "should be an integer value greater than zero"));
  std::optional<int64_t> pct;
  if (auto r = read_int(doc, "percentageOfNodesToScore", "", pct); !r) return api::fail(r.error());
  if (auto r = check_percentage(pct, "percentageOfNodesToScore"); !r) return api::fail(r.error());
  c.percentage_of_nodes_to_score = static_cast<int32_t>(pct.value_or(0));
  int64_t initial = 1, max = 10;
  if (auto r = read_int(doc, "podInitialBackoffSeconds", "", initial); !r) return api::fail(r.error());
  if (auto r = read_int(doc, "podMaxBackoffSeconds", "", max); !r) return api::fail(r.error());
  if (initial <= 0)
    return api::fail(invalid("podInitialBackoffSeconds", initial, "must be greater than 0"));
  if (max < initial)
    return api::fail(invalid("podMaxBackoffSeconds", max,
                             "must be greater than or equal to PodInitialBackoffSeconds"));
  c.pod_initial_backoff = std::chrono::seconds(initial);
  c.pod_max_backoff = std::chrono::seconds(max);

  auto profiles = read_array(doc, "profiles", "");
  if (!profiles) return api::fail(profiles.error());
  if (!*profiles || (*profiles)->empty()) {
    c.profiles = default_configuration().profiles;
    return c;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < (*profiles)->size(); ++i) {
    auto path = index_path("profiles", i);
    auto p = read_profile((**profiles)[i], path, (*profiles)->size() == 1);
    if (!p) return api::fail(p.error());
    if (!names.insert(p->scheduler_name).second)
      return api::fail(field_error(child_path(path, "schedulerName"),
                                   fmt::format("Duplicate value: \"{}\"", p->scheduler_name)));
    c.profiles.push_back(std::move(*p));
  }
  return c;
}

api::Result<SchedulerConfiguration> parse_configuration(std::string_view yaml) {
  auto docs = api::yaml_to_json(yaml);
  if (!docs) return api::fail(docs.error());
  if (docs->size() != 1)
    return api::fail(api::bad_request(
        fmt::format("expected one KubeSchedulerConfiguration document, found {}", docs->size())));
  return configuration_from_json(docs->front());
}

api::Result<SchedulerConfiguration> load_configuration_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return api::fail(api::bad_request(fmt::format("cannot read scheduler config \"{}\"", path)));
  std::stringstream text;
  text << in.rdbuf();
  auto c = parse_configuration(text.str());
  if (!c)
    return api::fail(api::bad_request(
        fmt::format("invalid scheduler config \"{}\": {}", path, c.error().message)));
  return c;
}

}  // namespace kactor::scheduler::config
