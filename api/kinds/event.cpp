// Event (core v1): type information, selectable fields.
#include "api/types/event.hpp"

#include "api/kinds/kind_impl.hpp"
#include "api/validation/misc_validation.hpp"

namespace kactor::api {

std::optional<std::string> field_value(const Event& e, std::string_view field) {
  const auto& o = e.involved_object;
  if (field == "involvedObject.kind") return o.kind;
  if (field == "involvedObject.namespace") return o.namespace_;
  if (field == "involvedObject.name") return o.name;
  if (field == "involvedObject.uid") return o.uid;
  if (field == "involvedObject.apiVersion") return o.api_version;
  if (field == "involvedObject.resourceVersion") return o.resource_version;
  if (field == "involvedObject.fieldPath") return o.field_path;
  if (field == "reason") return e.reason;
  if (field == "reportingComponent") return e.reporting_component;
  if (field == "source") return e.source.component;
  if (field == "type") return e.type;
  return std::nullopt;
}

const TypeInfo& Event::static_type() {
  static const TypeInfo info = make_type_info<Event>({
      .group = "",
      .version = "v1",
      .kind = "Event",
      .resource = "events",
      .singular = "event",
      .namespaced = true,
      .short_names = {"ev"},
      .selectable_fields = {"involvedObject.kind", "involvedObject.namespace",
                            "involvedObject.name", "involvedObject.uid",
                            "involvedObject.apiVersion", "involvedObject.resourceVersion",
                            "involvedObject.fieldPath", "reason", "reportingComponent", "source",
                            "type"},
  }, NoDefaults{});
  return info;
}

}  // namespace kactor::api
