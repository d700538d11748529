// HorizontalPodAutoscaler defaulting (upstream autoscaling/v2 SetDefaults_*), and the scaling
// rules a missing behavior stands for (which the controller applies too).
#pragma once

#include "api/types/autoscaling.hpp"

namespace kactor::api {

/// Upstream's DefaultCPUUtilization: the target of an HPA without metrics.
inline constexpr int32_t kDefaultCpuUtilization = 80;

/// Scale-up: no stabilization, at most max(4 pods, 100 %) per 15 s (selectPolicy Max).
HPAScalingRules default_scale_up_rules();
/// Scale-down: a 300 s stabilization window, up to 100 % per 15 s.
HPAScalingRules default_scale_down_rules();
/// `given` with its unset parts taken from `defaults` (upstream GenerateHPAScale*Rules).
HPAScalingRules complete_scaling_rules(const std::optional<HPAScalingRules>& given,
                                       const HPAScalingRules& defaults);

/// minReplicas 1; no metrics: cpu Utilization 80 %; a behavior given gets its unset parts
/// (both directions' rules) filled in. A missing behavior stays missing, as upstream.
void set_defaults(HorizontalPodAutoscaler& hpa);

}  // namespace kactor::api
