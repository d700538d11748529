// The registry: every in-tree plugin by name, with its factory, its args parser and its
// place and weight in the default profile. KubeSchedulerConfiguration profiles
// (actors/scheduler/config/) are built from it.
//
// A plugin with args plugs in with one line in registry.cpp:
//   with_args<FooArgs>(Foo::kName, make_foo, parse_foo_args, <default weight>)
// where make_foo(FooArgs) makes the plugin and parse_foo_args(const nlohmann::json&)
// -> api::Result<FooArgs> reads pluginConfig args (errors start with the field path
// inside args, e.g. "defaultConstraints[0].maxSkew: Invalid value: ..."). A plugin without
// args: no_args(Foo::kName, make_foo, <weight>).
#pragma once

#include <any>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/scheduler/framework.hpp"
#include "api/status.hpp"

namespace kactor::scheduler::plugins {

struct RegisteredPlugin {
  std::string_view name;
  std::function<std::shared_ptr<Plugin>(const PluginArgs&)> make;
  /// pluginConfig args -> the typed args `make` takes; null: the plugin takes no args.
  std::function<api::Result<PluginArgs>(const nlohmann::json&)> parse_args;
  /// Weight in the default profile (0: not a score plugin there).
  int64_t default_weight = 0;
};

/// Every plugin, in upstream's default MultiPoint order (all are in the default profile).
const std::vector<RegisteredPlugin>& registry();
/// The plugin called `name`, or nullptr.
const RegisteredPlugin* find_plugin(std::string_view name);

/// The default profile, in upstream's MultiPoint order, with upstream's score weights.
std::vector<PluginEntry> default_plugins();

template <class Args>
RegisteredPlugin with_args(std::string_view name, std::shared_ptr<Plugin> (*make)(Args),
                           api::Result<Args> (*parse)(const nlohmann::json&), int64_t weight) {
  return {name,
          [make](const PluginArgs& a) {
            return make(a.has_value() ? std::any_cast<const Args&>(a) : Args{});
          },
          [parse](const nlohmann::json& j) -> api::Result<PluginArgs> {
            auto r = parse(j);
            if (!r) return api::fail(std::move(r.error()));
            return PluginArgs(std::move(*r));
          },
          weight};
}

inline RegisteredPlugin no_args(std::string_view name, std::shared_ptr<Plugin> (*make)(),
                                int64_t weight) {
  return {name, [make](const PluginArgs&) { return make(); }, nullptr, weight};
}

}  // namespace kactor::scheduler::plugins
