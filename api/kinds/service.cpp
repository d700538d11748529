// Service: type information, selectable fields.
#include "api/types/service.hpp"

#include "api/defaults/service_defaults.hpp"
#include "api/kinds/kind_impl.hpp"
#include "api/validation/service_validation.hpp"

namespace kactor::api {

std::optional<std::string> field_value(const Service& s, std::string_view field) {
  if (field == "spec.clusterIP") return s.spec.cluster_ip;
  if (field == "spec.type") return s.spec.type;
  return std::nullopt;
}

const TypeInfo& Service::static_type() {
  static const TypeInfo info = make_type_info<Service>({
      .group = "",
      .version = "v1",
      .kind = "Service",
      .resource = "services",
      .singular = "service",
      .namespaced = true,
      .short_names = {"svc"},
      .categories = {"all"},
      .selectable_fields = {"spec.clusterIP", "spec.type"},
  });
  return info;
}

}  // namespace kactor::api
