// A CAF actor system configured for kactor (message types registered, I/O module
// loaded), owning its configuration, as CAF requires the config to outlive it.
#pragma once

#include <memory>

#include <caf/fwd.hpp>

namespace kactor::runtime {

class ActorSystem {
 public:
  /// `threads` = 0: CAF's default (one worker per core).
  explicit ActorSystem(size_t threads = 0);
  ~ActorSystem();
  caf::actor_system& get() { return *system_; }
  operator caf::actor_system&() { return *system_; }

 private:
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
};

/// Registers the API server protocol's message types with `cfg`: what the role processes send
/// each other (docs/multi-host.md); the other components' messages stay in process.
void register_kactor_types(caf::actor_system_config& cfg);

}  // namespace kactor::runtime
