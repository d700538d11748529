// Spawning the API server actor. Light header: no CAF internals beyond fwd.
#pragma once

#include <functional>
#include <memory>

#include <caf/fwd.hpp>

#include "actors/apiserver/admission/admission.hpp"
#include "actors/apiserver/allocators/options.hpp"
#include "actors/apiserver/token_options.hpp"
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
  /// A hard bound on the event log, whatever its age: once it holds more events than this it
  /// is compacted down to half as many at once. 0: no bound (the log's age rule
  /// alone, as etcd's five-minute history). The runtime sets it for the in-memory store,
  /// whose log is RAM: at 150,000 pods a five-minute history is ~1.5 million events. A
  /// watcher further behind than the kept events is answered 410 Expired and relists, as
  /// from a compacted etcd.
  int64_t compaction_max_events = 0;
  /// Requests handled before writes are flushed to the store at the latest (bounds a batch).
  size_t max_batch = 4096;
  /// Service CIDR and NodePort range of the Service allocators.
  allocators::ServiceAllocatorOptions services;
  /// How long an Event is kept after it was last written (kube-apiserver --event-ttl); zero
  /// keeps them for ever. Expired Events are deleted at start-up and every
  /// `event_ttl_sweep_interval`, at most `max_batch` per round.
  Duration event_ttl = std::chrono::hours(1);
  Duration event_ttl_sweep_interval = std::chrono::minutes(1);
  /// Settings of the default admission plugins (DefaultTolerationSeconds).
  AdmissionOptions admission_options;
  /// The admission plugins, made afresh for each start; empty: default_admission_chain().
  /// (Tests add plugins; a later webhook would too.)
  std::function<AdmissionChain()> admission;
  /// Service-account tokens (serviceaccounts/<name>/token): the issuer and its limits.
  TokenOptions tokens;
};

/// Spawns the API server over `store` (shared with its store worker thread). It loads
/// the store, creates the default namespaces and system priority classes if missing, deletes
/// expired Events, and serves Request / WatchRequest messages (see protocol.hpp, messages.hpp).
/// If the store cannot be loaded the error is logged and the actor ends at once (with
/// sec::runtime_error). A request whose handling throws is answered 500 InternalError and the
/// actor serves on (actors/common/guarded.hpp).
caf::actor spawn_apiserver(caf::actor_system& system, std::shared_ptr<store::Store> store,
                           Clock& clock,
                           Random random, ApiServerOptions options = {});

}  // namespace kactor::apiserver
