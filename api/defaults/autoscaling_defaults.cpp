#include "api/defaults/autoscaling_defaults.hpp"

namespace kactor::api {

HPAScalingRules default_scale_up_rules() {
  return {.stabilization_window_seconds = 0,
          .select_policy = "Max",
          .policies = {{"Pods", 4, 15}, {"Percent", 100, 15}}};
}

HPAScalingRules default_scale_down_rules() {
  return {.stabilization_window_seconds = 300,
          .select_policy = "Max",
          .policies = {{"Percent", 100, 15}}};
}

HPAScalingRules complete_scaling_rules(const std::optional<HPAScalingRules>& given,
                                       const HPAScalingRules& defaults) {
  if (!given) return defaults;
  HPAScalingRules out = *given;
  if (!out.stabilization_window_seconds)
    out.stabilization_window_seconds = defaults.stabilization_window_seconds;
  if (!out.select_policy) out.select_policy = defaults.select_policy;
  if (out.policies.empty()) out.policies = defaults.policies;
  return out;
}

void set_defaults(HorizontalPodAutoscaler& hpa) {
  auto& spec = hpa.spec;
  if (!spec.min_replicas) spec.min_replicas = 1;
  if (spec.metrics.empty()) {
    MetricSpec cpu;
    cpu.type = "Resource";
    cpu.resource = ResourceMetricSource{
        .name = "cpu", .target = {.type = "Utilization", .average_utilization = kDefaultCpuUtilization}};
    spec.metrics.push_back(std::move(cpu));
  }
  if (spec.behavior) {
    spec.behavior->scale_up = complete_scaling_rules(spec.behavior->scale_up, default_scale_up_rules());
    spec.behavior->scale_down =
        complete_scaling_rules(spec.behavior->scale_down, default_scale_down_rules());
  }
}

}  // namespace kactor::api
