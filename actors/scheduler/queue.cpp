#include "actors/scheduler/queue.hpp"

#include <algorithm>

namespace kactor::scheduler {

Duration SchedulingQueue::backoff_duration(int32_t attempts) const {
  Duration d = options_.initial_backoff;
  for (int32_t i = 1; i < attempts; ++i) {
    if (d >= options_.max_backoff) break;
    d *= 2;
  }
  return std::min(d, options_.max_backoff);
}

TimePoint SchedulingQueue::backoff_expiry(const QueuedPod& qp) const {
  return qp.timestamp + backoff_duration(qp.attempts);
}

void SchedulingQueue::detach(Entry& e) {
  switch (e.where) {
    case Where::active:
      active_.erase({-priority(*e.qp.pod), e.qp.timestamp, e.seq, e.qp.key});
      break;
    case Where::backoff:
      backoff_.erase({backoff_expiry(e.qp), e.seq, e.qp.key});
      break;
    case Where::unschedulable:
      unschedulable_.erase(e.qp.key);
      break;
    case Where::in_flight:
      break;
  }
}

void SchedulingQueue::to_active(Entry& e) {
  e.where = Where::active;
  active_.insert({-priority(*e.qp.pod), e.qp.timestamp, e.seq, e.qp.key});
}

void SchedulingQueue::to_backoff(Entry& e) {
  e.where = Where::backoff;
  backoff_.insert({backoff_expiry(e.qp), e.seq, e.qp.key});
}

void SchedulingQueue::to_active_or_backoff(Entry& e, TimePoint now) {
  detach(e);
  if (e.qp.attempts > 0 && backoff_expiry(e.qp) > now)
    to_backoff(e);
  else
    to_active(e);
}

void SchedulingQueue::add(std::shared_ptr<const api::Pod> pod, TimePoint now) {
  auto key = api::object_key(*pod);
  if (pods_.contains(key)) return update(std::move(pod), now);
  Entry e;
  e.qp.pod = std::move(pod);
  e.qp.key = key;
  e.qp.timestamp = now;
  e.seq = ++seq_;
  auto& stored = pods_[key] = std::move(e);
  to_active(stored);
}

void SchedulingQueue::update(std::shared_ptr<const api::Pod> pod, TimePoint now) {
  auto key = api::object_key(*pod);
  auto it = pods_.find(key);
  if (it == pods_.end()) return add(std::move(pod), now);
  Entry& e = it->second;
  bool spec_changed =
      !(e.qp.pod->spec == pod->spec) || e.qp.pod->metadata.labels != pod->metadata.labels;
  // The active key holds the priority: take the entry out before replacing the pod.
  detach(e);
  e.qp.pod = std::move(pod);
  switch (e.where) {
    case Where::active:
      to_active(e);
      break;
    case Where::backoff:
      to_backoff(e);
      break;
    case Where::unschedulable:
      if (spec_changed) {
        e.where = Where::in_flight;  // detached already
        if (e.qp.attempts > 0 && backoff_expiry(e.qp) > now)
          to_backoff(e);
        else
          to_active(e);
      } else {
        unschedulable_.insert(key);
      }
      break;
    case Where::in_flight:
      break;
  }
}

void SchedulingQueue::remove(const std::string& key) {
  auto it = pods_.find(key);
  if (it == pods_.end()) return;
  detach(it->second);
  pods_.erase(it);
}

std::optional<QueuedPod> SchedulingQueue::pop(TimePoint now) {
  if (active_.empty()) return std::nullopt;
  auto key = std::get<3>(*active_.begin());
  active_.erase(active_.begin());
  Entry& e = pods_.at(key);
  // In flight: updates still land on the entry, and a delete drops it, so a pod
  // is never scheduled twice at once.
  e.where = Where::in_flight;
  e.cycle = ++cycle_;
  ++e.qp.attempts;
  if (e.qp.attempts == 1) e.qp.initial_attempt = now;
  return e.qp;
}

void SchedulingQueue::done(const std::string& key) {
  auto it = pods_.find(key);
  if (it != pods_.end() && it->second.where == Where::in_flight) pods_.erase(it);
}

void SchedulingQueue::add_unschedulable(const std::string& key, TimePoint now,
                                        std::set<std::string, std::less<>> plugins) {
  auto it = pods_.find(key);
  if (it == pods_.end() || it->second.where != Where::in_flight) return;
  Entry& e = it->second;
  e.qp.timestamp = now;
  e.qp.unschedulable_plugins = std::move(plugins);
  if (move_request_cycle_ >= e.cycle) {
    to_backoff(e);
  } else {
    e.where = Where::unschedulable;
    unschedulable_.insert(key);
  }
}

void SchedulingQueue::add_backoff(const std::string& key, TimePoint now) {
  auto it = pods_.find(key);
  if (it == pods_.end() || it->second.where != Where::in_flight) return;
  it->second.qp.timestamp = now;
  to_backoff(it->second);
}

void SchedulingQueue::flush_backoff(TimePoint now) {
  while (!backoff_.empty() && std::get<0>(*backoff_.begin()) <= now) {
    auto key = std::get<2>(*backoff_.begin());
    backoff_.erase(backoff_.begin());
    to_active(pods_.at(key));
  }
}

void SchedulingQueue::flush_unschedulable(TimePoint now) {
  std::vector<std::string> due;
  for (auto& key : unschedulable_)
    if (now - pods_.at(key).qp.timestamp > options_.max_unschedulable) due.push_back(key);
  for (auto& key : due) to_active_or_backoff(pods_.at(key), now);
}

EventRegistry event_registry(const std::vector<const Framework*>& frameworks) {
  EventRegistry out;
  for (auto* fw : frameworks)
    for (auto& p : fw->plugins()) {
      auto name = std::string(p->name());
      if (!out.contains(name)) out.emplace(name, p->events_to_register());
    }
  return out;
}

namespace {

bool matches(const ClusterEvent& registered, const ClusterEvent& event) {
  bool resource = registered.resource == EventResource::wildcard ||
                  registered.resource == event.resource;
  return resource && (registered.actions & event.actions) != 0;
}

}  // namespace

bool SchedulingQueue::may_help(const QueuedPod& qp, const ClusterEvent& event,
                               const api::Object* old_obj, const api::Object* new_obj) const {
  // Rejected by no plugin in particular (e.g. no nodes at all): any event may help.
  if (qp.unschedulable_plugins.empty() || registry_.empty()) return true;
  for (auto& plugin : qp.unschedulable_plugins) {
    auto it = registry_.find(plugin);
    // A plugin we know nothing about: be safe and move the pod.
    if (it == registry_.end()) return true;
    for (auto& reg : it->second) {
      if (!matches(reg.event, event)) continue;
      if (!reg.hint || reg.hint(*qp.pod, old_obj, new_obj) == QueueingHint::queue) return true;
    }
  }
  return false;
}

size_t SchedulingQueue::on_event(const ClusterEvent& event, const api::Object* old_obj,
                                 const api::Object* new_obj, TimePoint now) {
  std::vector<std::string> moving;
  for (auto& key : unschedulable_)
    if (may_help(pods_.at(key).qp, event, old_obj, new_obj)) moving.push_back(key);
  for (auto& key : moving) to_active_or_backoff(pods_.at(key), now);
  // Pods in flight now will go to backoffQ rather than the pool if they fail.
  move_request_cycle_ = cycle_;
  return moving.size();
}

void SchedulingQueue::move_all_to_active_or_backoff(TimePoint now) {
  std::vector<std::string> all(unschedulable_.begin(), unschedulable_.end());
  for (auto& key : all) to_active_or_backoff(pods_.at(key), now);
  // Pods in flight now will go to backoffQ rather than the pool if they fail.
  move_request_cycle_ = cycle_;
}


}  // namespace kactor::scheduler
