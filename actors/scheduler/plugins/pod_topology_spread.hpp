// PodTopologySpread: spreads pods that match a selector evenly over the domains of a
// topology key (upstream plugins/podtopologyspread). DoNotSchedule constraints filter,
// ScheduleAnyway constraints score; a pod without constraints gets the default ones
// (System: hostname maxSkew 3, zone maxSkew 5) over the pods of its Services and
// controllers.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/scheduler/framework.hpp"
#include "api/status.hpp"
#include "api/types/affinity.hpp"

namespace kactor::scheduler::plugins {

inline constexpr std::string_view kPodTopologySpreadName = "PodTopologySpread";
/// Filter reasons (upstream ErrReasonConstraintsNotMatch, ErrReasonNodeLabelNotMatch).
inline constexpr std::string_view kSpreadConstraintsNotMatch =
    "node(s) didn't match pod topology spread constraints";
inline constexpr std::string_view kSpreadNodeLabelNotMatch =
    "node(s) didn't match pod topology spread constraints (missing required label)";

/// PodTopologySpreadArgs (kubescheduler.config.k8s.io/v1).
struct PodTopologySpreadArgs {
  /// Applied to pods without constraints of their own ("List" defaulting only).
  std::vector<api::TopologySpreadConstraint> default_constraints;
  /// "System": the built-in defaults below; "List": default_constraints.
  std::string defaulting_type = "System";
};

/// Upstream systemDefaultConstraints: hostname maxSkew 3 and zone maxSkew 5, both
/// ScheduleAnyway.
const std::vector<api::TopologySpreadConstraint>& system_default_constraints();

/// Reads the `args` of a pluginConfig entry (defaults applied, then validated with
/// upstream's messages, fields relative to the args: "defaultConstraints[0].maxSkew").
api::Result<PodTopologySpreadArgs> parse_pod_topology_spread_args(const nlohmann::json& args);

std::shared_ptr<Plugin> make_pod_topology_spread(PodTopologySpreadArgs args);

}  // namespace kactor::scheduler::plugins
