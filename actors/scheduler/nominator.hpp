// The pods nominated to nodes by preemption (upstream PodNominator): a preemptor waits
// for its victims to go, and meanwhile the room on its node is kept for it: filters
// count the nominated pods of equal or higher priority as if they were there.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/scheduler/node_info.hpp"

namespace kactor::scheduler {

class Nominator {
 public:
  /// `pod` waits for `node` (replaces an earlier nomination of the same pod).
  void add(PodInfoPtr pod, const std::string& node);
  /// The pod is no longer nominated (bound, deleted, or its nomination cleared).
  void remove(const std::string& key);
  /// A pending pod as the informer shows it (`old_pod` null on add). Follows
  /// status.nominatedNodeName; when neither version names a node, a nomination made in
  /// memory is kept (the status write may not have landed yet), as upstream
  /// UpdateNominatedPod does.
  void on_pending_pod(const api::Pod* old_pod, std::shared_ptr<const api::Pod> pod);

  /// The pods nominated to `node`, in nomination order (empty if none).
  const std::vector<PodInfoPtr>& pods_on(const std::string& node) const;
  /// The node `key` is nominated to, or "".
  std::string node_of(const std::string& key) const;
  /// The pods nominated to `node` with a priority lower than `priority` (upstream
  /// getLowerPriorityNominatedPods: their nomination is cleared when a preemptor takes
  /// the node).
  std::vector<PodInfoPtr> lower_priority_on(const std::string& node, int32_t priority) const;
  bool empty() const { return node_of_.empty(); }

 private:
  std::unordered_map<std::string, std::vector<PodInfoPtr>> by_node_;
  std::unordered_map<std::string, std::string> node_of_;  // pod key -> node
};

}  // namespace kactor::scheduler
