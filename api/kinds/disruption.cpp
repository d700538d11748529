// PodDisruptionBudget (policy/v1): type information.
#include "api/types/disruption.hpp"

#include "api/kinds/kind_impl.hpp"

namespace kactor::api {

const TypeInfo& PodDisruptionBudget::static_type() {
  // Validation and defaulting: to come with the disruption controller (issue 13).
  static const TypeInfo info = make_type_info<PodDisruptionBudget>({
      .group = "policy",
      .version = "v1",
      .kind = "PodDisruptionBudget",
      .resource = "poddisruptionbudgets",
      .singular = "poddisruptionbudget",
      .namespaced = true,
      .short_names = {"pdb"},
  }, NoValidation{}, NoDefaults{});
  return info;
}

}  // namespace kactor::api
