// The kubelet's container runtime interface: start and stop containers, with the
// outcome reported through a callback. The simulated runtime (sim_runtime.hpp) ships
// now; a runtime running real processes can come later behind the same interface.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor::kubelet {

/// What a runtime needs to start one container of a pod.
struct ContainerConfig {
  std::string pod_uid;
  std::string pod_namespace;
  std::string pod_name;
  std::string container_name;
  std::string image;
  /// The pod's annotations: runtimes may take directions from them (the simulated
  /// runtime reads kactor.io/exit-code and kactor.io/run-seconds).
  std::map<std::string, std::string> annotations;
};

/// Something that happened to a container.
struct RuntimeEvent {
  enum class Type : uint8_t {
    started,  ///< the container is running (image pulled, process started)
    exited,   ///< the container's process ended (by itself or after stop_container)
  };
  Type type = Type::started;
  std::string container_id;
  int32_t exit_code = 0;
  std::string reason;  // exited: Completed, Error, ...
  TimePoint at{};      // when it happened, by the runtime's clock
};

/// Receives runtime events. May be called from any thread (a timer, a process reaper):
/// the kubelet forwards them into its mailbox.
using RuntimeEventSink = std::function<void(RuntimeEvent)>;

class ContainerRuntime {
 public:
  virtual ~ContainerRuntime() = default;

  /// Begins starting a container; its id ("<scheme>://...") is returned at once, the
  /// `started` (and later `exited`) events follow through the sink.
  virtual api::Result<std::string> start_container(const ContainerConfig& config) = 0;

  /// Asks a container to stop within `grace`; an `exited` event follows (a container
  /// still being created exits too). Unknown or finished ids are ignored.
  virtual void stop_container(const std::string& container_id, Duration grace) = 0;

  /// The kubelet has seen `container_id` exit and will not mention it again: the runtime
  /// may drop what it keeps about it.
  virtual void forget(const std::string& container_id) = 0;
};

/// Makes a runtime reporting to `sink`, timed by `clock` (called by the kubelet actor).
using RuntimeFactory =
    std::function<std::unique_ptr<ContainerRuntime>(Clock& clock, RuntimeEventSink sink)>;

}  // namespace kactor::kubelet
