// The scheduling algorithm of one pod, without actors: filter a snapshot of nodes
// (as many as numFeasibleNodesToFind asks, from a rotating start), score the
// feasible ones and pick uniformly among the best.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "actors/scheduler/framework.hpp"
#include "api/util/random.hpp"

namespace kactor::scheduler {

/// Why a pod fits nowhere: reason -> number of nodes that gave it.
struct FitError {
  size_t num_all_nodes = 0;
  std::map<std::string, int64_t> reasons;
  /// Per node, the result that rejected it (for PostFilter).
  NodeFailures failures;
  /// The plugins that rejected the pod somewhere (PreFilter or Filter): the queue
  /// moves it back only for events they registered.
  std::set<std::string, std::less<>> unschedulable_plugins;
  /// What PostFilter (preemption) decided, if it found a way.
  std::optional<PostFilterResult> post_filter;
  /// PostFilter's explanation when it found none (appended to message()).
  std::string post_filter_message;

  /// Upstream FitError.Error(): "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) ...".
  std::string message() const;
};

struct ScheduleResult {
  std::string node;
  size_t evaluated_nodes = 0;
  size_t feasible_nodes = 0;
};

struct AlgorithmOptions {
  /// 0: adaptive (50 - nodes/125, at least 5).
  int32_t percentage_of_nodes_to_score = 0;
};

/// Upstream numFeasibleNodesToFind.
size_t num_feasible_nodes_to_find(size_t num_all_nodes, int32_t percentage);

/// Upstream selectHost: the index of a top-scoring entry, each tie equally likely
/// (reservoir sampling). `scores` must not be empty.
size_t select_host(const std::vector<int64_t>& scores, Random& random);

class Algorithm {
 public:
  Algorithm(std::vector<PluginEntry> plugins, AlgorithmOptions options, Random random);

  /// Runs PreFilter, Filter, (PostFilter on failure), PreScore, Score and selection.
  /// `state` is filled for the later extension points (Reserve, Permit, Bind).
  std::expected<ScheduleResult, FitError> schedule(CycleState& state, const api::Pod& pod,
                                                   const Snapshot& nodes);

  const Framework& framework() const { return framework_; }
  /// The nominated pods filters take into account (upstream PodNominator); null: none.
  void set_nominator(const Nominator* nominator) { nominator_ = nominator; }

 private:
  /// Upstream evaluateNominatedNode: a pod nominated by an earlier preemption tries
  /// that node first; it is usually the only one where it fits.
  bool fits_nominated_node(CycleState& state, const api::Pod& pod, const Snapshot& nodes) const;

  Framework framework_;
  const Nominator* nominator_ = nullptr;
  AlgorithmOptions options_;
  Random random_;
  size_t next_start_ = 0;
};

}  // namespace kactor::scheduler
