// The resource metrics API (metrics.k8s.io/v1beta1, what metrics-server serves and `kubectl
// top` and the HorizontalPodAutoscaler read): NodeMetrics and PodMetrics, the query that asks
// for them and its answer. Plain structs, no CAF (messages.hpp has the atom). Its own tiny
// component so that the HTTP API (and later the HPA) can ask the metrics server without
// depending on its internals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/labels/selector.hpp"
#include "api/quantity/quantity.hpp"
#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor::metrics {

inline constexpr const char* kGroup = "metrics.k8s.io";
inline constexpr const char* kVersion = "v1beta1";

/// A node's use: usage has "cpu" and "memory".
struct NodeMetrics {
  std::string name;
  /// The Node's labels, as metrics-server copies them.
  api::Labels labels;
  /// When the answer was made (metrics-server sets the time of the request).
  TimePoint creation_timestamp{};
  /// When the kubelet sampled the use, and the interval it covers.
  TimePoint timestamp{};
  Duration window{};
  api::ResourceList usage;
  bool operator==(const NodeMetrics&) const = default;
};

struct ContainerMetrics {
  std::string name;
  api::ResourceList usage;
  bool operator==(const ContainerMetrics&) const = default;
};

/// A pod's use, per container.
struct PodMetrics {
  std::string name;
  std::string namespace_;
  api::Labels labels;
  TimePoint creation_timestamp{};
  TimePoint timestamp{};
  Duration window{};
  std::vector<ContainerMetrics> containers;
  bool operator==(const PodMetrics&) const = default;
};

/// What to list or get: (metrics_query_atom, MetricsQuery) → MetricsAnswer.
struct MetricsQuery {
  enum class Resource { nodes, pods };
  Resource resource = Resource::nodes;
  /// pods: "" for every namespace.
  std::string namespace_;
  /// One object by name ("" lists).
  std::string name;
  /// Label and field selectors as a list URL gives them (fields: metadata.name and
  /// metadata.namespace, as metrics-server filters).
  std::string label_selector;
  std::string field_selector;
};

/// The answer: an error (400 for a bad selector, 404 for an unknown node or pod, or one
/// without metrics, worded as metrics-server's), or the items, sorted by namespace and name.
struct MetricsAnswer {
  std::optional<api::Status> error;
  std::vector<NodeMetrics> nodes;
  std::vector<PodMetrics> pods;
};

/// CPU from the kubelet's usageNanoCores, as metrics-server makes it (a DecimalSI quantity
/// scaled by 10^-9: 250000000 → "250m", 123456 → "123456n").
api::Quantity cpu_quantity(uint64_t nano_cores);
/// Memory from workingSetBytes, as metrics-server makes it (BinarySI: 126418944 → "123456Ki").
api::Quantity memory_quantity(uint64_t bytes);


}  // namespace kactor::metrics
