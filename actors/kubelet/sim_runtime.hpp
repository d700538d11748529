// The simulated container runtime: no processes, only timers on the injected Clock.
// A container is created for `start_delay`, then runs until stopped, or, when the pod's
// annotations say so (sim_annotations.hpp), exits on its own:
//   kactor.io/run-seconds: "5"        every container runs 5 s, then exits
//   kactor.io/run-seconds: "fetch=2"  container "fetch" runs 2 s; the others until stopped
//   kactor.io/exit-code:   "1"        the code they exit with (default 0)
// A regular init container without a run-seconds entry completes (exit 0) as soon as it
// started, as an init script that has little to do. Probes: SimProber (sim_prober.hpp).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/kubelet/container_runtime.hpp"
#include "actors/kubelet/sim_annotations.hpp"
#include "actors/kubelet/sim_prober.hpp"

namespace kactor::kubelet {

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
  void forget(const std::string& container_id) override;
  std::vector<ContainerInfo> list_containers() const override;
  Prober& prober() override { return prober_; }

  /// Sends the events from now on to `sink` (a kubelet restarted on the same machine); the
  /// containers and their timers carry on.
  void attach(RuntimeEventSink sink);

 private:
  struct Record {
    ContainerInfo info;
    std::vector<Clock::TimerId> timers;  // pending: start, exit
  };
  /// Shared with timer callbacks, which may outlive the runtime (a real clock's thread).
  struct Shared {
    mutable std::mutex mutex;
    RuntimeEventSink sink;
    std::unordered_map<std::string, Record> containers;
    uint64_t next_id = 1;
  };

  /// Schedules `ev` at `after`: the record is updated and the sink told, unless the
  /// container was stopped or forgotten before.
  static Clock::TimerId schedule(Clock& clock, const std::shared_ptr<Shared>& shared,
                                 Duration after, RuntimeEvent ev);
  /// Applies `ev` to its record and tells the sink (mutex held).
  static void emit(Shared& shared, const RuntimeEvent& ev);

  Clock& clock_;
  std::shared_ptr<Shared> shared_;
  SimRuntimeOptions options_;
  SimProber prober_;
};

/// A RuntimeFactory making a new SimRuntime with `options` for each kubelet: its
/// containers end with it, as on a machine that rebooted.
RuntimeFactory sim_runtime_factory(SimRuntimeOptions options = {});

/// A RuntimeFactory attaching each kubelet to `runtime`, which outlives them: a restarted
/// kubelet finds the containers its predecessor started (list_containers) and adopts them.
RuntimeFactory shared_sim_runtime_factory(std::shared_ptr<SimRuntime> runtime);

}  // namespace kactor::kubelet
