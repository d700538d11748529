#include "api/validation/workload_validation.hpp"

#include "api/validation/object_meta_validation.hpp"
#include "api/validation/pod_validation.hpp"

namespace kactor::api {

using namespace validation;

namespace {

/// The checks every controller's template gets (upstream ValidatePodTemplateSpecForRC/RS):
/// `matches` tells whether the controller's selector matches the template's labels.
void validate_controller_template(const PodTemplateSpec& tmpl, bool selector_empty, bool matches,
                                  const std::string& mismatch_message, const std::string& kind,
                                  Causes& causes) {
  const std::string path = "spec.template";
  if (!selector_empty && !matches)
    causes.push_back(
        field_invalid(path + ".metadata.labels", go_map(tmpl.metadata.labels), mismatch_message));
  validate_pod_template_spec(tmpl, path, causes);
  if (tmpl.spec.restart_policy != "Always")
    causes.push_back(field_not_supported(path + ".spec.restartPolicy",
                                         go_quote(tmpl.spec.restart_policy), {"Always"}));
  if (tmpl.spec.active_deadline_seconds)
    causes.push_back(field_forbidden(path + ".spec.activeDeadlineSeconds",
                                     "activeDeadlineSeconds in " + kind + " is not Supported"));
}

/// spec.selector of the apps/v1 kinds: required, valid, not empty.
void validate_apps_selector(const std::optional<LabelSelector>& selector, Causes& causes) {
  if (!selector) {
    causes.push_back(field_required("spec.selector"));
    return;
  }
  validate_label_selector(*selector, "spec.selector", causes);
  if (selector->match_labels.empty() && selector->match_expressions.empty())
    causes.push_back(field_invalid("spec.selector", go_label_selector(*selector),
                                   "empty selector is invalid for deployment"));
}

void validate_replica_set_like_template(const std::optional<LabelSelector>& selector,
                                        const PodTemplateSpec& tmpl, const std::string& kind,
                                        Causes& causes) {
  // A missing selector matches nothing (upstream LabelSelectorAsSelector(nil)), so the
  // mismatch is reported next to "Required value"; an empty one matches everything.
  bool empty = selector && selector->match_labels.empty() && selector->match_expressions.empty();
  bool matches = selector && label_selector_matches(*selector, tmpl.metadata.labels);
  validate_controller_template(tmpl, empty, matches, "`selector` does not match template `labels`",
                               kind, causes);
}

void validate_selector_immutable(const std::optional<LabelSelector>& now,
                                 const std::optional<LabelSelector>& old, Causes& causes) {
  validate_immutable(now != old, "spec.selector",
                     now ? go_label_selector(*now) : std::string("null"), causes);
}

void validate_strategy(const DeploymentStrategy& s, Causes& causes) {
  const std::string path = "spec.strategy";
  if (s.type == "Recreate") {
    if (s.rolling_update)
      causes.push_back(field_forbidden(path + ".rollingUpdate",
                                       "may not be specified when strategy `type` is 'Recreate'"));
  } else if (s.type == "RollingUpdate") {
    if (!s.rolling_update) {
      causes.push_back(
          field_required(path + ".rollingUpdate", "this should be defaulted and never be nil"));
      return;
    }
    const auto& ru = *s.rolling_update;
    std::string rp = path + ".rollingUpdate";
    validate_positive_int_or_percent(ru.max_unavailable, rp + ".maxUnavailable", causes);
    validate_positive_int_or_percent(ru.max_surge, rp + ".maxSurge", causes);
    if (int_or_percent_value(ru.max_unavailable) == 0 && int_or_percent_value(ru.max_surge) == 0)
      causes.push_back(
          field_invalid(rp + ".maxUnavailable",
                        ru.max_unavailable ? go_int_or_string(*ru.max_unavailable) : "null",
                        "may not be 0 when `maxSurge` is 0"));
    if (ru.max_unavailable && ru.max_unavailable->is_string &&
        is_percent(ru.max_unavailable->string_value) &&
        int_or_percent_value(ru.max_unavailable) > 100)
      causes.push_back(field_invalid(rp + ".maxUnavailable", go_int_or_string(*ru.max_unavailable),
                                     "must not be greater than 100%"));
  } else {
    causes.push_back(field_not_supported(path, go_quote(s.type), {"Recreate", "RollingUpdate"}));
  }
}

}  // namespace

// -- ReplicationController ---------------------------------------------------------------

void validate(const ReplicationController& rc, const ReplicationController* old,
              std::vector<StatusCause>& causes) {
  if (old)
    validate_object_meta_update(rc.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(rc.metadata, true, name_is_dns_subdomain, "metadata", causes);
  const auto& spec = rc.spec;
  validate_nonnegative(spec.min_ready_seconds, "spec.minReadySeconds", causes);
  if (spec.selector.empty()) causes.push_back(field_required("spec.selector"));
  validate_nonnegative(spec.replicas.value_or(0), "spec.replicas", causes);
  if (!spec.template_) {
    causes.push_back(field_required("spec.template"));
    return;
  }
  bool matches = true;
  for (const auto& [k, v] : spec.selector) {
    auto it = spec.template_->metadata.labels.find(k);
    matches = matches && it != spec.template_->metadata.labels.end() && it->second == v;
  }
  validate_controller_template(*spec.template_, spec.selector.empty(), matches,
                               "selector does not match labels in spec.template",
                               "ReplicationController", causes);
}

// -- ReplicaSet --------------------------------------------------------------------------

void validate(const ReplicaSet& rs, const ReplicaSet* old, std::vector<StatusCause>& causes) {
  if (old)
    validate_object_meta_update(rs.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(rs.metadata, true, name_is_dns_subdomain, "metadata", causes);
  validate_nonnegative(rs.spec.replicas.value_or(0), "spec.replicas", causes);
  validate_nonnegative(rs.spec.min_ready_seconds, "spec.minReadySeconds", causes);
  validate_apps_selector(rs.spec.selector, causes);
  validate_replica_set_like_template(rs.spec.selector, rs.spec.template_, "ReplicaSet", causes);
  if (old) validate_selector_immutable(rs.spec.selector, old->spec.selector, causes);
}

// -- Deployment --------------------------------------------------------------------------

void validate(const Deployment& d, const Deployment* old, std::vector<StatusCause>& causes) {
  if (old)
    validate_object_meta_update(d.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(d.metadata, true, name_is_dns_subdomain, "metadata", causes);
  const auto& spec = d.spec;
  validate_nonnegative(spec.replicas.value_or(0), "spec.replicas", causes);
  validate_apps_selector(spec.selector, causes);
  validate_replica_set_like_template(spec.selector, spec.template_, "ReplicaSet", causes);
  validate_strategy(spec.strategy, causes);
  validate_nonnegative(spec.min_ready_seconds, "spec.minReadySeconds", causes);
  if (spec.revision_history_limit)
    validate_nonnegative(*spec.revision_history_limit, "spec.revisionHistoryLimit", causes);
  if (spec.progress_deadline_seconds) {
    validate_nonnegative(*spec.progress_deadline_seconds, "spec.progressDeadlineSeconds", causes);
    if (*spec.progress_deadline_seconds <= spec.min_ready_seconds)
      causes.push_back(field_invalid("spec.progressDeadlineSeconds",
                                     std::to_string(*spec.progress_deadline_seconds),
                                     "must be greater than minReadySeconds"));
  }
  if (old) validate_selector_immutable(spec.selector, old->spec.selector, causes);
}

}  // namespace kactor::api
