// Deployment (apps/v1): type information.
#include "api/defaults/workload_defaults.hpp"
#include "api/kinds/kind_impl.hpp"
#include "api/types/workloads.hpp"
#include "api/validation/workload_validation.hpp"

namespace kactor::api {

const TypeInfo& Deployment::static_type() {
  static const TypeInfo info = make_type_info<Deployment>({
      .group = "apps",
      .version = "v1",
      .kind = "Deployment",
      .resource = "deployments",
      .singular = "deployment",
      .namespaced = true,
      .short_names = {"deploy"},
      .categories = {"all"},
  });
  return info;
}

}  // namespace kactor::api
