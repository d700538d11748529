// Event (core v1): something that happened to an object, as `kubectl get events` shows.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/object.hpp"
#include "api/types/boxed.hpp"

namespace kactor::api {

struct EventSource {
  std::string component;
  std::string host;
  bool operator==(const EventSource&) const = default;
};
template <class V>
void describe(V& v, EventSource& x) {
  v("component", x.component);
  v("host", x.host);
}

struct EventSeries {
  int32_t count = 0;
  MicroTime last_observed_time;
  bool operator==(const EventSeries&) const = default;
};
template <class V>
void describe(V& v, EventSeries& x) {
  v("count", x.count);
  v("lastObservedTime", x.last_observed_time);
}

/// Events have no spec/status: every field is top level, as upstream.
struct Event : ObjectBase<Event> {
  ObjectReference involved_object;
  std::string reason;
  std::string message;
  EventSource source;
  Time first_timestamp;
  Time last_timestamp;
  int32_t count = 0;
  std::string type;  // Normal, Warning
  MicroTime event_time;
  std::optional<EventSeries> series;
  std::string action;
  Boxed<ObjectReference> related;  // rarely set (see boxed.hpp)
  std::string reporting_component;
  std::string reporting_instance;
  static const TypeInfo& static_type();
  bool operator==(const Event&) const = default;
};
template <class V>
void describe(V& v, Event& x) {
  v("metadata", x.metadata, keep_zero);
  v("involvedObject", x.involved_object, keep_zero);
  v("reason", x.reason);
  v("message", x.message);
  v("source", x.source, keep_zero);
  // Go's omitempty never omits a struct: unset times are written as null.
  v("firstTimestamp", x.first_timestamp, keep_zero);
  v("lastTimestamp", x.last_timestamp, keep_zero);
  v("count", x.count);
  v("type", x.type);
  v("eventTime", x.event_time, keep_zero);
  v("series", x.series);
  v("action", x.action);
  v("related", x.related);
  v("reportingComponent", x.reporting_component, keep_zero);
  v("reportingInstance", x.reporting_instance, keep_zero);
}

/// Selectable fields: involvedObject.{kind,namespace,name,uid,apiVersion,resourceVersion,
/// fieldPath}, reason, reportingComponent, source, type.
std::optional<std::string> field_value(const Event& e, std::string_view field);

}  // namespace kactor::api
