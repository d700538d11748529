#include "api/validation/disruption_validation.hpp"

#include <cctype>
#include <set>

#include <fmt/format.h>

#include "api/types/pdb_util.hpp"
#include "api/validation/common.hpp"
#include "api/validation/object_meta_validation.hpp"

namespace kactor::api {

using namespace validation;

namespace {

constexpr size_t kMaxConditionReasonLength = 1024;
constexpr size_t kMaxConditionMessageLength = 32 * 1024;

/// upstream's isValidConditionReason: `[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?`.
bool is_valid_condition_reason(const std::string& reason) {
  if (reason.empty() || !std::isalpha(static_cast<unsigned char>(reason.front()))) return false;
  for (char c : reason)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != ',' && c != ':')
      return false;
  const char last = reason.back();
  return std::isalnum(static_cast<unsigned char>(last)) || last == '_';
}

/// metav1 validation's ValidateConditions (apimachinery/pkg/apis/meta/v1/validation).
void validate_conditions(const std::vector<Condition>& conditions, const std::string& path,
                         Causes& causes) {
  std::set<std::string> seen;
  for (size_t i = 0; i < conditions.size(); ++i) {
    const auto& c = conditions[i];
    const std::string p = index(path, i);
    validate_qualified_name(c.type, child(p, "type"), causes);
    if (!seen.insert(c.type).second)
      causes.push_back(field_duplicate(child(p, "type"), go_quote(c.type)));
    if (c.status != "True" && c.status != "False" && c.status != "Unknown")
      causes.push_back(
          field_not_supported(child(p, "status"), go_quote(c.status), {"False", "True", "Unknown"}));
    if (c.observed_generation < 0)
      causes.push_back(field_invalid(child(p, "observedGeneration"),
                                     std::to_string(c.observed_generation),
                                     "must be greater than or equal to zero"));
    if (!c.last_transition_time.is_set())
      causes.push_back(field_required(child(p, "lastTransitionTime"), "must be set"));
    if (c.reason.empty()) {
      causes.push_back(field_required(child(p, "reason"), "must be set"));
    } else {
      if (!is_valid_condition_reason(c.reason))
        causes.push_back(field_invalid(
            child(p, "reason"), go_quote(c.reason),
            "a condition reason must start with alphabetic character, optionally followed by a "
            "string of alphanumeric characters or '_,:', and must end with an alphanumeric "
            "character or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName',  or "
            "'ReasonA,ReasonB',  or 'ReasonA:ReasonB', regex used for validation is "
            "'[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?')"));
      if (c.reason.size() > kMaxConditionReasonLength)
        causes.push_back(field_too_long(child(p, "reason"), "", kMaxConditionReasonLength));
    }
    if (c.message.size() > kMaxConditionMessageLength)
      causes.push_back(field_too_long(child(p, "message"), "", kMaxConditionMessageLength));
  }
}

/// The spec as the "cannot be both set" error shows it. Upstream prints the Go struct with
/// %#v, whose pointers are addresses; kactor prints the two fields that clash instead.
std::string spec_repr(const PodDisruptionBudgetSpec& spec) {
  return fmt::format("{{minAvailable: {}, maxUnavailable: {}}}",
                     go_int_or_string(*spec.min_available), go_int_or_string(*spec.max_unavailable));
}

void validate_spec(const PodDisruptionBudgetSpec& spec, Causes& causes) {
  const std::string path = "spec";
  if (spec.min_available && spec.max_unavailable)
    causes.push_back(
        field_invalid(path, spec_repr(spec), "minAvailable and maxUnavailable cannot be both set"));
  validate_positive_int_or_percent(spec.min_available, child(path, "minAvailable"), causes);
  validate_not_more_than_100_percent(spec.min_available, child(path, "minAvailable"), causes);
  validate_positive_int_or_percent(spec.max_unavailable, child(path, "maxUnavailable"), causes);
  validate_not_more_than_100_percent(spec.max_unavailable, child(path, "maxUnavailable"), causes);
  if (spec.selector) validate_label_selector(*spec.selector, child(path, "selector"), causes);
  if (const auto& policy = spec.unhealthy_pod_eviction_policy;
      policy && *policy != pdb::kAlwaysAllow && *policy != pdb::kIfHealthyBudget)
    causes.push_back(field_not_supported(child(path, "unhealthyPodEvictionPolicy"),
                                         go_quote(*policy),
                                         {pdb::kAlwaysAllow, pdb::kIfHealthyBudget}));
}

/// upstream's ValidatePodDisruptionBudgetStatusUpdate (policy/v1).
void validate_status(const PodDisruptionBudgetStatus& status, Causes& causes) {
  const std::string path = "status";
  validate_conditions(status.conditions, child(path, "conditions"), causes);
  validate_nonnegative(status.disruptions_allowed, child(path, "disruptionsAllowed"), causes);
  validate_nonnegative(status.current_healthy, child(path, "currentHealthy"), causes);
  validate_nonnegative(status.desired_healthy, child(path, "desiredHealthy"), causes);
  validate_nonnegative(status.expected_pods, child(path, "expectedPods"), causes);
}

}  // namespace

void validate(const PodDisruptionBudget& pdb, const PodDisruptionBudget* old,
              std::vector<StatusCause>& causes) {
  if (old)
    validate_object_meta_update(pdb.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(pdb.metadata, true, name_is_dns_subdomain, "metadata", causes);
  validate_spec(pdb.spec, causes);
  validate_status(pdb.status, causes);
}

}  // namespace kactor::api
