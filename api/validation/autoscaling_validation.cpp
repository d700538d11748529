#include "api/validation/autoscaling_validation.hpp"

#include "api/validation/common.hpp"
#include "api/validation/names.hpp"
#include "api/validation/object_meta_validation.hpp"
#include "api/validation/resource_validation.hpp"

namespace kactor::api {

using namespace validation;

namespace {

constexpr int32_t kMaxPeriodSeconds = 1800;
constexpr int32_t kMaxStabilizationWindowSeconds = 3600;

/// upstream's path.IsValidPathSegmentName: the name becomes part of a URL.
void validate_path_segment(const std::string& value, const std::string& path, Causes& causes) {
  std::vector<std::string> msgs;
  if (value == "." || value == "..") msgs.push_back("may not be '" + value + "'");
  for (const char* bad : {"/", "%"})
    if (value.find(bad) != std::string::npos) msgs.push_back(std::string("may not contain '") + bad + "'");
  add_invalid(causes, path, go_quote(value), msgs);
}

void validate_target_ref(const CrossVersionObjectReference& ref, const std::string& path,
                         Causes& causes) {
  if (ref.kind.empty()) causes.push_back(field_required(path + ".kind"));
  else validate_path_segment(ref.kind, path + ".kind", causes);
  if (ref.name.empty()) causes.push_back(field_required(path + ".name"));
  else validate_path_segment(ref.name, path + ".name", causes);
}

void validate_target(const MetricTarget& t, const std::string& path, Causes& causes) {
  if (t.type.empty()) causes.push_back(field_required(path + ".type", "must specify a metric target type"));
  if (t.type != "Utilization" && t.type != "Value" && t.type != "AverageValue")
    causes.push_back(field_invalid(path + ".type", go_quote(t.type),
                                   "must be either Utilization, Value, or AverageValue"));
  if (t.value && t.value->nanos() <= 0)
    causes.push_back(field_invalid(path + ".value", t.value->to_string(), "must be positive"));
  if (t.average_value && t.average_value->nanos() <= 0)
    causes.push_back(field_invalid(path + ".averageValue", t.average_value->to_string(), "must be positive"));
  if (t.average_utilization && *t.average_utilization < 1)
    causes.push_back(field_invalid(path + ".averageUtilization",
                                   std::to_string(*t.average_utilization), "must be greater than 0"));
}

/// Resource and ContainerResource sources: a resource name and an average target.
void validate_resource_source(const std::string& name, const MetricTarget& target,
                              const std::string& path, Causes& causes) {
  if (name.empty()) causes.push_back(field_required(path + ".name", "must specify a resource name"));
  else validate_container_resource_name(name, path + ".name", causes);
  validate_target(target, path + ".target", causes);
  if (!target.average_utilization && !target.average_value)
    causes.push_back(field_required(path + ".target.averageUtilization",
                                    "must set either a target raw value or a target utilization"));
  if (target.average_utilization && target.average_value)
    causes.push_back(field_forbidden(path + ".target.averageValue",
                                     "may not set both a target raw value and a target utilization"));
}

void validate_metric(const MetricSpec& m, const std::string& path, Causes& causes) {
  static const std::vector<std::string> kTypes = {"ContainerResource", "External", "Object", "Pods",
                                                  "Resource"};
  if (m.type.empty()) causes.push_back(field_required(path + ".type", "must specify a metric source type"));
  else if (std::find(kTypes.begin(), kTypes.end(), m.type) == kTypes.end())
    causes.push_back(field_not_supported(path + ".type", go_quote(m.type), kTypes));
  std::vector<std::string> present;
  if (!m.object.empty()) present.push_back("object");
  if (!m.pods.empty()) present.push_back("pods");
  if (m.resource) {
    present.push_back("resource");
    if (m.type == "Resource") validate_resource_source(m.resource->name, m.resource->target, path + ".resource", causes);
  }
  if (m.container_resource) {
    present.push_back("containerResource");
    if (m.type == "ContainerResource") {
      const auto& c = *m.container_resource;
      const auto cpath = path + ".containerResource";
      validate_resource_source(c.name, c.target, cpath, causes);
      if (c.container.empty()) causes.push_back(field_required(cpath + ".container", "must specify a container"));
      else validate_dns1123_label(c.container, cpath + ".container", causes);
    }
  }
  if (!m.external.empty()) present.push_back("external");
  std::string expected;
  if (m.type == "Object") expected = "object";
  else if (m.type == "Pods") expected = "pods";
  else if (m.type == "Resource") expected = "resource";
  else if (m.type == "ContainerResource") expected = "containerResource";
  else if (m.type == "External") expected = "external";
  if (expected.empty()) return;
  if (std::find(present.begin(), present.end(), expected) == present.end())
    causes.push_back(field_required(path + "." + expected,
                                    "must populate information for the given metric source"));
  for (const auto& p : present)
    if (p != expected)
      causes.push_back(field_forbidden(path + "." + p, "must populate the given metric source only"));
}

void validate_policy(const HPAScalingPolicy& p, const std::string& path, Causes& causes) {
  if (p.type != "Pods" && p.type != "Percent")
    causes.push_back(field_not_supported(path + ".type", go_quote(p.type), {"Percent", "Pods"}));
  if (p.value <= 0)
    causes.push_back(field_invalid(path + ".value", std::to_string(p.value), "must be greater than zero"));
  if (p.period_seconds <= 0)
    causes.push_back(field_invalid(path + ".periodSeconds", std::to_string(p.period_seconds),
                                   "must be greater than zero"));
  if (p.period_seconds > kMaxPeriodSeconds)
    causes.push_back(field_invalid(path + ".periodSeconds", std::to_string(p.period_seconds),
                                   "must be less than or equal to " + std::to_string(kMaxPeriodSeconds)));
}

void validate_rules(const HPAScalingRules& r, const std::string& path, Causes& causes) {
  if (r.stabilization_window_seconds) {
    const auto w = *r.stabilization_window_seconds;
    if (w < 0)
      causes.push_back(field_invalid(path + ".stabilizationWindowSeconds", std::to_string(w),
                                     "must be greater than or equal to zero"));
    if (w > kMaxStabilizationWindowSeconds)
      causes.push_back(field_invalid(path + ".stabilizationWindowSeconds", std::to_string(w),
                                     "must be less than or equal to " +
                                         std::to_string(kMaxStabilizationWindowSeconds)));
  }
  if (r.select_policy && *r.select_policy != "Max" && *r.select_policy != "Min" &&
      *r.select_policy != "Disabled")
    causes.push_back(field_not_supported(path + ".selectPolicy", go_quote(*r.select_policy),
                                         {"Disabled", "Max", "Min"}));
  if (r.policies.empty())
    causes.push_back(field_required(path + ".policies", "must specify at least one Policy"));
  for (size_t i = 0; i < r.policies.size(); ++i)
    validate_policy(r.policies[i], index(path + ".policies", i), causes);
}

}  // namespace

void validate(const HorizontalPodAutoscaler& hpa, const HorizontalPodAutoscaler* old,
              std::vector<StatusCause>& causes) {
  if (old)
    validate_object_meta_update(hpa.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(hpa.metadata, true, name_is_dns_subdomain, "metadata", causes);
  const auto& spec = hpa.spec;
  if (spec.min_replicas && *spec.min_replicas < 1)
    causes.push_back(field_invalid("spec.minReplicas", std::to_string(*spec.min_replicas),
                                   "must be greater than or equal to 1"));
  if (spec.max_replicas < 1)
    causes.push_back(field_invalid("spec.maxReplicas", std::to_string(spec.max_replicas),
                                   "must be greater than 0"));
  if (spec.min_replicas && spec.max_replicas < *spec.min_replicas)
    causes.push_back(field_invalid("spec.maxReplicas", std::to_string(spec.max_replicas),
                                   "must be greater than or equal to `minReplicas`"));
  // As upstream: metrics are checked only with a valid target, behavior only with valid metrics.
  const size_t before = causes.size();
  validate_target_ref(spec.scale_target_ref, "spec.scaleTargetRef", causes);
  if (causes.size() != before) return;
  for (size_t i = 0; i < spec.metrics.size(); ++i)
    validate_metric(spec.metrics[i], index("spec.metrics", i), causes);
  if (causes.size() != before || !spec.behavior) return;
  if (spec.behavior->scale_up) validate_rules(*spec.behavior->scale_up, "spec.behavior.scaleUp", causes);
  if (spec.behavior->scale_down)
    validate_rules(*spec.behavior->scale_down, "spec.behavior.scaleDown", causes);
}

}  // namespace kactor::api
