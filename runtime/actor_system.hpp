// A CAF actor system configured for kactor (message types registered, I/O module
// loaded), owning its configuration, as CAF requires the config to outlive it.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include <caf/fwd.hpp>

namespace kactor::runtime {

/// BASP heartbeats on every connection of the middleman (docs/multi-host.md, "Heartbeats"):
/// a peer cut off by the network (no FIN, no RST: a half-open connection) is noticed only
/// when TCP gives up, many minutes later. With these, each side sends a heartbeat every
/// `interval` and drops a connection on which nothing arrived for `timeout`; the proxies of
/// the peer's actors then go down as if it had closed the connection.
struct Heartbeats {
  std::chrono::milliseconds interval{1000};
  std::chrono::milliseconds timeout{5000};
};

class ActorSystem {
 public:
  /// `threads` = 0: default_worker_threads(). `heartbeats`: none by default (a
  /// process that connects nowhere, or tests in one process).
  explicit ActorSystem(size_t threads = 0, std::optional<Heartbeats> heartbeats = std::nullopt);
  ~ActorSystem();
  caf::actor_system& get() { return *system_; }
  operator caf::actor_system&() { return *system_; }

 private:
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
};

/// One CAF worker per core this process may run on (its affinity mask, as `taskset` sets it),
/// at least two: a worker blocked in a RocksDB write or fsync leaves another to run the rest.
size_t default_worker_threads();

/// Registers the API server protocol's message types with `cfg`: what the role processes send
/// each other (docs/multi-host.md); the other components' messages stay in process.
void register_kactor_types(caf::actor_system_config& cfg);

}  // namespace kactor::runtime
