// The scheduling queue (upstream PriorityQueue): activeQ by priority then arrival,
// backoffQ by backoff expiry, and the unschedulable pool that cluster events or a
// periodic flush move back. A pod in the pool remembers the plugins that rejected it
// and moves back only for an event one of them registered (events_to_register, with
// its queueing hint). Pure data structure: the caller passes the time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "actors/scheduler/framework.hpp"
#include "api/time/clock.hpp"
#include "api/types/pod.hpp"

namespace kactor::scheduler {

struct QueueOptions {
  Duration initial_backoff = std::chrono::seconds(1);
  Duration max_backoff = std::chrono::seconds(10);
  /// Pods unschedulable for longer than this go back on the periodic flush.
  Duration max_unschedulable = std::chrono::minutes(5);
};

/// A pod in the queue with its scheduling history.
struct QueuedPod {
  std::shared_ptr<const api::Pod> pod;
  std::string key;
  TimePoint timestamp{};        // when it was (re)queued; orders ties and starts backoff
  TimePoint initial_attempt{};  // first time it was popped
  int32_t attempts = 0;         // times it was popped
  /// The plugins that rejected it last (empty: any event may help).
  std::set<std::string, std::less<>> unschedulable_plugins;
};

/// Per plugin name, the events it registered (Plugin::events_to_register).
using EventRegistry = std::map<std::string, std::vector<ClusterEventWithHint>, std::less<>>;

/// The registrations of every plugin of `frameworks`' plugins (several profiles may
/// share plugin names; their registrations are the same).
EventRegistry event_registry(const std::vector<const Framework*>& frameworks);

class SchedulingQueue {
 public:
  explicit SchedulingQueue(QueueOptions options = {}) : options_(options) {}

  /// A new pending pod goes to activeQ (an update if already queued anywhere).
  void add(std::shared_ptr<const api::Pod> pod, TimePoint now);
  /// The pod changed: keep the newest object; a spec change frees it from the
  /// unschedulable pool (to backoffQ while its backoff lasts, else activeQ).
  void update(std::shared_ptr<const api::Pod> pod, TimePoint now);
  /// The pod is gone (deleted or bound by someone else).
  void remove(const std::string& key);

  /// The highest-priority, earliest pod of activeQ, counted as an attempt. It stays
  /// known as "in flight" until done(), add_unschedulable() or add_backoff().
  std::optional<QueuedPod> pop(TimePoint now);
  /// The in-flight pod was scheduled: the queue forgets it.
  void done(const std::string& key);
  /// After a failed attempt: to the unschedulable pool, or to backoffQ if a cluster
  /// event arrived while the pod was being scheduled (it may fit now). No-op if the
  /// pod was deleted meanwhile.
  /// `plugins`: those that rejected it (FitError::unschedulable_plugins).
  void add_unschedulable(const std::string& key, TimePoint now,
                         std::set<std::string, std::less<>> plugins = {});
  /// After an error (e.g. the bind failed): straight to backoffQ.
  void add_backoff(const std::string& key, TimePoint now);

  /// Moves pods whose backoff has expired to activeQ.
  void flush_backoff(TimePoint now);
  /// Moves pods unschedulable for longer than max_unschedulable back.
  void flush_unschedulable(TimePoint now);
  /// Which events the plugins registered; without it every event moves every pod.
  void set_event_registry(EventRegistry registry) { registry_ = std::move(registry); }
  /// A cluster event: moves the unschedulable pods that a rejecting plugin registered
  /// the event for (and whose hint, if any, says queue). `old_obj` is null for an add,
  /// `new_obj` null for a delete. Returns how many pods moved.
  size_t on_event(const ClusterEvent& event, const api::Object* old_obj,
                  const api::Object* new_obj, TimePoint now);
  /// Every unschedulable pod back (a change the events do not describe).
  void move_all_to_active_or_backoff(TimePoint now);

  /// The backoff a pod with `attempts` failed attempts waits: initial doubled per
  /// further attempt, capped.
  Duration backoff_duration(int32_t attempts) const;

  size_t active_size() const { return active_.size(); }
  size_t backoff_size() const { return backoff_.size(); }
  size_t unschedulable_size() const { return unschedulable_.size(); }
  bool contains(const std::string& key) const { return pods_.contains(key); }

 private:
  enum class Where : uint8_t { active, backoff, unschedulable, in_flight };
  struct Entry {
    QueuedPod qp;
    Where where = Where::active;
    uint64_t seq = 0;
    uint64_t cycle = 0;  // the scheduling cycle in which it was popped
  };
  // activeQ order: higher priority first, then earlier timestamp, then arrival.
  using ActiveKey = std::tuple<int32_t, TimePoint, uint64_t, std::string>;
  using BackoffKey = std::tuple<TimePoint, uint64_t, std::string>;

  static int32_t priority(const api::Pod& p) { return p.spec.priority.value_or(0); }
  TimePoint backoff_expiry(const QueuedPod& qp) const;
  void detach(Entry& e);
  void to_active(Entry& e);
  void to_backoff(Entry& e);
  void to_active_or_backoff(Entry& e, TimePoint now);
  bool may_help(const QueuedPod& qp, const ClusterEvent& event, const api::Object* old_obj,
                const api::Object* new_obj) const;

  QueueOptions options_;
  std::map<std::string, Entry> pods_;
  std::set<ActiveKey> active_;
  std::set<BackoffKey> backoff_;
  std::set<std::string> unschedulable_;
  uint64_t seq_ = 0;
  uint64_t cycle_ = 0;
  uint64_t move_request_cycle_ = 0;
  EventRegistry registry_;
};

}  // namespace kactor::scheduler
