#include "actors/apiserver/event_ttl.hpp"

#include <algorithm>

#include "actors/apiserver/object_tables.hpp"
#include "api/types/event.hpp"

namespace kactor::apiserver {

TimePoint event_last_activity(const api::Event& event) {
  TimePoint last = event.metadata.creation_timestamp.value;
  last = std::max(last, event.last_timestamp.value);
  last = std::max(last, event.event_time.value);
  if (event.series) last = std::max(last, event.series->last_observed_time.value);
  return last;
}

std::vector<ExpiredEvent> expired_events(const ObjectTables& tables, TimePoint now, Duration ttl,
                                         size_t limit) {
  std::vector<ExpiredEvent> out;
  if (ttl <= Duration::zero()) return out;
  // A scan, not an index by expiry: it runs once a sweep interval (a minute by default), off
  // every request path, and the TTL keeps the table it walks small. It decodes no Event: the
  // table keeps each one's last activity beside its bytes, and its key is "namespace/name".
  for (const auto& [key, stored] : tables.table(api::Event::static_type())) {
    if (out.size() >= limit) break;
    if (now - stored.last_activity() < ttl) continue;
    const auto slash = key.find('/');
    out.push_back({key.substr(0, slash), key.substr(slash + 1)});
  }
  return out;
}

}  // namespace kactor::apiserver
