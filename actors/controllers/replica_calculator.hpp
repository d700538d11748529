// The HorizontalPodAutoscaler's replica calculator: from the pods a target selects and their
// resource metrics, the replica count a metric asks for (upstream 1.32's ReplicaCalculator,
// resource metrics only). Pure: no actors, no clock of its own ("now" is given), so the table
// tests in tests/actors/controllers/ check it against upstream's numbers.
//
// The algorithm: desired = ceil(ready pods x current / target), unless |1 - ratio| is within
// the tolerance. Pods being deleted or failed are ignored; pending pods, and (for cpu) pods
// not yet ready or still within the cpu initialization period with a sample older than their
// readiness, are "unready"; ready pods without a sample are "missing". With missing or
// unready pods the ratio is recomputed assuming missing pods use 100 % of their request (at
// least the target) on a scale-down and 0 % on a scale-up, and unready pods 0 % on a
// scale-up; the count stays when that flips the direction or falls within the tolerance.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <string>
#include <vector>

#include "actors/metrics/protocol/resource_metrics.hpp"
#include "api/time/clock.hpp"
#include "api/types/pod.hpp"

namespace kactor::actors::controllers::hpa {

/// One pod's use of a resource: the sum over its (or one named) container, in thousandths.
struct PodMetric {
  int64_t milli_value = 0;
  TimePoint timestamp{};
  Duration window{};
};
/// By pod name.
using PodMetricsInfo = std::map<std::string, PodMetric>;

/// Errors are upstream's texts (they end up in events and conditions).
template <class T>
using Outcome = std::expected<T, std::string>;

/// The pods' use of `resource` ("cpu", "memory") from the metrics API's answer: per pod the
/// sum over its containers, or of `container` only. A pod lacking the resource in one of the
/// counted containers has no sample. No pods at all: "no metrics returned from resource
/// metrics API".
Outcome<PodMetricsInfo> resource_metric(const std::vector<metrics::PodMetrics>& pods,
                                        const std::string& resource, const std::string& container);

struct CalculatorOptions {
  double tolerance = 0.1;
  Duration cpu_initialization_period = std::chrono::minutes(5);
  Duration initial_readiness_delay = std::chrono::seconds(30);
};

/// A Utilization target's outcome: the replica count, the current utilization (percent of the
/// request, integral as upstream) and the average use per pod (thousandths).
struct UtilizationReplicas {
  int32_t replicas = 0;
  int32_t utilization = 0;
  int64_t raw_average_milli = 0;
};

/// An AverageValue target's outcome: the replica count and the average use (thousandths).
struct AverageValueReplicas {
  int32_t replicas = 0;
  int64_t average_milli = 0;
};

class ReplicaCalculator {
 public:
  ReplicaCalculator(CalculatorOptions options, TimePoint now) : options_(options), now_(now) {}

  /// Replicas for a target utilization (percent of the pods' requests of `resource`).
  Outcome<UtilizationReplicas> utilization_replicas(int32_t current, int32_t target_utilization,
                                                    const std::string& resource,
                                                    const std::vector<const api::Pod*>& pods,
                                                    PodMetricsInfo metrics,
                                                    const std::string& container = "") const;

  /// Replicas for a target average use per pod (thousandths of the resource's unit).
  Outcome<AverageValueReplicas> average_value_replicas(int32_t current, int64_t target_milli,
                                                       const std::string& resource,
                                                       const std::vector<const api::Pod*>& pods,
                                                       PodMetricsInfo metrics) const;

 private:
  CalculatorOptions options_;
  TimePoint now_;
};

}  // namespace kactor::actors::controllers::hpa
