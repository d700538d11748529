// autoscaling/v1 HorizontalPodAutoscaler <-> the stored autoscaling/v2 one, as JSON documents
// (the HTTP API converts request bodies and answers at its edge; everything inside speaks v2).
//
// As upstream: v1's spec.targetCPUUtilizationPercentage is v2's Resource metric "cpu" with a
// Utilization target, and status.currentCPUUtilizationPercentage its current value. What v1
// cannot express travels in annotations so that a v2 object read and written back through v1
// loses nothing: autoscaling.alpha.kubernetes.io/metrics (the other metrics),
// .../behavior, .../conditions and .../current-metrics. Their values are the v2 JSON of those
// fields (upstream's v1 annotations hold v2beta1-shaped metrics; kactor keeps one shape).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "api/status.hpp"

namespace kactor::api::conversion {

inline constexpr const char* kMetricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
inline constexpr const char* kBehaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior";
inline constexpr const char* kConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";
inline constexpr const char* kCurrentMetricsAnnotation =
    "autoscaling.alpha.kubernetes.io/current-metrics";

/// A v1 HorizontalPodAutoscaler document made v2 (BadRequest for an annotation that is no
/// JSON of the expected shape, naming it).
Result<void> hpa_v1_to_v2(nlohmann::json& doc);
/// A v2 HorizontalPodAutoscaler document made v1.
void hpa_v2_to_v1(nlohmann::json& doc);

}  // namespace kactor::api::conversion
