// Lease (coordination.k8s.io/v1): type information.
#include "api/kinds/kind_impl.hpp"
#include "api/types/coordination.hpp"
#include "api/validation/misc_validation.hpp"

namespace kactor::api {

const TypeInfo& Lease::static_type() {
  static const TypeInfo info = make_type_info<Lease>({
      .group = "coordination.k8s.io",
      .version = "v1",
      .kind = "Lease",
      .resource = "leases",
      .singular = "lease",
      .namespaced = true,
  }, NoDefaults{});
  return info;
}

}  // namespace kactor::api
