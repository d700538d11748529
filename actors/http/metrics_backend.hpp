// How the HTTP handlers reach the metrics server (metrics.k8s.io): a query and its answer,
// delivered to a callback on any thread. caf_metrics_backend.cpp implements it over CAF; no CAF
// in this header.
#pragma once

#include <functional>

#include "actors/metrics/protocol/resource_metrics.hpp"

namespace kactor::http {

class MetricsBackend {
 public:
  virtual ~MetricsBackend() = default;
  /// The metrics server's answer; a server that does not answer in time is a 503 error.
  using OnAnswer = std::function<void(metrics::MetricsAnswer)>;
  virtual void query(metrics::MetricsQuery query, OnAnswer done) = 0;
};

}  // namespace kactor::http
