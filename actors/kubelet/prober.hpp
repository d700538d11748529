// The kubelet's probe interface: runs one readiness, liveness or startup probe of a
// container and says whether it passed. When to probe, and what the results mean
// (thresholds, initial delay, restarts), is the kubelet's (probing.cpp); how to probe is the
// runtime's, which knows how to reach its containers: SimProber (sim_prober.hpp) decides by
// the pod's annotations, a process runtime would exec, connect or send the HTTP GET.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/types/pod.hpp"

namespace kactor::kubelet {

enum class ProbeType : uint8_t { readiness, liveness, startup };

/// "readiness", "liveness", "startup".
const char* to_string(ProbeType type);

/// The outcome of one probe.
struct ProbeResult {
  bool success = false;
  /// Why it failed (a prober's diagnostic; upstream puts it in the Unhealthy event).
  std::string message;
};

/// One probe to run. The pointers point into `*pod`, which the target holds.
struct ProbeTarget {
  ProbeType type = ProbeType::readiness;
  std::shared_ptr<const api::Pod> pod;
  const api::Container* container = nullptr;
  const api::Probe* probe = nullptr;
  std::string container_id;
  std::string pod_ip;
};

/// Receives a probe's result. Called exactly once, at once (inside Prober::probe) or later
/// from any thread; the kubelet takes it into its mailbox in the second case.
using ProbeCallback = std::function<void(ProbeResult)>;

class Prober {
 public:
  virtual ~Prober() = default;

  /// Runs the probe `target.probe` (exec, httpGet or tcpSocket) against the container. Must
  /// not block: a prober that waits for a connection or a command answers `done` later, and
  /// within the probe's timeoutSeconds (a timeout is a failure).
  virtual void probe(const ProbeTarget& target, ProbeCallback done) = 0;
};

}  // namespace kactor::kubelet
