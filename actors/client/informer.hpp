// Informers: list, then watch, one kind (optionally one namespace and selectors),
// keeping a local indexed Cache and telling subscribed actors what changed.
// On a 410 Expired (or a closed watch it cannot resume) it relists and reports
// the difference, so subscribers converge on the server's state.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/client/cache.hpp"
#include "api/time/clock.hpp"

namespace kactor::client {

/// One change as a subscriber sees it.
struct InformerEvent {
  enum class Type : uint8_t { added, updated, deleted };
  Type type = Type::added;
  api::ObjectPtr object;  // the new state (deleted: the last state)
  api::ObjectPtr old;     // updated: the previous state
};

/// What subscribers receive. `synced` is set on the message that completes the
/// initial content (and after a relist).
struct InformerEvents {
  std::vector<InformerEvent> events;
  bool synced = false;
};

struct InformerOptions {
  const api::TypeInfo* type = nullptr;
  std::string namespace_;  // empty: all namespaces
  std::string label_selector;
  std::string field_selector;
  /// Wait before listing again after an error.
  Duration retry_delay = std::chrono::seconds(1);
};

struct Informer {
  caf::actor actor;
  std::shared_ptr<const Cache> cache;
  std::shared_ptr<Cache> mutable_cache;  // for adding indexes
};

/// Spawns an informer. Subscribe with `anon_send(informer.actor, subscribe_atom::value,
/// subscriber)` (atoms: actors/client/messages.hpp): the subscriber gets the current content as `added` (once synced), then
/// every change, as InformerEvents messages.
Informer spawn_informer(caf::actor_system& system, caf::actor apiserver, Clock& clock,
                        InformerOptions options);

/// Informers shared per process: many controllers watching pods cost one watch.
class InformerFactory {
 public:
  InformerFactory(caf::actor_system& system, caf::actor apiserver, Clock& clock)
      : system_(system), apiserver_(std::move(apiserver)), clock_(clock) {}

  /// The informer for this kind/namespace/selectors, spawned on first use.
  Informer get(const api::TypeInfo& type, const std::string& namespace_ = "",
               const std::string& label_selector = "", const std::string& field_selector = "");
  /// Stops every informer (sends exit).
  void shutdown();

 private:
  caf::actor_system& system_;
  caf::actor apiserver_;
  Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, Informer> informers_;
};

}  // namespace kactor::client
