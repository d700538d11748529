// A runtime that makes another fail now and then, from a seed: one start in N refused, one
// started container in N crashing after a while. For tests and simulations that must show
// the kubelet copes (back-off, restarts, status); the seed replays a run exactly (with a
// virtual clock).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "actors/kubelet/container_runtime_wrapper.hpp"
#include "api/util/random.hpp"

namespace kactor::kubelet {

struct FaultInjectionOptions {
  uint64_t seed = 1;
  /// One start_container in N fails with an error (0: never).
  uint32_t start_failure_one_in = 0;
  /// One started container in N crashes (exits 137 "Error", as if killed) at a uniformly
  /// random time within `crash_within` of its start (0: never).
  uint32_t crash_one_in = 0;
  Duration crash_within = std::chrono::seconds(60);
};

/// What a FaultInjectingRuntime did, for tests to check against.
struct InjectedFaults {
  uint64_t start_failures = 0;
  uint64_t crashes = 0;
};

class FaultInjectingRuntime final : public ContainerRuntimeWrapper {
 public:
  /// Wraps the runtime `inner` makes; its events pass through this runtime on their way to
  /// `sink`, so that a crash can be injected once a container runs.
  static std::unique_ptr<FaultInjectingRuntime> create(const RuntimeFactory& inner, Clock& clock,
                                                       RuntimeEventSink sink,
                                                       FaultInjectionOptions options);

  api::Result<std::string> start_container(const ContainerConfig& config) override;
  void forget(const std::string& container_id) override;

  InjectedFaults injected() const;

 private:
  /// Shared with the inner runtime's sink and the crash timers, which may outlive this.
  struct Shared {
    mutable std::mutex mutex;
    Clock* clock = nullptr;
    RuntimeEventSink sink;
    FaultInjectionOptions options;
    Random crash_random{1};
    InjectedFaults injected;
    std::set<std::string> running;   // started, not exited
    std::set<std::string> crashing;  // stopped by us: their exit is reported as a crash
    std::weak_ptr<ContainerRuntime> inner;
  };

  FaultInjectingRuntime(std::shared_ptr<ContainerRuntime> inner, std::shared_ptr<Shared> shared);

  static void on_inner_event(const std::shared_ptr<Shared>& shared, RuntimeEvent ev);
  static void crash(const std::weak_ptr<Shared>& weak, const std::string& id);

  std::shared_ptr<Shared> shared_;
  Random start_random_;  // used on the kubelet's thread only
};

/// A RuntimeFactory wrapping the runtimes `inner` makes in a FaultInjectingRuntime.
RuntimeFactory fault_injecting_runtime_factory(RuntimeFactory inner, FaultInjectionOptions options);

}  // namespace kactor::kubelet
