// ReplicationController: type information, selectable fields.
#include "api/defaults/workload_defaults.hpp"
#include "api/kinds/kind_impl.hpp"
#include "api/types/workloads.hpp"
#include "api/validation/workload_validation.hpp"

namespace kactor::api {

std::optional<std::string> field_value(const ReplicationController& rc, std::string_view field) {
  if (field == "status.replicas") return std::to_string(rc.status.replicas);
  return std::nullopt;
}

const TypeInfo& ReplicationController::static_type() {
  static const TypeInfo info = make_type_info<ReplicationController>({
      .group = "",
      .version = "v1",
      .kind = "ReplicationController",
      .resource = "replicationcontrollers",
      .singular = "replicationcontroller",
      .namespaced = true,
      .short_names = {"rc"},
      .categories = {"all"},
      .selectable_fields = {"status.replicas"},
  });
  return info;
}

}  // namespace kactor::api
