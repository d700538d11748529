// The simulated container runtime: no processes, only timers on the injected Clock.
// A container is created for `start_delay`, then runs until stopped, or, when the pod
// says so by annotation, exits on its own:
//   kactor.io/run-seconds: "5"   runs 5 s, then exits (absent: runs until stopped)
//   kactor.io/exit-code:   "1"   the code it exits with (default 0)
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/kubelet/container_runtime.hpp"

namespace kactor::kubelet {

inline constexpr const char* kExitCodeAnnotation = "kactor.io/exit-code";
inline constexpr const char* kRunSecondsAnnotation = "kactor.io/run-seconds";

struct SimRuntimeOptions {
  /// Image pull + container start.
  Duration start_delay = std::chrono::milliseconds(100);
  /// How long a container takes to stop after being asked (it exits with 0 "Completed");
  /// if longer than the grace period it is killed at the grace period (137 "Error").
  Duration stop_delay = Duration::zero();
};

class SimRuntime final : public ContainerRuntime {
 public:
  SimRuntime(Clock& clock, RuntimeEventSink sink, SimRuntimeOptions options = {});
  ~SimRuntime() override;

  api::Result<std::string> start_container(const ContainerConfig& config) override;
  void stop_container(const std::string& container_id, Duration grace) override;
  void forget(const std::string& container_id) override { cancel_timers(container_id); }

 private:
  void cancel_timers(const std::string& id);

  Clock& clock_;
  // Shared with timer callbacks, which may outlive the runtime.
  std::shared_ptr<RuntimeEventSink> sink_;
  SimRuntimeOptions options_;
  uint64_t next_ = 1;
  /// Pending timers per live container (start, exit).
  std::unordered_map<std::string, std::vector<Clock::TimerId>> timers_;
};

/// A RuntimeFactory making SimRuntimes with `options`.
RuntimeFactory sim_runtime_factory(SimRuntimeOptions options = {});

}  // namespace kactor::kubelet
