// Choosing the enabled controllers and spawning them.
#include "actors/controllers/controller_manager.hpp"

#include <set>

#include <caf/all.hpp>

#include "actors/controllers/registry.hpp"

namespace kactor::actors::controllers {

namespace {

/// Upstream's --controllers rule: explicit "-name" wins, then "name", then "*".
api::Result<std::set<std::string>> enabled_names(const std::vector<std::string>& spec) {
  std::set<std::string> known;
  for (auto& e : controller_registry()) known.insert(e.name);
  bool star = false;
  std::set<std::string> on, off;
  for (auto& s : spec) {
    if (s == "*") {
      star = true;
      continue;
    }
    bool negate = !s.empty() && s[0] == '-';
    std::string name = negate ? s.substr(1) : s;
    if (!known.contains(name))
      return api::fail(api::bad_request("unknown controller \"" + name + "\""));
    (negate ? off : on).insert(name);
  }
  std::set<std::string> out;
  for (auto& name : known)
    if (!off.contains(name) && (on.contains(name) || star)) out.insert(name);
  return out;
}

}  // namespace

void ControllerManager::shutdown() {
  for (auto& [name, actor] : controllers)
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  controllers.clear();
  if (cloud) caf::anon_send_exit(cloud, caf::exit_reason::user_shutdown);
  cloud = caf::actor{};
}

api::Result<ControllerManager> spawn_controller_manager(const actors::Context& ctx,
                                                        const ControllerManagerOptions& given) {
  if (!ctx.system || !ctx.apiserver || !ctx.clock || !ctx.informers)
    return api::fail(api::bad_request("controller manager: incomplete context"));
  auto names = enabled_names(given.controllers);
  if (!names) return api::fail(std::move(names.error()));
  ControllerManager out;
  auto options = given;
  if (names->contains("service-lb-controller") && !options.cloud) {
    auto cloud = cloud::spawn_simulated_cloud(*ctx.system, *ctx.clock,
                                              ctx.random("simulated-cloud"),
                                              options.simulated_cloud);
    if (!cloud) return api::fail(std::move(cloud.error()));
    options.cloud = out.cloud = *cloud;
  }
  for (auto& entry : controller_registry()) {
    if (!names->contains(entry.name)) continue;
    // The first start is made here, so that a configuration error is reported now rather than
    // retried; the supervisor adopts it and makes the later ones.
    auto first = entry.spawn(ctx, options);
    if (!first) {
      out.shutdown();
      return api::fail(std::move(first.error()));
    }
    auto start = [first = std::move(*first), spawn = entry.spawn, ctx, options]() mutable {
      if (first) return std::exchange(first, caf::actor{});
      auto again = spawn(ctx, options);
      return again ? std::move(*again) : caf::actor{};
    };
    out.controllers.emplace_back(
        entry.name, supervise(*ctx.system, *ctx.clock, "controller/" + entry.name,
                              std::move(start), options.supervision));
  }
  return out;
}

}  // namespace kactor::actors::controllers
