// PodDisruptionBudget validation, with upstream's (1.32) paths and messages.
#pragma once

#include <vector>

#include "api/status.hpp"
#include "api/types/disruption.hpp"

namespace kactor::api {

/// Name a DNS subdomain; minAvailable and maxUnavailable not both set, each a non-negative
/// int or a percentage of at most 100%; the selector valid; unhealthyPodEvictionPolicy
/// IfHealthyBudget or AlwaysAllow; status counts non-negative and conditions valid
/// (metav1.Condition rules). The spec may change after creation (policy/v1).
void validate(const PodDisruptionBudget& pdb, const PodDisruptionBudget* old,
              std::vector<StatusCause>& causes);

}  // namespace kactor::api
