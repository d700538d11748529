// How the HTTP handlers reach the kubelets (pods/log, nodes/<n>/proxy/stats/summary): a request
// to the kubelet of a node, its answer and, when following a log, the chunks after it,
// delivered to a callback on any thread.
// caf_kubelet_backend.cpp implements it over CAF; no CAF in this header.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "actors/kubelet/protocol/pod_logs.hpp"
#include "actors/kubelet/protocol/stats_summary.hpp"
#include "api/status.hpp"

namespace kactor::http {

/// A log being followed, as its reader steers it.
class LogControl {
 public:
  virtual ~LogControl() = default;
  /// The reader is gone: the kubelet stops sending. Idempotent.
  virtual void cancel() = 0;
};

class KubeletBackend {
 public:
  virtual ~KubeletBackend() = default;
  /// Gets each chunk in order: the first is the kubelet's answer (an error, or the selected
  /// lines), the last has `ended`. A node without a reachable kubelet, or one that does not
  /// answer in time, is an error chunk (503 / 504); a kubelet that goes away mid-follow ends
  /// the log.
  using OnChunk = std::function<void(kubelet::PodLogChunk)>;
  virtual std::shared_ptr<LogControl> pod_logs(const std::string& node,
                                               kubelet::PodLogRequest request,
                                               OnChunk on_chunk) = 0;

  /// The kubelet's Summary (GET /stats/summary), or an error: 503 when no kubelet runs for
  /// the node or it does not serve summaries, 504 when it does not answer in time.
  using OnSummary = std::function<void(api::Result<kubelet::Summary>)>;
  virtual void summary(const std::string& node, OnSummary done) = 0;
};

}  // namespace kactor::http
