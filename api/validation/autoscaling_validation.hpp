// HorizontalPodAutoscaler validation, with upstream's (1.32) paths and messages.
#pragma once

#include <vector>

#include "api/status.hpp"
#include "api/types/autoscaling.hpp"

namespace kactor::api {

/// Name a DNS subdomain; scaleTargetRef kind and name required path segments; minReplicas >= 1,
/// maxReplicas > 0 and >= minReplicas; each metric one source matching its type, with a valid
/// target; behavior: windows 0..3600 s, selectPolicy Max/Min/Disabled, at least one policy,
/// policies Pods/Percent with value > 0 and periodSeconds 1..1800.
void validate(const HorizontalPodAutoscaler& hpa, const HorizontalPodAutoscaler* old,
              std::vector<StatusCause>& causes);

}  // namespace kactor::api
