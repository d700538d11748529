// KubeletBackend over CAF: each log request gets an actor of its own that asks the node's
// kubelet (found through a lookup the assembly provides) and passes on its answer and, when
// following, the chunks after it, until they end, the reader cancels or the kubelet goes. A
// summary request is one question and one answer.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/http/kubelet_backend.hpp"

namespace kactor::http {

/// The kubelet of a node, or nullopt when the cluster has no such node (or it is down).
using KubeletLookup = std::function<std::optional<caf::actor>(const std::string& node)>;

class CafKubeletBackend final : public KubeletBackend {
 public:
  CafKubeletBackend(caf::actor_system& system, KubeletLookup lookup,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

  std::shared_ptr<LogControl> pod_logs(const std::string& node, kubelet::PodLogRequest request,
                                       OnChunk on_chunk) override;
  void summary(const std::string& node, OnSummary done) override;

 private:
  caf::actor_system& system_;
  KubeletLookup lookup_;
  std::chrono::milliseconds timeout_;
};

}  // namespace kactor::http
