// The scheduler's view of the cluster: nodes plus the pods assigned to them, pods
// assumed on a node before their binding is confirmed, and namespace labels. Hands
// out immutable snapshots, updated in place for the nodes that changed.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "actors/scheduler/node_info.hpp"
#include "actors/scheduler/workload_selectors.hpp"

namespace kactor::scheduler {

class NodeCache {
 public:
  void upsert_node(std::shared_ptr<const api::Node> node);
  void remove_node(const std::string& name);

  /// Counts the pod on `node` at once, before the bind is confirmed.
  void assume(std::shared_ptr<const api::Pod> pod, const std::string& node);
  /// The bind failed: the assumed pod no longer counts.
  void forget(const std::string& key);
  bool is_assumed(const std::string& key) const;

  /// An assigned, non-terminated pod as the informer shows it (confirms an assumption;
  /// a changed pod, e.g. new labels, replaces the old one).
  void upsert_pod(std::shared_ptr<const api::Pod> pod);
  /// The pod is gone or terminated.
  void remove_pod(const std::string& key);

  /// A namespace's labels (namespaceSelector of pod affinity terms).
  void upsert_namespace(const std::string& name, std::map<std::string, std::string> labels);
  void remove_namespace(const std::string& name);

  /// A Service, ReplicationController or ReplicaSet: their selectors are what
  /// PodTopologySpread's default constraints spread pods by.
  void upsert_workload(const api::Object& obj);
  void remove_workload(const api::Object& obj);
  /// A PodDisruptionBudget (preemption prefers victims whose budget allows it).
  void upsert_pdb(std::shared_ptr<const api::PodDisruptionBudget> pdb);
  void remove_pdb(const std::string& key);

  /// The nodes (that exist as Node objects) in name order. Later changes copy the
  /// changed NodeInfo, so a snapshot stays valid while the cache moves on; when no one
  /// else holds the last snapshot, only the changed nodes are patched into it.
  std::shared_ptr<const Snapshot> snapshot() const;
  /// One node's state, or nullptr.
  std::shared_ptr<const NodeInfo> node(const std::string& name) const;
  /// The pod the cache holds under `key` (assumed or confirmed), or nullptr.
  PodInfoPtr pod(const std::string& key) const;
  size_t node_count() const { return node_count_; }

 private:
  struct PodState {
    std::string node;
    PodInfoPtr info;
    bool assumed = false;
  };
  NodeInfo& mutable_info(const std::string& name);
  void add_to_node(const std::string& key, const std::string& node, PodInfoPtr info, bool assumed);

  std::map<std::string, std::shared_ptr<NodeInfo>> nodes_;
  std::unordered_map<std::string, PodState> pods_;  // looked up, never iterated
  size_t node_count_ = 0;
  std::shared_ptr<NamespaceLabels> namespaces_ = std::make_shared<NamespaceLabels>();
  /// Nodes per image name, kept as nodes come, go and change images (copy on write).
  std::shared_ptr<ImageNodeCounts> image_nodes_ = std::make_shared<ImageNodeCounts>();
  void count_images(const ImageSizes* sizes, int32_t delta);
  mutable bool namespaces_changed_ = true;
  std::shared_ptr<WorkloadSelectors> workloads_ = std::make_shared<WorkloadSelectors>();
  std::map<std::string, std::shared_ptr<const api::PodDisruptionBudget>> pdbs_;  // by key
  mutable bool pdbs_changed_ = true;
  // Snapshot maintenance: nodes changed since the last snapshot, and whether the set
  // of nodes itself changed (then the snapshot is rebuilt).
  mutable std::shared_ptr<Snapshot> snapshot_;
  mutable std::set<std::string> dirty_;
  mutable bool rebuild_ = true;
};

}  // namespace kactor::scheduler
