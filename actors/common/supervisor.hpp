// Supervision: a component actor that dies (a bug, an exception outside its handlers, a kill)
// is started again after an exponential back-off, as the kubelet restarts a crashed
// control-plane container. The supervisor's handle stands for the component: messages sent to
// it are forwarded to the current incarnation (answers go straight back to the sender), so
// those who hold the handle keep talking to the component across restarts.
//
// A component that stops on purpose (exit reason normal or user_shutdown) stops its supervisor
// too. Sending the supervisor an exit message stops the component first, then the supervisor;
// a supervisor that ends otherwise (killed) takes its component along. A component killed
// (exit_reason::kill) is restarted like any other death.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "api/time/clock.hpp"

namespace kactor::actors {

/// Starts one incarnation of a component: its handle, or an invalid handle if it cannot start
/// (which counts as a death: the supervisor tries again after the back-off).
using StartFn = std::function<caf::actor()>;

/// What happened to a supervised component (for logs, metrics and tests).
struct SupervisorEvent {
  enum class Kind {
    died,          ///< an incarnation ended abnormally; a restart follows after `delay`
    start_failed,  ///< the start function returned no actor; another try after `delay`
    restarted,     ///< a new incarnation runs
    stopped,       ///< the component stopped on purpose, or was told to: the supervisor ends
  };
  Kind kind = Kind::died;
  std::string component;
  /// died/stopped: the exit reason, as CAF prints it.
  std::string reason;
  /// died/start_failed: the back-off before the next start.
  Duration delay{};
  /// Restarts so far (restarted: including this one).
  uint64_t restarts = 0;
};

/// Counters a supervisor keeps; readable from any thread.
struct SupervisorStats {
  std::atomic<uint64_t> deaths{0};    ///< incarnations that ended abnormally
  std::atomic<uint64_t> restarts{0};  ///< incarnations started after the first
};

struct SupervisorOptions {
  /// Back-off before the first restart; it doubles after each death, up to `max_backoff`...
  Duration initial_backoff = std::chrono::seconds(1);
  Duration max_backoff = std::chrono::minutes(5);
  /// ...and returns to `initial_backoff` when the incarnation that died had run this long.
  Duration healthy_after = std::chrono::minutes(10);
  /// Called (on the supervisor's thread) for every SupervisorEvent; may be empty.
  std::function<void(const SupervisorEvent&)> on_event;
  /// Filled while the supervisor runs; created if null.
  std::shared_ptr<SupervisorStats> stats;
};

/// Starts `component` (named `name` in logs and events) with `start` and returns the handle
/// of its supervisor, which restarts it through `clock` (timers only, never CAF's own).
/// Returns an invalid handle, and starts nothing, if the first start fails: the caller reports
/// that synchronously (a configuration error is not retried).
caf::actor supervise(caf::actor_system& system, Clock& clock, std::string name, StartFn start,
                     SupervisorOptions options = {});

}  // namespace kactor::actors
