// Upstream's rules for the plugins of one profile: the default plugins (MultiPoint)
// merged with the profile's `plugins` section, extension point by extension point.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/scheduler/framework.hpp"
#include "api/status.hpp"

namespace kactor::scheduler::config {

/// Reads `plugins` (JSON, may be null) of the profile at `path` ("profiles[0]") and
/// resolves it against the default plugins: entries in order (MultiPoint first, then
/// plugins enabled only at specific points), without args yet.
api::Result<std::vector<PluginEntry>> resolve_profile_plugins(const nlohmann::json& plugins,
                                                              const std::string& path);

}  // namespace kactor::scheduler::config
