// What the kubelet keeps per pod and per container, and how that turns into the pod's
// status (containerStatuses, phase, conditions). No CAF: the actor drives it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/time/clock.hpp"
#include "api/types/pod.hpp"

namespace kactor::kubelet {

/// CrashLoopBackOff timing (k8s-semantics §8): 10 s, doubling, capped at 300 s, reset
/// after the container ran 10 min without failing.
inline constexpr Duration kBackoffInitial = std::chrono::seconds(10);
inline constexpr Duration kBackoffMax = std::chrono::seconds(300);
inline constexpr Duration kBackoffReset = std::chrono::minutes(10);

/// The back-off to wait after a container that ran `ran` exits, given the previous one.
Duration next_backoff(Duration previous, Duration ran);

struct ContainerRec {
  enum class Phase : uint8_t {
    creating,  ///< asked the runtime to start it
    running,
    backoff,     ///< exited, waiting to be restarted (CrashLoopBackOff)
    terminated,  ///< exited for good (restart policy, or the pod is being deleted)
  };
  std::string name;
  /// Its index in the pod's spec.containers.
  size_t spec_index = 0;
  std::string image;
  std::optional<api::Probe> readiness_probe;
  Phase phase = Phase::creating;
  std::string id;  // current runtime container (creating/running)
  TimePoint started_at{};
  bool ever_started = false;
  int32_t restart_count = 0;
  std::optional<api::ContainerStateTerminated> terminated;  // the last termination
  std::optional<api::ContainerStateTerminated> previous;    // the one before
  Duration backoff = Duration::zero();                      // the current CrashLoopBackOff delay
  uint64_t epoch = 0;                                       // identifies the pending restart timer
  std::string error;  // the runtime refused to start it (retried after the back-off)

  bool live() const { return phase == Phase::creating || phase == Phase::running; }
};

struct PodWorker {
  std::string uid;
  std::string key;                      // namespace/name
  std::shared_ptr<const api::Pod> pod;  // the newest version seen
  std::string ip;
  TimePoint start_time{};
  std::vector<ContainerRec> containers;
  std::string final_phase;  // Succeeded/Failed once reached (sticky)
  bool terminating = false;
  bool delete_sent = false;
  bool status_in_flight = false;
  bool status_dirty = false;
};

/// Whether restartPolicy `policy` ("" = Always) restarts a container that exited with `exit_code`.
bool restarts_after(const std::string& policy, int32_t exit_code);

/// Whether a container counts as ready at `now`: running, past its readiness probe's
/// initial delay (the simulated probe always passes), not forced off by annotation.
bool container_ready(const ContainerRec& c, const api::Pod& pod, TimePoint now);

/// The container's status as the API shows it.
api::ContainerStatus container_status(const ContainerRec& c, const api::Pod& pod, TimePoint now);

/// Pending / Running / Succeeded / Failed from the containers (final_phase wins).
std::string pod_phase(const PodWorker& w);

/// The status to report: built from the worker, keeping the current status's condition
/// transition times where a condition did not change.
api::PodStatus build_pod_status(const PodWorker& w, const std::string& host_ip, TimePoint now);

}  // namespace kactor::kubelet
