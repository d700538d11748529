// The kubelet's container runtime interface: start and stop containers, with the outcome
// reported through a callback; list what runs (a restarted kubelet adopts it); probe
// containers; read their logs. Implementations: SimRuntime (sim_runtime.hpp, timers only),
// wrappers over any runtime (container_runtime_wrapper.hpp, fault_injecting_runtime.hpp); a
// runtime of real processes can come behind the same interface. docs/kubelet.md describes the contract.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/kubelet/container_log.hpp"
#include "actors/kubelet/prober.hpp"
#include "api/status.hpp"
#include "api/time/clock.hpp"
#include "api/types/node.hpp"
#include "api/types/pod.hpp"

namespace kactor::kubelet {

/// Why a container runs. Init containers run to completion before the app containers;
/// sidecars (init containers with restartPolicy Always) start in order with them and keep
/// running beside the app containers.
enum class ContainerRole : uint8_t { app, init, sidecar };

/// What a runtime needs to start one container of a pod: the pod's sandbox (identity,
/// network, annotations) and the container spec, as the API server stored it.
struct ContainerConfig {
  // -- the pod ---------------------------------------------------------------------------
  std::string pod_uid;
  std::string pod_namespace;
  std::string pod_name;
  /// The pod's address ("" while it has none); the node's for host-network pods.
  std::string pod_ip;
  bool host_network = false;
  std::map<std::string, std::string> labels;
  /// The pod's annotations: runtimes may take directions from them (the simulated
  /// runtime reads kactor.io/run-seconds and kactor.io/exit-code: sim_annotations.hpp).
  std::map<std::string, std::string> annotations;

  // -- the container ---------------------------------------------------------------------
  std::string container_name;
  ContainerRole role = ContainerRole::app;
  /// How many times this container was started before (0 the first time), as CRI's
  /// ContainerMetadata.attempt: a runtime may keep the previous run's logs apart.
  int32_t attempt = 0;
  std::string image;
  std::string image_pull_policy;     // Always, IfNotPresent, Never
  std::vector<std::string> command;  // the entrypoint; empty: the image's
  std::vector<std::string> args;     // empty: the image's
  std::string working_dir;
  std::vector<api::EnvVar> env;
  std::vector<api::ContainerPort> ports;
  api::ResourceRequirements resources;  // limits to enforce, requests to reserve
};

/// Something that happened to a container.
struct RuntimeEvent {
  enum class Type : uint8_t {
    started,  ///< the container is running (image pulled, process started)
    exited,   ///< the container's process ended (by itself or after stop_container)
    logged,   ///< a followed container (follow_log) wrote lines: read them with read_log
  };
  Type type = Type::started;
  std::string container_id;
  int32_t exit_code = 0;
  std::string reason;  // exited: Completed, Error, ...
  TimePoint at{};      // when it happened, by the runtime's clock
};

/// A container the runtime knows, as list_containers() reports it.
struct ContainerInfo {
  enum class State : uint8_t {
    created,  ///< being started (no `started` event yet)
    running,
    exited,  ///< ended; kept until the kubelet forgets it
  };
  std::string id;
  std::string pod_uid;
  std::string container_name;
  State state = State::created;
  int32_t attempt = 0;
  TimePoint started_at{};   // running, exited
  TimePoint finished_at{};  // exited
  int32_t exit_code = 0;    // exited
  std::string reason;       // exited: Completed, Error, ...
};

/// Which log read_log reads: an instance of a pod's container, and which of its lines.
struct LogQuery {
  std::string pod_uid;
  std::string container_name;
  /// The instance, as the pod's status names it (the kubelet resolves `kubectl logs
  /// --previous` to lastState's id); empty: the newest.
  std::string container_id;
  LogSelection selection;
};

/// What read_log found.
struct LogRead {
  std::string container_id;  ///< the instance read
  bool running = false;      ///< it may still write (being created, or running)
  std::vector<LogLine> lines;
  /// The seq of the instance's newest line, selected or not: a follower goes on after it.
  uint64_t last_seq = 0;
};

/// Receives runtime events. May be called from any thread (a timer, a process reaper):
/// the kubelet forwards them into its mailbox.
using RuntimeEventSink = std::function<void(RuntimeEvent)>;

class ContainerRuntime {
 public:
  virtual ~ContainerRuntime() = default;

  /// Begins starting a container; its id ("<scheme>://...") is returned at once, the
  /// `started` (and later `exited`) events follow through the sink. An error leaves nothing
  /// behind (the kubelet retries after a back-off).
  virtual api::Result<std::string> start_container(const ContainerConfig& config) = 0;

  /// Asks a container to stop within `grace`; an `exited` event follows (a container
  /// still being created exits too). Unknown or finished ids are ignored.
  virtual void stop_container(const std::string& container_id, Duration grace) = 0;

  /// The kubelet has seen `container_id` exit and will not mention it again: the runtime
  /// may drop what it keeps about it.
  virtual void forget(const std::string& container_id) = 0;

  /// Every container the runtime knows (running, being created, exited and not forgotten),
  /// whoever started it: a restarted kubelet adopts those of its pods and stops the rest.
  /// Answers from the runtime's own bookkeeping, without blocking.
  virtual std::vector<ContainerInfo> list_containers() const = 0;

  /// Reads a container's log. The runtime keeps the newest instance's log and the one before
  /// it, at least (forget() does not drop them: a crashed container's last words are what
  /// `kubectl logs --previous` is for) until forget_logs. NotFound when it has no such
  /// instance. Answers without blocking.
  virtual api::Result<LogRead> read_log(const LogQuery& query) const = 0;

  /// While `follow` (counted: as many false as true calls end it), each line `container_id`
  /// writes is announced by a `logged` event through the sink. Unknown ids are ignored.
  virtual void follow_log(const std::string& container_id, bool follow) = 0;

  /// The pod is gone: the logs of its containers may go too.
  virtual void forget_logs(const std::string& pod_uid) = 0;

  /// Runs the containers' probes.
  virtual Prober& prober() = 0;

  /// The images the runtime holds (pulled for containers), as the node reports them in
  /// status.images. Default: none known.
  virtual std::vector<api::ContainerImage> list_images() const { return {}; }

  /// The size of `image` if the runtime holds it, else nullopt (CRI's ImageStatus): the
  /// kubelet decides from it whether the image must be pulled, and reports the size of a
  /// pulled one. Default: an image of list_images() with that name.
  virtual std::optional<int64_t> image_size(const std::string& image) const {
    for (const auto& i : list_images())
      for (const auto& name : i.names)
        if (name == image) return i.size_bytes;
    return std::nullopt;
  }
};

/// Makes a runtime reporting to `sink`, timed by `clock` (called by the kubelet actor when it
/// starts; a runtime may outlive it, as containerd outlives a restarted kubelet).
using RuntimeFactory =
    std::function<std::unique_ptr<ContainerRuntime>(Clock& clock, RuntimeEventSink sink)>;

}  // namespace kactor::kubelet
