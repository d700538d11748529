// Pod: type information, selectable fields.
#include "api/types/pod.hpp"

#include "api/defaults/pod_defaults.hpp"
#include "api/kinds/kind_impl.hpp"
#include "api/validation/pod_validation.hpp"

namespace kactor::api {

const PodCondition* PodStatus::condition(std::string_view type) const {
  for (const auto& c : conditions)
    if (c.type == type) return &c;
  return nullptr;
}

std::optional<std::string> field_value(const Pod& p, std::string_view field) {
  if (field == "spec.nodeName") return p.spec.node_name;
  if (field == "spec.restartPolicy") return p.spec.restart_policy;
  if (field == "spec.schedulerName") return p.spec.scheduler_name;
  if (field == "spec.serviceAccountName") return p.spec.service_account_name;
  if (field == "status.phase") return p.status.phase;
  if (field == "status.podIP") return p.status.pod_ip;
  if (field == "status.nominatedNodeName") return p.status.nominated_node_name;
  return std::nullopt;
}

const TypeInfo& Pod::static_type() {
  static const TypeInfo info = make_type_info<Pod>({
      .group = "",
      .version = "v1",
      .kind = "Pod",
      .resource = "pods",
      .singular = "pod",
      .namespaced = true,
      .short_names = {"po"},
      .categories = {"all"},
      .selectable_fields = {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                            "spec.serviceAccountName", "status.phase", "status.podIP",
                            "status.nominatedNodeName"},
  });
  return info;
}

}  // namespace kactor::api
