// How busy each component is: the wall time its actors spend in message handlers, summed over
// its actors (all kubelets together, say), and the messages they handle. CAF 0.17 counts no
// time per actor, and an actor moves between worker threads, so no thread's CPU time shows
// one actor's work. A component that is one actor (the API server, the scheduler) and busy
// close to one core is what every other component waits on.
//
// Every guarded handler (guarded.hpp) is measured under its logger's name ("apiserver",
// "kubelet", ...), or into the meter guarded_as() is given (each controller's own); response
// callbacks made by the client library (AsyncClient) count under "client", whichever
// component's actor runs them. Handlers that are not guarded (a few response callbacks of the
// HTTP API's backends and the metrics server) are not counted. The API server's store worker,
// a thread, counts its jobs as "store-worker" (RocksDB writes, and fsync waits under sync
// durability, included). The totals are the registry's series (telemetry/registry.hpp),
// rendered at /metrics: kactor_component_busy_nanoseconds_total and
// kactor_component_messages_total, both labelled with the component. Cost: two reads of the
// monotonic clock and two relaxed atomic additions per message, and a look-up in a
// thread-local map for each guarded response callback made without a meter in hand (the
// client library keeps its own).
//
// Wall time, not CPU time: a handler whose thread is descheduled (more runnable threads than
// cores) counts the time it waited too.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "telemetry/registry.hpp"

namespace kactor::actors {

/// The two series of one component.
struct BusyMeter {
  telemetry::Counter& nanoseconds;
  telemetry::Counter& messages;
};

/// The meter of `component`, created on first use. Each thread remembers the meters it has
/// asked for, so asking again takes no lock.
BusyMeter& busy_meter(const std::string& component);

/// Measures one handler's run into a meter, whichever way the handler leaves.
class BusyScope {
 public:
  explicit BusyScope(BusyMeter& meter) : meter_(meter), start_(std::chrono::steady_clock::now()) {}
  ~BusyScope() {
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    meter_.nanoseconds.inc(static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()));
    meter_.messages.inc();
  }
  BusyScope(const BusyScope&) = delete;
  BusyScope& operator=(const BusyScope&) = delete;

 private:
  BusyMeter& meter_;
  std::chrono::steady_clock::time_point start_;
};

/// One component's totals so far.
struct BusyTotals {
  std::string component;
  uint64_t nanoseconds = 0;
  uint64_t messages = 0;
};

/// Every component measured so far in this process, in the order first seen.
std::vector<BusyTotals> busy_totals();

}  // namespace kactor::actors
