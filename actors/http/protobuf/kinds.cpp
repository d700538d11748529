#include "actors/http/protobuf/detail/kinds.hpp"

namespace kactor::http::protobuf::detail {

std::span<const KindTable> kind_tables() {
  // The kinds kubectl's typed commands create (create namespace|configmap|secret|
  // serviceaccount|service|deployment|priorityclass|quota|pdb; create token's TokenRequest;
  // drain's Eviction; auth can-i's and auth whoami's reviews), the other built-in kinds whose
  // tables cost little, and the bodies of delete and scale requests.
  static constexpr KindTable tables[] = {
      {"v1", "Namespace", &namespace_},
      {"v1", "ConfigMap", &config_map},
      {"v1", "Secret", &secret},
      {"v1", "ServiceAccount", &service_account},
      {"v1", "Service", &service},
      {"v1", "ResourceQuota", &resource_quota},
      {"v1", "Pod", &pod},
      {"v1", "ReplicationController", &replication_controller},
      {"v1", "Binding", &binding},
      {"apps/v1", "Deployment", &deployment},
      {"apps/v1", "ReplicaSet", &replica_set},
      {"scheduling.k8s.io/v1", "PriorityClass", &priority_class},
      {"autoscaling/v1", "Scale", &scale},
      {"autoscaling/v1", "HorizontalPodAutoscaler", &horizontal_pod_autoscaler_v1},
      {"authentication.k8s.io/v1", "TokenRequest", &token_request},
      {"authentication.k8s.io/v1", "SelfSubjectReview", &self_subject_review},
      {"authorization.k8s.io/v1", "SelfSubjectAccessReview", &self_subject_access_review},
      {"authorization.k8s.io/v1", "SelfSubjectRulesReview", &self_subject_rules_review},
      {"policy/v1", "PodDisruptionBudget", &pod_disruption_budget},
      {"policy/v1", "Eviction", &eviction},
      {"policy/v1beta1", "Eviction", &eviction},
      {"v1", "DeleteOptions", &delete_options},
      {"meta.k8s.io/v1", "DeleteOptions", &delete_options},
  };
  return tables;
}

const Message* find_kind(std::string_view api_version, std::string_view kind) {
  for (const auto& t : kind_tables())
    if (t.api_version == api_version && t.kind == kind) return &t.message();
  return nullptr;
}

}  // namespace kactor::http::protobuf::detail
