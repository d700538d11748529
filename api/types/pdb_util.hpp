// Which pods a PodDisruptionBudget covers: one home for the two readings upstream has, so the
// API server's eviction, the disruption controller and the scheduler's preemption agree.
#pragma once

#include "api/labels/selector.hpp"
#include "api/types/disruption.hpp"
#include "api/types/pod.hpp"

namespace kactor::api {

/// The values of spec.unhealthyPodEvictionPolicy and the condition the controller writes.
namespace pdb {
inline constexpr const char* kIfHealthyBudget = "IfHealthyBudget";
inline constexpr const char* kAlwaysAllow = "AlwaysAllow";
inline constexpr const char* kDisruptionAllowed = "DisruptionAllowed";
inline constexpr const char* kSufficientPods = "SufficientPods";
inline constexpr const char* kInsufficientPods = "InsufficientPods";
inline constexpr const char* kSyncFailed = "SyncFailed";
/// The StatusCause type of a refused eviction (policy/v1 DisruptionBudgetCause).
inline constexpr const char* kDisruptionBudgetCause = "DisruptionBudget";
}  // namespace pdb

/// The pods the disruption controller counts (upstream LabelSelectorAsSelector): a null
/// selector selects nothing, {} every pod of the namespace (policy/v1); an invalid one is
/// the error.
Result<labels::Selector> pdb_selector(const PodDisruptionBudget& pdb);

/// The budget guards `pod` for evictions and preemption: same namespace, and a valid,
/// non-empty selector that matches its labels. Upstream: "If a PDB with a nil or empty
/// selector creeps in, it should match nothing, not everything."
bool pdb_guards(const PodDisruptionBudget& pdb, const Pod& pod);

/// Sets the DisruptionAllowed condition from status.disruptionsAllowed (upstream pdbhelper
/// UpdateDisruptionAllowedCondition): True/SufficientPods when > 0, else
/// False/InsufficientPods; the transition time is `now` when the status changes.
void update_disruption_allowed_condition(PodDisruptionBudgetStatus& status, Time now);
/// Sets a condition as metav1's SetStatusCondition: replaces the one of its type, keeping its
/// transition time unless the status changes; `c.last_transition_time` is used otherwise.
void set_status_condition(std::vector<Condition>& conditions, Condition c);
/// The DisruptionAllowed condition agrees with the status (upstream ConditionsAreUpToDate).
bool disruption_condition_up_to_date(const PodDisruptionBudgetStatus& status);

}  // namespace kactor::api
