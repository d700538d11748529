#include "actors/common/event_recorder.hpp"

#include <fmt/format.h>

#include "actors/apiserver/messages.hpp"
#include "api/types/event.hpp"

namespace kactor::actors {

EventRecorder::EventRecorder(caf::event_based_actor* self, caf::actor apiserver, Clock& clock,
                             std::string component, std::string host)
    : self_(self),
      apiserver_(std::move(apiserver)),
      clock_(clock),
      component_(std::move(component)),
      host_(std::move(host)) {}

void EventRecorder::record(const api::Object& about, const std::string& type,
                           const std::string& reason, const std::string& message) {
  auto ev = std::make_shared<api::Event>();
  const auto now = clock_.now();
  // Upstream names events "<object>.<unique hex>"; ours count up per recorder.
  ev->metadata.name = fmt::format("{}.{:x}{:04x}", about.metadata.name,
                                  now.time_since_epoch().count(), counter_++);
  ev->metadata.namespace_ = about.metadata.namespace_.empty() ? "default" : about.metadata.namespace_;
  ev->involved_object.kind = about.type().kind;
  ev->involved_object.api_version = about.type().api_version();
  ev->involved_object.namespace_ = about.metadata.namespace_;
  ev->involved_object.name = about.metadata.name;
  ev->involved_object.uid = about.metadata.uid;
  ev->involved_object.resource_version = about.metadata.resource_version;
  ev->reason = reason;
  ev->message = message;
  ev->type = type;
  ev->source.component = component_;
  ev->source.host = host_;
  ev->reporting_component = component_;
  ev->reporting_instance = host_;
  ev->count = 1;
  ev->first_timestamp = api::Time{std::chrono::floor<std::chrono::seconds>(now)};
  ev->last_timestamp = ev->first_timestamp;
  apiserver::Request req;
  req.verb = apiserver::Verb::create;
  req.resource = "events";
  req.namespace_ = ev->metadata.namespace_;
  req.object = ev;
  self_->request(apiserver_, caf::infinite, std::move(req))
      .then([](apiserver::Response&) {}, [](caf::error&) {});
}

}  // namespace kactor::actors
