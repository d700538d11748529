// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1): the scheduler's profiles,
// each a scheduler name with its plugins (upstream's merge of the default plugins with
// the profile's enabled/disabled lists per extension point) and their args, plus the
// queue's backoffs and percentageOfNodesToScore. See docs/scheduler.md, "Configuration".
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/scheduler/framework.hpp"
#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor::scheduler::config {

inline constexpr std::string_view kApiVersion = "kubescheduler.config.k8s.io/v1";
inline constexpr std::string_view kKind = "KubeSchedulerConfiguration";
inline constexpr std::string_view kDefaultSchedulerName = "default-scheduler";

/// One profile: pods whose spec.schedulerName is `scheduler_name` are scheduled with
/// these plugins.
struct Profile {
  std::string scheduler_name{kDefaultSchedulerName};
  /// Overrides the global value when set (0: adaptive).
  std::optional<int32_t> percentage_of_nodes_to_score;
  /// In order, each with its args, weight and the extension points it runs at.
  std::vector<PluginEntry> plugins;
};

struct SchedulerConfiguration {
  /// 0: adaptive (upstream default).
  int32_t percentage_of_nodes_to_score = 0;
  Duration pod_initial_backoff = std::chrono::seconds(1);
  Duration pod_max_backoff = std::chrono::seconds(10);
  /// At least one; scheduler names are unique.
  std::vector<Profile> profiles;

  /// The profile's percentage, or the global one.
  int32_t percentage_for(const Profile& p) const {
    return p.percentage_of_nodes_to_score.value_or(percentage_of_nodes_to_score);
  }
};

/// What runs without a file: one profile, default-scheduler, with the default plugins.
SchedulerConfiguration default_configuration();

/// Decodes and validates a KubeSchedulerConfiguration from YAML (or JSON) text. Unknown
/// fields are strict decoding errors; every other error names the field
/// ("profiles[1].schedulerName: Duplicate value: \"x\"").
api::Result<SchedulerConfiguration> parse_configuration(std::string_view yaml);
/// The same from an already decoded document.
api::Result<SchedulerConfiguration> configuration_from_json(const nlohmann::json& doc);
/// Reads the file at `path` (errors name the file).
api::Result<SchedulerConfiguration> load_configuration_file(const std::string& path);

}  // namespace kactor::scheduler::config
