// ReplicaSet (apps/v1): type information, selectable fields.
#include "api/defaults/workload_defaults.hpp"
#include "api/kinds/kind_impl.hpp"
#include "api/types/workloads.hpp"
#include "api/validation/workload_validation.hpp"

namespace kactor::api {

std::optional<std::string> field_value(const ReplicaSet& rs, std::string_view field) {
  if (field == "status.replicas") return std::to_string(rs.status.replicas);
  return std::nullopt;
}

const TypeInfo& ReplicaSet::static_type() {
  static const TypeInfo info = make_type_info<ReplicaSet>({
      .group = "apps",
      .version = "v1",
      .kind = "ReplicaSet",
      .resource = "replicasets",
      .singular = "replicaset",
      .namespaced = true,
      .short_names = {"rs"},
      .categories = {"all"},
      .selectable_fields = {"status.replicas"},
  });
  return info;
}

}  // namespace kactor::api
