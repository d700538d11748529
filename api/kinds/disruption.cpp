// PodDisruptionBudget and Eviction (policy/v1): type information.
#include "api/types/disruption.hpp"
#include "api/types/eviction.hpp"

#include "api/kinds/kind_impl.hpp"
#include "api/validation/disruption_validation.hpp"

namespace kactor::api {

const TypeInfo& PodDisruptionBudget::static_type() {
  // policy/v1 has no defaulting (policy/v1beta1's minAvailable 1 is gone): NoDefaults.
  static const TypeInfo info = make_type_info<PodDisruptionBudget>({
      .group = "policy",
      .version = "v1",
      .kind = "PodDisruptionBudget",
      .resource = "poddisruptionbudgets",
      .singular = "poddisruptionbudget",
      .namespaced = true,
      .short_names = {"pdb"},
  }, NoDefaults{});
  return info;
}

const TypeInfo& Eviction::static_type() {
  // Not in the registry: an Eviction is an instruction (pods/<name>/eviction), never stored,
  // listed or watched, as TokenRequest; the API server checks it against the pod.
  static const TypeInfo info = make_type_info<Eviction>({
      .group = "policy",
      .version = "v1",
      .kind = "Eviction",
      .resource = "evictions",
      .singular = "eviction",
      .namespaced = true,
  }, NoValidation{}, NoDefaults{});
  return info;
}

}  // namespace kactor::api
