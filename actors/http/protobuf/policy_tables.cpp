// policy/v1 PodDisruptionBudget (`kubectl create poddisruptionbudget`) and Eviction (`kubectl
// drain`'s pods/<name>/eviction; policy/v1beta1's has the same fields), as kubectl posts them.
#include "actors/http/protobuf/detail/schema.hpp"

namespace kactor::http::protobuf::detail {

namespace {

const Message& pdb_spec() {
  static constexpr Field fields[] = {
      pointer(1, "minAvailable", Type::int_or_string),
      nested(2, "selector", &label_selector),
      pointer(3, "maxUnavailable", Type::int_or_string),
      pointer(4, "unhealthyPodEvictionPolicy", Type::string),
  };
  static constexpr Message m{"k8s.io.api.policy.v1.PodDisruptionBudgetSpec", fields};
  return m;
}

const Message& pdb_status() {
  static constexpr Field fields[] = {
      value(1, "observedGeneration", Type::int64),
      map(2, "disruptedPods", Type::time),
      value(3, "disruptionsAllowed", Type::int32),
      value(4, "currentHealthy", Type::int32),
      value(5, "desiredHealthy", Type::int32),
      value(6, "expectedPods", Type::int32),
      list(7, "conditions", &condition),
  };
  static constexpr Message m{"k8s.io.api.policy.v1.PodDisruptionBudgetStatus", fields};
  return m;
}

}  // namespace

const Message& pod_disruption_budget() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &pdb_spec),
      nested(3, "status", &pdb_status),
  };
  static constexpr Message m{"k8s.io.api.policy.v1.PodDisruptionBudget", fields};
  return m;
}

const Message& eviction() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "deleteOptions", &delete_options),
  };
  static constexpr Message m{"k8s.io.api.policy.v1.Eviction", fields};
  return m;
}

}  // namespace kactor::http::protobuf::detail
