// HorizontalPodAutoscalers: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE, the TARGETS
// cell as upstream's formatHPAMetrics ("cpu: 40%/50%", at most two, then "+ N more...").
#include <string>
#include <vector>

#include <fmt/format.h>

#include "actors/http/tables/format.hpp"
#include "actors/http/tables/printers.hpp"
#include "api/types/autoscaling.hpp"

namespace kactor::http::tables {

namespace {

/// "<current>/<target>" of a Resource or ContainerResource metric.
std::string resource_target(const std::string& name, const api::MetricTarget& target,
                            const api::MetricValueStatus* current) {
  if (target.average_value) {
    const std::string now = current && current->average_value ? current->average_value->to_string() : "<unknown>";
    return fmt::format("{}: {}/{}", name, now, target.average_value->to_string());
  }
  const std::string now = current && current->average_utilization
                              ? fmt::format("{}%", *current->average_utilization)
                              : "<unknown>";
  const std::string goal =
      target.average_utilization ? fmt::format("{}%", *target.average_utilization) : "<auto>";
  return fmt::format("{}: {}/{}", name, now, goal);
}

std::string format_metrics(const api::HorizontalPodAutoscaler& hpa) {
  const auto& specs = hpa.spec.metrics;
  const auto& statuses = hpa.status.current_metrics;
  if (specs.empty()) return "<none>";
  std::vector<std::string> list;
  for (size_t i = 0; i < specs.size(); ++i) {
    const auto& s = specs[i];
    const api::MetricStatus* st = i < statuses.size() ? &statuses[i] : nullptr;
    if (s.type == "Resource" && s.resource) {
      const auto* cur = st && st->resource ? &st->resource->current : nullptr;
      list.push_back(resource_target(s.resource->name, s.resource->target, cur));
    } else if (s.type == "ContainerResource" && s.container_resource) {
      const auto* cur = st && st->container_resource ? &st->container_resource->current : nullptr;
      list.push_back(resource_target(s.container_resource->name, s.container_resource->target, cur));
    } else {
      // kactor keeps Pods, Object and External sources as given and has no values for them.
      list.push_back("<unknown>/<unknown>");
    }
  }
  constexpr size_t kShown = 2;
  std::string out = join(std::vector<std::string>(list.begin(), list.begin() + std::min(kShown, list.size())), ", ");
  if (list.size() > kShown) out += fmt::format(" + {} more...", list.size() - kShown);
  return out;
}

void print_hpa(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& hpa = static_cast<const api::HorizontalPodAutoscaler&>(object);
  const auto& ref = hpa.spec.scale_target_ref;
  row.cells = {hpa.metadata.name,
               ref.kind + "/" + ref.name,
               format_metrics(hpa),
               hpa.spec.min_replicas ? std::to_string(*hpa.spec.min_replicas) : "<unset>",
               hpa.spec.max_replicas,
               hpa.status.current_replicas,
               age(hpa.metadata.creation_timestamp, now)};
}

}  // namespace

Printer horizontal_pod_autoscaler_printer() {
  return {{name_column(),
           {"Reference", "string", "",
            "scaleTargetRef points to the target resource to scale, and is used to the pods for "
            "which metrics should be collected, as well as to actually change the replica count."},
           {"Targets", "string", "",
            "metrics contains the specifications for which to use to calculate the desired "
            "replica count (the maximum replica count across all metrics will be used)."},
           {"MinPods", "string", "",
            "minReplicas is the lower limit for the number of replicas to which the autoscaler "
            "can scale down."},
           {"MaxPods", "string", "",
            "maxReplicas is the upper limit for the number of replicas to which the autoscaler "
            "can scale up. It cannot be less that minReplicas."},
           {"Replicas", "string", "",
            "currentReplicas is current number of replicas of pods managed by this autoscaler, "
            "as last seen by the autoscaler."},
           age_column()},
          &print_hpa};
}

}  // namespace kactor::http::tables
