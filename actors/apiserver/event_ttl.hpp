// Event expiry: upstream's kube-apiserver keeps core/v1 Events for --event-ttl (1 h by
// default) by writing each one under an etcd lease that every write renews. Here the API
// server finds the expired ones itself (event_ttl.cpp picks them, the actor deletes them on a
// Clock timer and at start-up), so Events left from before a restart go too and restarts do
// not pile them up.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "api/time/clock.hpp"

namespace kactor::api {
struct Event;
}

namespace kactor::apiserver {

class ObjectTables;

/// When `event` was last written, as far as the Event itself records it: the latest of its
/// creationTimestamp (set by the API server), lastTimestamp, eventTime and
/// series.lastObservedTime (set by the writer on every repeat: client-go's recorder, and ours,
/// bump them when they update an Event). Upstream renews the lease on every write instead; this
/// needs no state beyond the object, so it survives restarts.
TimePoint event_last_activity(const api::Event& event);

/// An Event to delete: its namespace and name.
struct ExpiredEvent {
  std::string namespace_;
  std::string name;
  bool operator==(const ExpiredEvent&) const = default;
};

/// Up to `limit` Events of `tables` whose last activity is `ttl` or more before `now`, in
/// table order (so a caller deleting them in rounds makes progress). A non-positive `ttl` keeps
/// every Event.
std::vector<ExpiredEvent> expired_events(const ObjectTables& tables, TimePoint now, Duration ttl,
                                         size_t limit);

}  // namespace kactor::apiserver
