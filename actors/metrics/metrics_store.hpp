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

  /// Replaces everything with one scrape round's summaries, each covering `window`: a node
  /// that did not answer loses its metrics, as with metrics-server. A node or container
  /// without both CPU (usageNanoCores) and memory (workingSetBytes) is left out, and a pod
  /// with no container left.
  Stored replace(const std::vector<kubelet::Summary>& summaries, Duration window);

  /// Answers `q` from the last round, for the objects the caches hold now; `now` is the
  /// creationTimestamp metrics-server gives each answer.
  MetricsAnswer answer(const MetricsQuery& q, const client::Cache& nodes, const client::Cache& pods,
                       TimePoint now) const;

  size_t node_count() const { return nodes_.size(); }
  size_t pod_count() const { return pods_.size(); }

 private:
  struct NodePoint {
    TimePoint timestamp{};
    Duration window{};
    api::ResourceList usage;
  };
  struct PodPoint {
    /// The pod the kubelet measured: a pod deleted and created again under the same name
    /// has no metrics until the kubelet reports the new one.
    std::string uid;
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
};

}  // namespace kactor::metrics
