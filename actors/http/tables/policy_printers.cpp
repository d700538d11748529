// PriorityClasses (NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY), ResourceQuotas (NAME AGE
// REQUEST LIMIT) and LimitRanges (NAME CREATED AT).
#include <string>

#include "actors/http/tables/format.hpp"
#include "actors/http/tables/printers.hpp"
#include "api/time/rfc3339.hpp"
#include "api/types/policy.hpp"

namespace kactor::http::tables {

namespace {

void print_priority_class(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& pc = static_cast<const api::PriorityClass&>(object);
  row.cells = {pc.metadata.name, pc.value, pc.global_default,
               age(pc.metadata.creation_timestamp, now), pc.preemption_policy.value_or("")};
}

/// "<resource>: <used>/<hard>, ..." for each resource of spec.hard, in the order of the
/// resource names; "limits.*" go to LIMIT, the rest to REQUEST.
void print_resource_quota(const api::Object& object, TimePoint now, RowCells& row) {
  const auto& quota = static_cast<const api::ResourceQuota&>(object);
  std::string requests, limits;
  for (const auto& [resource, _] : quota.spec.hard) {  // a std::map: sorted by name
    auto amount = [&](const api::ResourceList& list) {
      auto it = list.find(resource);
      return it == list.end() ? api::Quantity().to_string() : it->second.to_string();
    };
    std::string& out = resource.starts_with("limits.") ? limits : requests;
    if (!out.empty()) out += ", ";
    out += resource + ": " + amount(quota.status.used) + "/" + amount(quota.status.hard);
  }
  row.cells = {quota.metadata.name, age(quota.metadata.creation_timestamp, now), requests, limits};
}

void print_limit_range(const api::Object& object, TimePoint, RowCells& row) {
  // Upstream prints the creation time itself (a date column), not an age.
  const auto& created = object.metadata.creation_timestamp;
  row.cells = {object.metadata.name,
               created.is_set() ? nlohmann::json(format_rfc3339(created.value)) : nullptr};
}

}  // namespace

Printer priority_class_printer() {
  return {{name_column(),
           {"Value", "integer", "",
            "value represents the integer value of this priority class. This is the actual "
            "priority that pods receive when they have the name of this class in their pod spec."},
           {"Global-Default", "boolean", "",
            "globalDefault specifies whether this PriorityClass should be considered as the "
            "default priority for pods that do not have any priority class."},
           age_column(),
           {"PreemptionPolicy", "string", "",
            "preemptionPolicy is the Policy for preempting pods with lower priority. One of "
            "Never, PreemptLowerPriority."}},
          &print_priority_class};
}

Printer resource_quota_printer() {
  return {{name_column(),
           age_column(),
           {"Request", "string", "",
            "Request represents a minimum amount of cpu/memory that a container may consume."},
           {"Limit", "string", "",
            "Limits control the maximum amount of cpu/memory that a container may use "
            "independent of contention on the node."}},
          &print_resource_quota};
}

Printer limit_range_printer() {
  Column created = age_column();
  created.name = "Created At";
  created.type = "date";
  return {{name_column(), std::move(created)}, &print_limit_range};
}

}  // namespace kactor::http::tables
