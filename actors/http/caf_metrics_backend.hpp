// MetricsBackend over CAF: each query is asked by a short-lived actor of its own.
#pragma once

#include <chrono>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/http/metrics_backend.hpp"

namespace kactor::http {

class CafMetricsBackend final : public MetricsBackend {
 public:
  CafMetricsBackend(caf::actor_system& system, caf::actor metrics_server,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

  void query(metrics::MetricsQuery query, OnAnswer done) override;

 private:
  caf::actor_system& system_;
  caf::actor server_;
  std::chrono::milliseconds timeout_;
};

}  // namespace kactor::http
