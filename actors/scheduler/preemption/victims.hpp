// Preemption's decisions as pure functions over one cycle's Snapshot (upstream
// SelectVictimsOnNode, filterPodsWithPDBViolation, pickOneNodeForPreemption): which
// pods of a node must go for a pod to fit there, and whose removal hurts least.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "actors/scheduler/framework.hpp"

namespace kactor::scheduler::preemption {

/// A node where preemption makes the pod fit, and what it costs there.
struct Candidate {
  std::string node;
  /// The pods that must go, most important first.
  std::vector<PodInfoPtr> victims;
  /// Victims whose PodDisruptionBudget would go below zero allowed disruptions.
  int64_t num_pdb_violations = 0;
};

/// Reason of a node without lower-priority pods (upstream wording).
inline constexpr const char* kNoVictims = "No preemption victims found for incoming pod";
/// Reason of a node preemption cannot help (its filter failure is unresolvable).
inline constexpr const char* kNotHelpful = "Preemption is not helpful for scheduling";

int32_t priority_of(const api::Pod& pod);

/// Upstream MoreImportantPod: higher priority first, then the one that started earlier
/// (a pod not started yet counts as starting now, i.e. last).
bool more_important(const api::Pod& a, const api::Pod& b);

/// Upstream filterPodsWithPDBViolation: walks `pods` in order and takes one allowed
/// disruption from every budget that selects a pod (same namespace, non-empty selector,
/// the pod not already in its disruptedPods); a pod that takes a budget below zero
/// violates it.
struct PdbSplit {
  std::vector<PodInfoPtr> violating;
  std::vector<PodInfoPtr> non_violating;
};
PdbSplit split_by_pdb_violation(const std::vector<PodInfoPtr>& pods, const PdbList& pdbs);

/// Upstream SelectVictimsOnNode: removes every pod of lower priority than `pod`; if
/// `pod` then passes the filters (state.framework, nominated pods counted), puts back
/// as many as possible, budget-violating ones first, each group most important first;
/// those that cannot come back are the victims. The error says why the node cannot
/// take the pod even so (its reasons go into the preemption message).
std::expected<Candidate, PluginResult> select_victims_on_node(const CycleState& state,
                                                              const api::Pod& pod,
                                                              const NodeInfo& node,
                                                              const PdbList& pdbs);

/// Upstream pickOneNodeForPreemption over `candidates` (not empty), deciding by, in
/// order: fewest budget violations, lowest highest-victim priority, lowest priority sum
/// (each priority + 2^31, so negative priorities do not favour more victims), fewest
/// victims, latest start of the highest-priority victims; else the first. Returns the index.
size_t pick_one_node(const std::vector<Candidate>& candidates);

}  // namespace kactor::scheduler::preemption
