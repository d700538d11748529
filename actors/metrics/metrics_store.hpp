// What the metrics server knows: the use each node and pod had at the last scrape, and the
// answer to a query, joined with the Node and Pod informer caches as metrics-server joins its
// storage with its listers (names, labels, and whether the object still exists come from the
// caches; a deleted node or pod has no metrics even before the next scrape). No CAF.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "actors/client/cache.hpp"
#include "actors/kubelet/protocol/stats_summary.hpp"
#include "actors/metrics/protocol/resource_metrics.hpp"

namespace kactor::metrics {

class MetricsStore {
 public:
  /// What one scrape round kept and left out.
  struct Stored {
    size_t nodes = 0;
    size_t pods = 0;
    /// Nodes and containers whose summary lacked usageNanoCores or workingSetBytes.
    size_t incomplete = 0;
  };

  /// A scrape round begins. Its summaries are stored one by one as they arrive (add), each
  /// replacing what an earlier round said of its node and pods, so that a round never holds
  /// every node's summary at once (at 5,000 nodes that was ~100 MB at each round's end).
  /// Until the round ends, answers mix this round's points with the last round's for
  /// whatever this round has not stored yet (nodes not heard from, and what a summary lacked
  /// or no longer lists); each point carries its own timestamp and window.
  void begin_round();
  /// Stores one summary of the round, covering `window`. A node or container without both
  /// CPU (usageNanoCores) and memory (workingSetBytes) is left out, and a pod with no
  /// container left.
  void add(const kubelet::Summary& summary, Duration window);
  /// The round ends: nodes and pods it did not store (their kubelet did not answer) lose
  /// their metrics, as with metrics-server. Returns what the round kept and left out.
  Stored end_round();
  /// One whole round at once: begin_round, add each, end_round.
  Stored replace(const std::vector<kubelet::Summary>& summaries, Duration window);

  /// Answers `q` from the points the rounds stored, for the objects the caches hold now;
  /// `now` is the creationTimestamp metrics-server gives each answer.
  MetricsAnswer answer(const MetricsQuery& q, const client::Cache& nodes, const client::Cache& pods,
                       TimePoint now) const;

  size_t node_count() const { return nodes_.size(); }
  size_t pod_count() const { return pods_.size(); }

 private:
  struct NodePoint {
    uint64_t round = 0;  // the round that stored it
    TimePoint timestamp{};
    Duration window{};
    api::ResourceList usage;
  };
  struct PodPoint {
    /// The pod the kubelet measured: a pod deleted and created again under the same name
    /// has no metrics until the kubelet reports the new one.
    std::string uid;
    uint64_t round = 0;  // the round that stored it
    TimePoint timestamp{};
    Duration window{};
    std::vector<ContainerMetrics> containers;
  };

  MetricsAnswer answer_nodes(const MetricsQuery& q, const client::Cache& nodes,
                             TimePoint now) const;
  MetricsAnswer answer_pods(const MetricsQuery& q, const client::Cache& pods, TimePoint now) const;

  std::unordered_map<std::string, NodePoint> nodes_;
  /// By "namespace/name".
  std::unordered_map<std::string, PodPoint> pods_;
  uint64_t round_ = 0;
  size_t incomplete_ = 0;  // in the current round
};

}  // namespace kactor::metrics
