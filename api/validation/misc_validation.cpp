#include "api/validation/misc_validation.hpp"

#include <fmt/format.h>

#include "api/validation/names.hpp"
#include "api/validation/object_meta_validation.hpp"

namespace kactor::api {

using namespace validation;

void validate(const Lease& lease, const Lease* old, std::vector<StatusCause>& causes) {
  if (old)
    validate_object_meta_update(lease.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(lease.metadata, true, name_is_dns_subdomain, "metadata", causes);
  const auto& spec = lease.spec;
  if (spec.lease_duration_seconds && *spec.lease_duration_seconds <= 0)
    causes.push_back(field_invalid("spec.leaseDurationSeconds",
                                   std::to_string(*spec.lease_duration_seconds),
                                   "must be greater than 0"));
  if (spec.lease_transitions && *spec.lease_transitions < 0)
    causes.push_back(field_invalid("spec.leaseTransitions", std::to_string(*spec.lease_transitions),
                                   std::string(kIsNegative)));
}

namespace {

constexpr size_t kReportingInstanceLengthLimit = 128;
constexpr size_t kActionLengthLimit = 128;
constexpr size_t kReasonLengthLimit = 128;
constexpr size_t kNoteLengthLimit = 1024;

void check_length(const std::string& value, size_t limit, const std::string& path, Causes& causes) {
  if (value.size() > limit)
    causes.push_back(
        field_invalid(path, go_quote(""), fmt::format("can have at most {} characters", limit)));
}

}  // namespace

void validate(const Event& event, const Event* old, std::vector<StatusCause>& causes) {
  // upstream does not check event names (they embed the involved object's name).
  if (old)
    validate_object_meta_update(event.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(event.metadata, true, name_is_anything, "metadata", causes);
  const auto& ns = event.metadata.namespace_;
  const auto& obj_ns = event.involved_object.namespace_;
  auto mismatch = [&] {
    causes.push_back(
        field_invalid("involvedObject.namespace", go_quote(obj_ns), "does not match event.namespace"));
  };
  if (!event.event_time.is_set()) {
    if (obj_ns.empty()) {
      // Events about cluster-scoped objects live in "default" (or nowhere, for old clients).
      if (!ns.empty() && ns != "default") mismatch();
    } else if (ns != obj_ns) {
      mismatch();
    }
  } else {
    if (obj_ns.empty() && ns != "default" && ns != "kube-system") mismatch();
    if (event.reporting_component.empty()) causes.push_back(field_required("reportingComponent"));
    validate_qualified_name(event.reporting_component, "reportingComponent", causes);
    if (event.reporting_instance.empty()) causes.push_back(field_required("reportingInstance"));
    check_length(event.reporting_instance, kReportingInstanceLengthLimit, "reportingInstance",
                 causes);
    if (event.action.empty()) causes.push_back(field_required("action"));
    check_length(event.action, kActionLengthLimit, "action", causes);
    if (event.reason.empty()) causes.push_back(field_required("reason"));
    check_length(event.reason, kReasonLengthLimit, "reason", causes);
    check_length(event.message, kNoteLengthLimit, "message", causes);
  }
}

void validate(const Binding& binding, const Binding* old, std::vector<StatusCause>& causes) {
  if (!binding.target.kind.empty() && binding.target.kind != "Node")
    causes.push_back(
        field_not_supported("target.kind", go_quote(binding.target.kind), {"Node", "<empty>"}));
  if (binding.target.name.empty()) causes.push_back(field_required("target.name"));
}

}  // namespace kactor::api
