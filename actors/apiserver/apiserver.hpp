// Spawning the API server actor. Light header: no CAF internals beyond fwd.
#pragma once

#include <memory>

#include <caf/fwd.hpp>

#include "actors/apiserver/allocators/options.hpp"
#include "actors/apiserver/watch_hub.hpp"
#include "api/time/clock.hpp"
#include "api/util/random.hpp"

namespace kactor::store {
class Store;
}

namespace kactor::apiserver {

struct ApiServerOptions {
  WatchHub::Options watch;
  /// How often watchers that asked for bookmarks get one.
  Duration bookmark_interval = std::chrono::seconds(60);
  /// How often the event log is compacted, and what survives a compaction.
  Duration compaction_interval = std::chrono::minutes(5);
  int64_t compaction_keep_events = 100000;
  Duration compaction_keep_age = std::chrono::minutes(5);
  /// Requests handled before writes are flushed to the store at the latest (bounds a batch).
  size_t max_batch = 4096;
  /// Service CIDR and NodePort range of the Service allocators.
  allocators::ServiceAllocatorOptions services;
};

/// Spawns the API server over `store` (shared with its I/O actor, which may outlive it). It loads the store,
/// creates the default namespaces and system priority classes if missing, and serves
/// Request / WatchRequest messages (see protocol.hpp, messages.hpp). Fails if the store
/// cannot be loaded (the error is logged and the actor is not spawned).
caf::actor spawn_apiserver(caf::actor_system& system, std::shared_ptr<store::Store> store,
                           Clock& clock,
                           Random random, ApiServerOptions options = {});

}  // namespace kactor::apiserver
