// The API server with its store, as one unit: what an embedding program or a test
// starts first. (The whole cluster with controllers, scheduler and nodes builds on it.)
#pragma once

#include <memory>
#include <string>

#include <caf/fwd.hpp>

#include "actors/apiserver/apiserver.hpp"
#include "actors/common/supervisor.hpp"
#include "api/status.hpp"
#include "api/time/clock.hpp"
#include "store/types.hpp"

namespace kactor::store {
class Store;
}

namespace kactor::runtime {

struct ControlPlaneOptions {
  /// Where the store lives; empty: an in-memory RocksDB (nothing on disk).
  std::string data_dir;
  /// Durability of a data directory (sync by default; in-memory ignores this).
  store::Durability durability = store::Durability::sync;
  /// Seed of every random choice (uids, generated names).
  uint64_t seed = 1;
  /// The clock; null: a real clock owned by the control plane.
  Clock* clock = nullptr;
  apiserver::ApiServerOptions apiserver;
  /// How the API server is restarted when it dies (back-off, observer).
  actors::SupervisorOptions supervision;
};

class ControlPlane {
 public:
  static api::Result<std::unique_ptr<ControlPlane>> start(caf::actor_system& system,
                                                          ControlPlaneOptions options);
  ~ControlPlane();

  /// The API server's supervisor, which stands for it: requests sent to it reach the running
  /// API server, across restarts (actors/common/supervisor.hpp).
  const caf::actor& apiserver() const;
  Clock& clock() { return *clock_; }
  store::Store& store() { return *store_; }
  /// Stops the API server (and its supervisor) and waits until it has terminated; the store
  /// stays open.
  void stop();

 private:
  ControlPlane() = default;
  caf::actor_system* system_ = nullptr;
  std::unique_ptr<Clock> owned_clock_;
  Clock* clock_ = nullptr;
  std::shared_ptr<store::Store> store_;
  std::unique_ptr<caf::actor> apiserver_;
};

}  // namespace kactor::runtime
