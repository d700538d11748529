// What every component actor of a cluster is given: the API server, the clock,
// the process's shared informers and a seed for its own random stream.
#pragma once

#include <cstdint>
#include <string>

#include <caf/fwd.hpp>

#include "api/time/clock.hpp"
#include "api/util/random.hpp"

namespace kactor::client {
class InformerFactory;
}

namespace kactor::actors {

struct Context {
  caf::actor_system* system = nullptr;
  /// The API server (a handle valid in this process, local or remote).
  const caf::actor* apiserver = nullptr;
  /// Every timer goes through this clock (real, or virtual in tests).
  Clock* clock = nullptr;
  /// Informers shared by all components of this process.
  client::InformerFactory* informers = nullptr;
  /// Root seed of the cluster; a component uses random(name) for its own stream.
  uint64_t seed = 1;

  Random random(std::string_view component) const { return Random(seed).fork(component); }
};

}  // namespace kactor::actors
