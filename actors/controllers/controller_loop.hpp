// The reconcile loop shared by the controllers: informer subscriptions, a work queue of
// keys, and syncs that may finish asynchronously (after API calls return).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/actor_system.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/client/informer.hpp"
#include "actors/client/work_queue.hpp"
#include "actors/common/context.hpp"
#include "api/status.hpp"

namespace spdlog {
class logger;
}

namespace kactor::actors::controllers {

/// Runs one controller's loop inside its actor. Keys are processed only once every watched
/// informer has synced (a controller must not act on a partial view), at most `workers` at a
/// time, never the same key twice concurrently (the WorkQueue guarantees that).
class ControllerLoop {
 public:
  /// Ends one sync: nullopt = success (back-off reset), a Status = retry with back-off.
  /// Call exactly once; later calls are ignored.
  using Finish = std::function<void(std::optional<api::Status>)>;
  using SyncFn = std::function<void(const std::string& key, Finish finish)>;
  using EventFn = std::function<void(const client::InformerEvent&)>;

  ControllerLoop(caf::event_based_actor* self, const Context& ctx, std::string name, int workers);
  ControllerLoop(const ControllerLoop&) = delete;
  ControllerLoop& operator=(const ControllerLoop&) = delete;

  /// Subscribes to the process's shared informer of `type`; every event of that kind goes
  /// to `on_event` (in this actor). Returns the informer (its cache is read by syncs).
  client::Informer watch(const api::TypeInfo& type, EventFn on_event);

  void set_sync(SyncFn sync) { sync_ = std::move(sync); }
  /// An event handler that enqueues the key ("namespace/name") of every changed object.
  EventFn enqueue_key() {
    return [this](const client::InformerEvent& e) { enqueue(api::object_key(*e.object)); };
  }

  void enqueue(const std::string& key);
  void enqueue_after(const std::string& key, Duration delay);

  /// `f` for a continuation of the sync of `key` that runs later, on an answer: if it throws,
  /// the sync fails as a throwing sync does (logged, `finish` called with the error, the key
  /// retried with back-off) instead of leaving the key in flight for ever.
  template <class F>
  auto continuation(std::string key, Finish finish, F f) {
    return
        [this, key = std::move(key), finish = std::move(finish), f = std::move(f)](auto&&... args) {
          try {
            f(args...);
          } catch (...) {
            sync_threw(key, finish);
          }
        };
  }

  /// Runs `fn` in this actor after `delay` on the Clock (once).
  void after(Duration delay, std::function<void()> fn);
  /// Runs `fn` every `period` on the Clock, first after one period (for controllers that
  /// also look at everything periodically, as the node lifecycle controller's monitor pass).
  void every(Duration period, std::function<void()> fn);

  /// Every watched informer has delivered its initial content.
  bool synced() const { return all_synced(); }

  /// The actor's behavior. `keep_alive` is held by the handlers (the controller's state).
  caf::behavior behavior(std::shared_ptr<void> keep_alive);
  /// Runs `controller->sync(key, finish)` for every key; the behavior keeps it alive.
  template <class Controller>
  caf::behavior run(std::shared_ptr<Controller> controller) {
    set_sync([c = controller.get()](const std::string& key, Finish finish) {
      c->sync(key, std::move(finish));
    });
    return behavior(std::move(controller));
  }

  caf::event_based_actor* self() const { return self_; }
  const Context& context() const { return ctx_; }
  Clock& clock() const { return *ctx_.clock; }
  caf::actor apiserver() const { return *ctx_.apiserver; }
  spdlog::logger& log() const { return *log_; }
  const std::string& name() const { return name_; }

 private:
  bool all_synced() const;
  /// Inside a catch block: logs what the sync of `key` threw and fails it with that.
  void sync_threw(const std::string& key, const Finish& finish);
  void schedule_process();
  void process();
  void on_events(const client::InformerEvents& batch);

  caf::event_based_actor* self_;
  Context ctx_;
  std::string name_;
  int workers_;
  std::shared_ptr<spdlog::logger> log_;
  client::WorkQueue queue_;
  SyncFn sync_;
  std::vector<client::Informer> informers_;
  /// Informers whose initial content (a `synced` batch) this actor has received.
  std::set<caf::actor_addr> synced_from_;
  std::unordered_map<const api::TypeInfo*, EventFn> handlers_;
  int in_flight_ = 0;
  bool process_pending_ = false;
  uint64_t next_timer_ = 0;
  std::unordered_map<uint64_t, std::function<void()>> timers_;
};

/// Spawns a controller actor: `Controller(self, ctx, workers, args...)`, whose start()
/// subscribes its informers and returns `loop.run(shared_from_this())`.
template <class Controller, class... Args>
caf::actor spawn_controller(const Context& ctx, int workers, Args... args) {
  return ctx.system->spawn([ctx, workers, args...](caf::event_based_actor* self) -> caf::behavior {
    return std::make_shared<Controller>(self, ctx, workers, args...)->start();
  });
}

/// Splits "namespace/name" (or "name") into its parts.
std::pair<std::string, std::string> split_key(const std::string& key);

}  // namespace kactor::actors::controllers
