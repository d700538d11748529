// The rate-limited queue of nodes waiting for a NoExecute taint, one per zone (upstream's
// RateLimitedTimedQueue with a token bucket of burst 1): taints, and so evictions, spread
// over time when many nodes fail at once, at a rate that depends on how disrupted the zone
// is. Plain code on explicit time points: tested alone.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <unordered_set>

#include "api/time/clock.hpp"

namespace kactor::actors::controllers {

class ZoneTainter {
 public:
  /// Queues `node` (once; FIFO). True if it was not queued yet.
  bool add(const std::string& node);
  /// Drops `node` from the queue. True if it was there.
  bool remove(const std::string& node);
  bool contains(const std::string& node) const { return queued_.contains(node); }
  bool empty() const { return order_.empty(); }
  size_t size() const { return queued_.size(); }

  /// A new rate (nodes/s; 0 stops the queue), starting with a full bucket as upstream's
  /// SwapLimiter does. Setting the rate it has changes nothing.
  void set_rate(double per_second, TimePoint now);
  double rate() const { return rate_; }

  /// The next node whose turn has come at `now` (taking a token), or nullopt.
  std::optional<std::string> pop(TimePoint now);
  /// When the next token is due (for a timer), if the queue waits for one.
  std::optional<TimePoint> next_due(TimePoint now) const;

 private:
  void refill(TimePoint now);

  std::deque<std::string> order_;
  std::unordered_set<std::string> queued_;
  double rate_ = 0;
  double tokens_ = 1;
  TimePoint refilled_at_{};
};

}  // namespace kactor::actors::controllers
