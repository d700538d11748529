// The whole Kubernetes API as one request handler: health checks, /version, discovery,
// OpenAPI, /metrics and the resource endpoints. The server (server.hpp) authenticates; this
// decides what a request gets.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "actors/http/backend.hpp"
#include "actors/http/exchange.hpp"
#include "actors/http/metrics.hpp"
#include "actors/http/metrics_backend.hpp"
#include "actors/http/resource_handler.hpp"
#include "actors/http/version_info.hpp"
#include "api/time/clock.hpp"

namespace kactor::http {

struct HandlerOptions {
  /// "host:port" as clients reach the server (the /api document names it).
  std::string server_address = "127.0.0.1:6443";
  BuildInfo build;
  /// Requests served at once before more get 429 TooManyRequests (Retry-After: 1), as
  /// kube-apiserver's --max-requests-inflight (reads) and --max-mutating-requests-inflight
  /// (writes); watches and followed logs do not count. 0: no limit.
  int max_requests_inflight = 400;
  int max_mutating_requests_inflight = 200;
};

class ApiHandler {
 public:
  /// `kubelets` serves pods/log and the node proxy, `metrics` metrics.k8s.io (null: a 503
  /// there).
  ApiHandler(std::shared_ptr<ApiBackend> backend, const Clock& clock, HandlerOptions options,
             std::shared_ptr<KubeletBackend> kubelets = nullptr,
             std::shared_ptr<MetricsBackend> metrics = nullptr);

  void handle(HttpRequest request, ExchangePtr exchange);
  /// The address /api names (known only once the server listens, when its port was 0).
  void set_server_address(std::string address);
  const Metrics& metrics() const { return *metrics_; }

 private:
  void health(const Route& route, ExchangePtr exchange);

  std::shared_ptr<ApiBackend> backend_;
  const Clock& clock_;
  HandlerOptions options_;
  mutable std::mutex address_mutex_;
  ResourceHandler resources_;
  std::shared_ptr<MetricsBackend> resource_metrics_;
  std::shared_ptr<Metrics> metrics_;
  std::shared_ptr<std::atomic<int>> reads_inflight_ = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<std::atomic<int>> writes_inflight_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace kactor::http
