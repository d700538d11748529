#include "actors/client/event_recorder.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "actors/client/requests.hpp"
#include "api/time/rfc3339.hpp"
#include "api/types/event.hpp"

namespace kactor::client {

EventRecorder::EventRecorder(caf::event_based_actor* self, caf::actor apiserver, Clock& clock,
                             std::string component, std::string host)
    : client_(self, std::move(apiserver)),
      clock_(clock),
      component_(std::move(component)),
      host_(std::move(host)) {}

void EventRecorder::record(const api::Object& about, const std::string& type,
                           const std::string& reason, const std::string& message,
                           const std::string& field_path) {
  api::Event ev;
  const auto now = clock_.now();
  // Upstream names events "<object>.<unique hex>"; ours count up per recorder.
  ev.metadata.name =
      fmt::format("{}.{:x}{:04x}", about.metadata.name, now.time_since_epoch().count(), counter_++);
  ev.metadata.namespace_ =
      about.metadata.namespace_.empty() ? "default" : about.metadata.namespace_;
  ev.involved_object.kind = about.type().kind;
  ev.involved_object.api_version = about.type().api_version();
  ev.involved_object.namespace_ = about.metadata.namespace_;
  ev.involved_object.name = about.metadata.name;
  ev.involved_object.uid = about.metadata.uid;
  ev.involved_object.resource_version = about.metadata.resource_version;
  ev.involved_object.field_path = field_path;
  ev.reason = reason;
  ev.message = message;
  ev.type = type;
  ev.source.component = component_;
  ev.source.host = host_;
  ev.reporting_component = component_;
  ev.reporting_instance = host_;
  ev.count = 1;
  ev.first_timestamp = api::Time{std::chrono::floor<std::chrono::seconds>(now)};
  ev.last_timestamp = ev.first_timestamp;
  auto decided = correlator_.correlate(std::move(ev), now);
  switch (decided.action) {
    case EventCorrelator::Action::drop:
      return;
    case EventCorrelator::Action::create:
      return create(std::move(decided.event));
    case EventCorrelator::Action::patch:
      return patch(std::move(decided.event));
  }
}

void EventRecorder::create(api::Event event) {
  client_.send(
      request_with(apiserver::Verb::create, std::make_shared<const api::Event>(std::move(event))));
}

void EventRecorder::patch(api::Event event) {
  nlohmann::json body = {{"count", event.count},
                         {"lastTimestamp", format_rfc3339(event.last_timestamp.value)},
                         {"message", event.message}};
  auto req = request_for(apiserver::Verb::patch, api::Event::static_type(),
                         event.metadata.namespace_, event.metadata.name);
  req.patch_type = "application/merge-patch+json";
  req.patch_body = body.dump();
  auto full = std::make_shared<api::Event>(std::move(event));
  client_.call(std::move(req), [this, full](apiserver::Response& r) {
    // The first of these was never written (throttled or failed): write it whole.
    if (r.error && api::is_not_found(*r.error)) create(std::move(*full));
  });
}

}  // namespace kactor::client
