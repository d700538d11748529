// What the kubelet keeps per pod and per container, and the decisions that follow from it:
// which containers start next, which stop next, what restarts (its status: pod_status.hpp).
// No CAF: the actor drives it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/kubelet/container_runtime.hpp"
#include "actors/kubelet/prober.hpp"
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

/// The consecutive results of one probe of a container, counted against its thresholds as
/// upstream's probe worker does: the result changes after successThreshold successes or
/// failureThreshold failures in a row.
struct ProbeTracker {
  enum class Result : uint8_t { unknown, success, failure };
  /// The result that counts (after the thresholds).
  Result result = Result::unknown;
  /// The last raw result, and how many in a row were the same.
  Result last = Result::unknown;
  int32_t run = 0;

  /// Starts over from `initial` (a new run of the container).
  void reset(Result initial);
  /// Counts one raw result; true if `result` changed.
  bool record(bool success, const api::Probe& probe);
};

struct ContainerRec {
  enum class Phase : uint8_t {
    pending,   ///< not asked for yet: earlier init containers have not finished
    creating,  ///< asked the runtime to start it (or to try again after a refusal)
    running,
    backoff,     ///< exited, waiting to be restarted (CrashLoopBackOff)
    terminated,  ///< exited for good (restart policy, or the pod is being stopped)
  };
  std::string name;
  ContainerRole role = ContainerRole::app;
  /// Its index in the pod's spec.containers (app) or spec.initContainers (init, sidecar).
  size_t spec_index = 0;
  std::string image;
  Phase phase = Phase::pending;
  std::string id;  // current runtime container (creating/running)
  TimePoint started_at{};
  bool ever_started = false;
  int32_t restart_count = 0;
  api::Boxed<api::ContainerStateTerminated> terminated;     // the last termination
  api::Boxed<api::ContainerStateTerminated> previous;       // the one before
  Duration backoff = Duration::zero();                      // the current CrashLoopBackOff delay
  uint64_t epoch = 0;                                       // identifies the pending restart timer
  std::string error;  // the runtime refused to start it (retried after the back-off)
  /// The refusal was a failed image pull: ErrImagePull, then ImagePullBackOff from
  /// `pull_backoff_at` (the pod worker's next look) until the next pull.
  bool pull_failed = false;
  bool pull_backing_off = false;
  TimePoint pull_backoff_at{};
  /// The kubelet asked for its image to be pulled then (its Pulling event): the Pulled event
  /// says how long it took when the container starts. Unset: the image was present.
  std::optional<TimePoint> pull_started;

  ProbeTracker readiness, liveness, startup;
  /// Identifies the probe timers of the current run (a new run or a kill ends them).
  uint64_t probe_round = 0;
  /// Killed for failing this probe: restarted unless the restart policy is Never.
  std::optional<ProbeType> killed_by;
  /// Asked to stop while its pod stops (deletion, or its work is done).
  bool stopping = false;
  /// A sidecar that has been started once: the init containers after it may run.
  bool started_once = false;

  bool live() const { return phase == Phase::creating || phase == Phase::running; }
  bool is_init() const { return role != ContainerRole::app; }
};

struct PodWorker {
  std::string uid;
  std::string key;                      // namespace/name
  std::shared_ptr<const api::Pod> pod;  // the newest version seen
  std::string ip;
  TimePoint start_time{};
  /// The init containers in their order, then the app containers.
  std::vector<ContainerRec> containers;
  /// Every init container has done its part once (completed, or started for a sidecar):
  /// the app containers run. Stays true (a sidecar's restart does not undo it).
  bool initialized = false;
  /// The pod's containers are being stopped, by this time at the latest (deletion, or
  /// every regular container is done and the sidecars go).
  std::optional<TimePoint> stop_deadline;
  std::string final_phase;   // Succeeded/Failed once reached (sticky)
  /// Why the kubelet itself failed the pod (status.reason, status.message): node-pressure
  /// eviction, or admission refusing it ("Evicted").
  std::string reason;
  std::string message;
  /// Evicted while it ran: its status carries the DisruptionTarget condition.
  bool evicted = false;
  bool terminating = false;  // being deleted
  bool delete_sent = false;
  bool status_in_flight = false;
  bool status_dirty = false;
};

/// The container's spec in its pod.
const api::Container& spec_of(const api::Pod& pod, const ContainerRec& c);
/// Its probe of `type`, if it has one.
const api::Probe* probe_of(const api::Container& spec, ProbeType type);

/// The restart policy that applies to the container: Always for a sidecar; for a regular
/// init container Never under a Never pod, else OnFailure; the pod's for app containers.
std::string restart_policy_of(const api::Pod& pod, const ContainerRec& c);
/// Whether restartPolicy `policy` ("" = Always) restarts a container that exited with `exit_code`.
bool restarts_after(const std::string& policy, int32_t exit_code);

/// Whether the init containers have all done their part: regular ones completed (exit 0),
/// sidecars started once.
bool init_done(const PodWorker& w);
/// The pending containers to start now: the first init container not done yet (one at a
/// time, in order), or, once initialized, every app container.
std::vector<size_t> due_to_start(const PodWorker& w);
/// Whether the pod's regular containers are done for good (all app containers exited and
/// will not restart, or an init container failed under restartPolicy Never): its sidecars
/// are stopped then, and its phase becomes terminal.
bool regular_containers_done(const PodWorker& w);
/// The live containers to ask to stop now while the pod stops (at `now`): app and regular
/// init containers at once; a sidecar once every app container and every later sidecar
/// has exited (sidecars stop in reverse order, last), or once the deadline passed.
std::vector<size_t> due_to_stop(const PodWorker& w, TimePoint now);

}  // namespace kactor::kubelet
