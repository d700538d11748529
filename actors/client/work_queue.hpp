// The controller work queue (client-go's rate-limited delaying workqueue), single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "actors/client/rate_limiter.hpp"
#include "api/time/clock.hpp"

namespace kactor::telemetry {
class Counter;
class Gauge;
}  // namespace kactor::telemetry

namespace kactor::client {

/// Keys ("namespace/name") waiting to be reconciled, owned and driven by one actor.
///
/// Semantics follow client-go's workqueue:
///  - a key is queued at most once (add() of a queued key is a no-op);
///  - a key handed out by get() is "processing" until done(key); adding it meanwhile marks it
///    dirty, and done() re-queues it, so one key is never processed twice concurrently;
///  - get() pops in FIFO order.
///
/// Timer contract. The queue owns no timers and never blocks. It reads time from the Clock and,
/// whenever a delayed key (add_after, add_rate_limited) needs attention earlier than any wakeup
/// it has already asked for, calls `request_wakeup(delay)`. The owner must then arrange for
/// pump() to be called once, `delay` later — typically by scheduling a message to itself with
/// Clock::schedule_after and calling pump() in its handler. pump() moves every delayed key whose
/// time has come into the queue (then get() them) and asks for the next wakeup if needed.
/// Calling pump() more often than requested is harmless; never calling it after a request
/// stalls delayed keys. request_wakeup is called synchronously from add_after, add_rate_limited
/// and pump, so it must not call back into the queue.
class WorkQueue {
 public:
  using WakeupRequest = std::function<void(Duration)>;

  WorkQueue(const Clock& clock, WakeupRequest request_wakeup);
  WorkQueue(const Clock& clock, WakeupRequest request_wakeup, RateLimiter::Options limits);
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;
  ~WorkQueue();

  /// Reports the queue in the process's metrics as client-go's named queues do:
  /// workqueue_depth{name} (keys ready) and workqueue_adds_total{name} (keys newly queued).
  /// Queues of one name add into one series. Unnamed queues are not reported.
  void report_as(const std::string& name);

  /// Queues `key` now (de-duplicated; deferred until done() if it is processing).
  /// Ignored after shut_down().
  void add(const std::string& key);

  /// The next key in FIFO order, now processing; nullopt if none is ready.
  /// Keys queued before shut_down() are still handed out.
  std::optional<std::string> get();

  /// Ends processing of `key`; re-queues it if it was added meanwhile. No-op unless `key` was
  /// handed out by get() and not yet done.
  void done(const std::string& key);

  /// Keys ready for get() (not counting processing or delayed ones).
  size_t size() const { return queue_.size(); }

  /// Keys handed out by get() and not yet done().
  size_t processing() const { return processing_.size(); }

  /// Keys waiting for their delay to elapse.
  size_t delayed() const { return waiting_.size(); }

  /// Stops accepting keys and drops delayed ones; keys already queued can still be drained.
  void shut_down();
  bool shutting_down() const { return shutting_down_; }

  /// Queues `key` after `delay` (immediately if delay <= 0). If `key` is already waiting, the
  /// earlier of the two times wins.
  void add_after(const std::string& key, Duration delay);

  /// add_after(key, rate limiter's delay): per-key exponential back-off (5 ms doubling to
  /// 1000 s) combined with an overall token bucket (10/s, burst 100). Counts a requeue.
  void add_rate_limited(const std::string& key);

  /// Resets `key`'s back-off (call after a successful reconcile). Does not dequeue it.
  void forget(const std::string& key);

  /// Rate-limited requeues of `key` since it was last forgotten.
  int num_requeues(const std::string& key) const;

  /// Moves every delayed key that is due into the queue, then requests the next wakeup.
  void pump();

 private:
  void ensure_wakeup(TimePoint due);
  /// Brings workqueue_depth up to date with queue_ (after every change of it).
  void report_depth();

  const Clock& clock_;
  WakeupRequest request_wakeup_;
  RateLimiter limiter_;
  bool shutting_down_ = false;

  std::deque<std::string> queue_;
  std::unordered_set<std::string> dirty_;       ///< queued or to be re-queued after done()
  std::unordered_set<std::string> processing_;  ///< handed out, not yet done

  /// Delayed keys by (ready time, insertion sequence): FIFO among equal times.
  std::map<std::pair<TimePoint, uint64_t>, std::string> waiting_;
  std::unordered_map<std::string, std::pair<TimePoint, uint64_t>> waiting_by_key_;
  uint64_t next_seq_ = 0;

  /// Times of wakeups requested from the owner and not yet consumed by pump().
  std::multiset<TimePoint> requested_;

  // Metrics (report_as); null when unnamed.
  telemetry::Gauge* depth_ = nullptr;
  telemetry::Counter* adds_ = nullptr;
  int64_t reported_depth_ = 0;  ///< this queue's part of the shared depth series
};

}  // namespace kactor::client
