// Binding (v1): type information.
#include "api/types/binding.hpp"

#include "api/kinds/kind_impl.hpp"
#include "api/validation/misc_validation.hpp"

namespace kactor::api {

const TypeInfo& Binding::static_type() {
  static const TypeInfo info = make_type_info<Binding>({
      .group = "",
      .version = "v1",
      .kind = "Binding",
      .resource = "bindings",
      .singular = "binding",
      .namespaced = true,
  }, NoDefaults{});
  return info;
}

}  // namespace kactor::api
