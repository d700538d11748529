// The scheduler's view of node usage: nodes plus the pods assigned to them, and
// pods assumed on a node before their binding is confirmed.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "actors/scheduler/node_info.hpp"

namespace kactor::scheduler {

class NodeCache {
 public:
  void upsert_node(std::shared_ptr<const api::Node> node);
  void remove_node(const std::string& name);

  /// Counts the pod on `node` at once, before the bind is confirmed.
  void assume(const api::Pod& pod, const std::string& node);
  /// The bind failed: the assumed pod no longer counts.
  void forget(const std::string& key);
  bool is_assumed(const std::string& key) const;

  /// An assigned, non-terminated pod as the informer shows it (confirms an assumption).
  void upsert_pod(const api::Pod& pod);
  /// The pod is gone or terminated.
  void remove_pod(const std::string& key);

  /// The nodes (that exist as Node objects) in name order. Later changes copy the
  /// changed NodeInfo, so a snapshot stays valid while the cache moves on.
  std::shared_ptr<const Snapshot> snapshot() const;
  /// One node's state, or nullptr.
  std::shared_ptr<const NodeInfo> node(const std::string& name) const;
  size_t node_count() const { return node_count_; }

 private:
  struct PodState {
    std::string node;
    PodResources resources;
    bool assumed = false;
  };
  NodeInfo& mutable_info(const std::string& name);
  void add_to_node(const std::string& key, const std::string& node, PodResources r, bool assumed);

  std::map<std::string, std::shared_ptr<NodeInfo>> nodes_;
  std::unordered_map<std::string, PodState> pods_;  // looked up, never iterated
  size_t node_count_ = 0;
  mutable std::shared_ptr<const Snapshot> snapshot_;  // rebuilt after a change
};

}  // namespace kactor::scheduler
