#include "actors/client/event_correlator.hpp"

#include <algorithm>

#include "api/util/fnv1a.hpp"

namespace kactor::client {

namespace {

/// Who reports about which object: the part every key below starts with.
std::string source_and_object(const api::Event& e) {
  const auto& o = e.involved_object;
  std::string key;
  for (const std::string* part : {&e.source.component, &e.source.host, &o.kind, &o.namespace_,
                                  &o.name, &o.uid, &o.api_version}) {
    key += *part;
    key += '\x1f';  // a separator no field contains, so keys of different fields never meet
  }
  return key;
}

std::string aggregate_key(const api::Event& e) {
  return source_and_object(e) + e.type + '\x1f' + e.reason + '\x1f' + e.reporting_component +
         '\x1f' + e.reporting_instance;
}

std::string event_key(const api::Event& e) {
  return source_and_object(e) + e.involved_object.field_path + '\x1f' + e.type + '\x1f' + e.reason +
         '\x1f' + e.message;
}

}  // namespace

EventCorrelator::Key EventCorrelator::key_of(std::string_view text) {
  // Two independent hashes: std::hash and FNV-1a.
  return Key{std::hash<std::string_view>{}(text), api::util::fnv1a(text)};
}

template <class V>
void EventCorrelator::Lru<V>::unlink(Entry& e) {
  auto& n = e.second;
  (n.newer ? n.newer->second.older : newest_) = n.older;
  (n.older ? n.older->second.newer : oldest_) = n.newer;
  n.newer = n.older = nullptr;
}

template <class V>
void EventCorrelator::Lru<V>::push_newest(Entry& e) {
  e.second.older = newest_;
  (newest_ ? newest_->second.newer : oldest_) = &e;
  newest_ = &e;
}

template <class V>
V* EventCorrelator::Lru<V>::find(const Key& key) {
  auto it = map_.find(key);
  if (it == map_.end()) return nullptr;
  if (&*it != newest_) {
    unlink(*it);
    push_newest(*it);
  }
  return &it->second.value;
}

template <class V>
V& EventCorrelator::Lru<V>::put(const Key& key, V value) {
  if (auto* existing = find(key)) return *existing = std::move(value);
  auto& entry = *map_.try_emplace(key, Node{std::move(value)}).first;
  push_newest(entry);
  if (map_.size() > capacity_ && oldest_ != &entry) {  // the new entry stays, even at size 0
    Entry* gone = oldest_;
    unlink(*gone);
    map_.erase(gone->first);
  }
  return entry.second.value;
}

EventCorrelator::Result EventCorrelator::correlate(api::Event event, TimePoint now) {
  // 1. Aggregate: the 10th distinct message within the interval turns the event into the
  //    combined one, which then repeats (and is counted) under the aggregate key.
  auto agg_key = key_of(aggregate_key(event));
  auto key = key_of(event_key(event));
  auto* agg = aggregates_.find(agg_key);
  if (!agg || now - agg->last > options_.aggregate_interval) agg = &aggregates_.put(agg_key, {});
  const uint64_t message = key_of(event.message).a;
  auto at = std::lower_bound(agg->messages.begin(), agg->messages.end(), message);
  if (at == agg->messages.end() || *at != message) agg->messages.insert(at, message);
  agg->last = now;
  if (agg->messages.size() >= options_.aggregate_max_events) {
    agg->messages.erase(agg->messages.begin());  // stays bounded, stays at the threshold
    event.message = "(combined from similar events): " + event.message;
    key = agg_key;
  }

  // 2. Observe: a repeat takes over the count, first timestamp and name of the event
  //    already written, and is written as a patch of it.
  Result out;
  out.action = Action::create;
  if (auto* seen = observed_.find(key)) {
    seen->count += 1;
    event.count = seen->count;
    event.first_timestamp = seen->first_timestamp;
    event.metadata.name = seen->name;
    out.action = Action::patch;
  } else {
    observed_.put(key, Observed{event.count, event.first_timestamp, event.metadata.name});
  }

  // 3. Throttle per source and object: a token bucket.
  auto spam_key = key_of(source_and_object(event));
  auto* bucket = buckets_.find(spam_key);
  if (!bucket) bucket = &buckets_.put(spam_key, Bucket{options_.spam_burst, now});
  double elapsed = std::chrono::duration<double>(now - bucket->last).count();
  bucket->tokens = std::min(options_.spam_burst, bucket->tokens + elapsed * options_.spam_qps);
  bucket->last = now;
  if (bucket->tokens < 1) {
    out.action = Action::drop;
    return out;
  }
  bucket->tokens -= 1;
  out.event = std::move(event);
  return out;
}

}  // namespace kactor::client
