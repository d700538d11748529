#include "actors/client/work_queue.hpp"

#include <algorithm>

#include "telemetry/registry.hpp"

namespace kactor::client {

WorkQueue::WorkQueue(const Clock& clock, WakeupRequest request_wakeup)
    : WorkQueue(clock, std::move(request_wakeup), RateLimiter::Options{}) {}

WorkQueue::WorkQueue(const Clock& clock, WakeupRequest request_wakeup, RateLimiter::Options limits)
    : clock_(clock), request_wakeup_(std::move(request_wakeup)), limiter_(clock, limits) {}

WorkQueue::~WorkQueue() {
  if (depth_) depth_->add(-reported_depth_);
}

void WorkQueue::report_as(const std::string& name) {
  auto& registry = telemetry::Registry::global();
  if (depth_) depth_->add(-reported_depth_);
  reported_depth_ = 0;
  depth_ = &registry.gauge("workqueue_depth", "Current depth of workqueue", {{"name", name}});
  adds_ = &registry.counter("workqueue_adds_total", "Total number of adds handled by workqueue",
                            {{"name", name}});
  report_depth();
}

void WorkQueue::report_depth() {
  if (!depth_) return;
  auto now = static_cast<int64_t>(queue_.size());
  depth_->add(now - reported_depth_);
  reported_depth_ = now;
}

void WorkQueue::add(const std::string& key) {
  if (shutting_down_) return;
  if (!dirty_.insert(key).second) return;  // already queued or already marked dirty
  if (adds_) adds_->inc();
  if (processing_.contains(key)) return;  // done() re-queues it
  queue_.push_back(key);
  report_depth();
}

std::optional<std::string> WorkQueue::get() {
  if (queue_.empty()) return std::nullopt;
  std::string key = std::move(queue_.front());
  queue_.pop_front();
  report_depth();
  processing_.insert(key);
  dirty_.erase(key);
  return key;
}

void WorkQueue::done(const std::string& key) {
  if (processing_.erase(key) == 0) return;
  if (dirty_.contains(key)) {
    queue_.push_back(key);
    report_depth();
  }
}

void WorkQueue::shut_down() {
  shutting_down_ = true;
  waiting_.clear();
  waiting_by_key_.clear();
}

void WorkQueue::add_after(const std::string& key, Duration delay) {
  if (shutting_down_) return;
  if (delay <= Duration::zero()) {
    add(key);
    return;
  }
  const TimePoint due = clock_.now() + delay;
  if (const auto it = waiting_by_key_.find(key); it != waiting_by_key_.end()) {
    if (it->second.first <= due) return;  // already due sooner
    waiting_.erase(it->second);
    waiting_by_key_.erase(it);
  }
  const std::pair<TimePoint, uint64_t> slot{due, next_seq_++};
  waiting_.emplace(slot, key);
  waiting_by_key_.emplace(key, slot);
  ensure_wakeup(due);
}

void WorkQueue::add_rate_limited(const std::string& key) {
  if (shutting_down_) return;
  add_after(key, limiter_.when(key));
}

void WorkQueue::forget(const std::string& key) {
  limiter_.forget(key);
}

int WorkQueue::num_requeues(const std::string& key) const {
  return limiter_.num_requeues(key);
}

void WorkQueue::pump() {
  const TimePoint now = clock_.now();
  // This call answers (at least) the earliest outstanding request. Consuming it even when it
  // looks early (the owner's timer may run on a slightly different clock) means a wakeup is
  // re-requested below rather than lost; at worst the owner pumps once more than needed.
  if (!requested_.empty()) requested_.erase(requested_.begin());
  requested_.erase(requested_.begin(), requested_.upper_bound(now));

  while (!waiting_.empty() && waiting_.begin()->first.first <= now) {
    auto node = waiting_.extract(waiting_.begin());
    waiting_by_key_.erase(node.mapped());
    add(node.mapped());
  }
  if (!waiting_.empty()) ensure_wakeup(waiting_.begin()->first.first);
}

void WorkQueue::ensure_wakeup(TimePoint due) {
  // A pending request at or before `due` will lead to a pump() that re-requests as needed.
  if (!requested_.empty() && *requested_.begin() <= due) return;
  requested_.insert(due);
  if (request_wakeup_) request_wakeup_(std::max(due - clock_.now(), Duration::zero()));
}

}  // namespace kactor::client
