// Endpoints: type information.
#include "api/defaults/service_defaults.hpp"
#include "api/kinds/kind_impl.hpp"
#include "api/types/service.hpp"
#include "api/validation/service_validation.hpp"

namespace kactor::api {

const TypeInfo& Endpoints::static_type() {
  static const TypeInfo info = make_type_info<Endpoints>({
      .group = "",
      .version = "v1",
      .kind = "Endpoints",
      .resource = "endpoints",
      .singular = "endpoints",
      .namespaced = true,
      .short_names = {"ep"},
  });
  return info;
}

}  // namespace kactor::api
