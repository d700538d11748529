// HorizontalPodAutoscaler (autoscaling/v2, the stored version; autoscaling/v1 is served and
// converted in api/conversion/autoscaling_v1.*). Field names and shapes are upstream's.
//
// kactor has no custom or external metrics API, so the Object, Pods and External metric
// sources are carried as given (RawJson: stored and served, never interpreted); the controller
// reports them as unavailable, as upstream does without a metrics adapter.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/object.hpp"
#include "api/quantity/quantity.hpp"

namespace kactor::api {

/// The object the HPA scales (kind, name, apiVersion); CrossVersionObjectReference.
struct CrossVersionObjectReference {
  std::string kind;
  std::string name;
  std::string api_version;
  bool operator==(const CrossVersionObjectReference&) const = default;
};
template <class V>
void describe(V& v, CrossVersionObjectReference& x) {
  v("kind", x.kind, keep_zero);
  v("name", x.name, keep_zero);
  v("apiVersion", x.api_version);
}

/// A metric's target: type Utilization (averageUtilization, percent of the request), Value
/// or AverageValue.
struct MetricTarget {
  std::string type;
  std::optional<Quantity> value;
  std::optional<Quantity> average_value;
  std::optional<int32_t> average_utilization;
  bool operator==(const MetricTarget&) const = default;
};
template <class V>
void describe(V& v, MetricTarget& x) {
  v("type", x.type, keep_zero);
  v("value", x.value);
  v("averageValue", x.average_value);
  v("averageUtilization", x.average_utilization);
}

struct ResourceMetricSource {
  std::string name;  // cpu, memory
  MetricTarget target;
  bool operator==(const ResourceMetricSource&) const = default;
};
template <class V>
void describe(V& v, ResourceMetricSource& x) {
  v("name", x.name, keep_zero);
  v("target", x.target, keep_zero);
}

struct ContainerResourceMetricSource {
  std::string name;
  MetricTarget target;
  std::string container;
  bool operator==(const ContainerResourceMetricSource&) const = default;
};
template <class V>
void describe(V& v, ContainerResourceMetricSource& x) {
  v("name", x.name, keep_zero);
  v("target", x.target, keep_zero);
  v("container", x.container, keep_zero);
}

struct MetricSpec {
  std::string type;  // Resource, ContainerResource, Pods, Object, External
  RawJson object;
  RawJson pods;
  std::optional<ResourceMetricSource> resource;
  std::optional<ContainerResourceMetricSource> container_resource;
  RawJson external;
  bool operator==(const MetricSpec&) const = default;
};
template <class V>
void describe(V& v, MetricSpec& x) {
  v("type", x.type, keep_zero);
  v("object", x.object);
  v("pods", x.pods);
  v("resource", x.resource);
  v("containerResource", x.container_resource);
  v("external", x.external);
}

/// One scaling policy: at most `value` pods (type Pods) or percent of the current replicas
/// (type Percent) within `periodSeconds`.
struct HPAScalingPolicy {
  std::string type;
  int32_t value = 0;
  int32_t period_seconds = 0;
  bool operator==(const HPAScalingPolicy&) const = default;
};
template <class V>
void describe(V& v, HPAScalingPolicy& x) {
  v("type", x.type, keep_zero);
  v("value", x.value, keep_zero);
  v("periodSeconds", x.period_seconds, keep_zero);
}

struct HPAScalingRules {
  std::optional<int32_t> stabilization_window_seconds;
  std::optional<std::string> select_policy;  // Max, Min, Disabled
  std::vector<HPAScalingPolicy> policies;
  bool operator==(const HPAScalingRules&) const = default;
};
template <class V>
void describe(V& v, HPAScalingRules& x) {
  v("stabilizationWindowSeconds", x.stabilization_window_seconds);
  v("selectPolicy", x.select_policy);
  v("policies", x.policies);
}

struct HorizontalPodAutoscalerBehavior {
  std::optional<HPAScalingRules> scale_up;
  std::optional<HPAScalingRules> scale_down;
  bool operator==(const HorizontalPodAutoscalerBehavior&) const = default;
};
template <class V>
void describe(V& v, HorizontalPodAutoscalerBehavior& x) {
  v("scaleUp", x.scale_up);
  v("scaleDown", x.scale_down);
}

struct HorizontalPodAutoscalerSpec {
  CrossVersionObjectReference scale_target_ref;
  std::optional<int32_t> min_replicas;  // default 1
  int32_t max_replicas = 0;
  std::vector<MetricSpec> metrics;  // default: cpu at 80 % of the request
  std::optional<HorizontalPodAutoscalerBehavior> behavior;
  bool operator==(const HorizontalPodAutoscalerSpec&) const = default;
};
template <class V>
void describe(V& v, HorizontalPodAutoscalerSpec& x) {
  v("scaleTargetRef", x.scale_target_ref, keep_zero);
  v("minReplicas", x.min_replicas);
  v("maxReplicas", x.max_replicas, keep_zero);
  v("metrics", x.metrics);
  v("behavior", x.behavior);
}

/// A metric's current value, as the target it is compared with.
struct MetricValueStatus {
  std::optional<Quantity> value;
  std::optional<Quantity> average_value;
  std::optional<int32_t> average_utilization;
  bool operator==(const MetricValueStatus&) const = default;
};
template <class V>
void describe(V& v, MetricValueStatus& x) {
  v("value", x.value);
  v("averageValue", x.average_value);
  v("averageUtilization", x.average_utilization);
}

struct ResourceMetricStatus {
  std::string name;
  MetricValueStatus current;
  bool operator==(const ResourceMetricStatus&) const = default;
};
template <class V>
void describe(V& v, ResourceMetricStatus& x) {
  v("name", x.name, keep_zero);
  v("current", x.current, keep_zero);
}

struct ContainerResourceMetricStatus {
  std::string name;
  MetricValueStatus current;
  std::string container;
  bool operator==(const ContainerResourceMetricStatus&) const = default;
};
template <class V>
void describe(V& v, ContainerResourceMetricStatus& x) {
  v("name", x.name, keep_zero);
  v("current", x.current, keep_zero);
  v("container", x.container, keep_zero);
}

struct MetricStatus {
  std::string type;
  RawJson object;
  RawJson pods;
  std::optional<ResourceMetricStatus> resource;
  std::optional<ContainerResourceMetricStatus> container_resource;
  RawJson external;
  bool operator==(const MetricStatus&) const = default;
};
template <class V>
void describe(V& v, MetricStatus& x) {
  v("type", x.type, keep_zero);
  v("object", x.object);
  v("pods", x.pods);
  v("resource", x.resource);
  v("containerResource", x.container_resource);
  v("external", x.external);
}

/// AbleToScale, ScalingActive, ScalingLimited.
struct HorizontalPodAutoscalerCondition {
  std::string type;
  std::string status;
  Time last_transition_time;
  std::string reason;
  std::string message;
  bool operator==(const HorizontalPodAutoscalerCondition&) const = default;
};
template <class V>
void describe(V& v, HorizontalPodAutoscalerCondition& x) {
  v("type", x.type, keep_zero);
  v("status", x.status, keep_zero);
  v("lastTransitionTime", x.last_transition_time);
  v("reason", x.reason);
  v("message", x.message);
}

struct HorizontalPodAutoscalerStatus {
  std::optional<int64_t> observed_generation;
  std::optional<Time> last_scale_time;
  int32_t current_replicas = 0;
  int32_t desired_replicas = 0;
  std::vector<MetricStatus> current_metrics;
  std::vector<HorizontalPodAutoscalerCondition> conditions;
  bool operator==(const HorizontalPodAutoscalerStatus&) const = default;
};
template <class V>
void describe(V& v, HorizontalPodAutoscalerStatus& x) {
  v("observedGeneration", x.observed_generation);
  v("lastScaleTime", x.last_scale_time);
  v("currentReplicas", x.current_replicas);
  v("desiredReplicas", x.desired_replicas, keep_zero);
  v("currentMetrics", x.current_metrics);
  v("conditions", x.conditions);
}

struct HorizontalPodAutoscaler : ObjectBase<HorizontalPodAutoscaler> {
  HorizontalPodAutoscalerSpec spec;
  HorizontalPodAutoscalerStatus status;
  static const TypeInfo& static_type();
  bool operator==(const HorizontalPodAutoscaler&) const = default;
};
template <class V>
void describe(V& v, HorizontalPodAutoscaler& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

}  // namespace kactor::api
