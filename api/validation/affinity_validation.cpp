// Placement validation (upstream validateTolerations, validateAffinity and
// validateTopologySpreadConstraints).
#include <set>

#include "api/validation/detail/pod_spec_parts.hpp"
#include "api/validation/names.hpp"
#include "api/validation/object_meta_validation.hpp"

namespace kactor::api::validation::detail {
namespace {

void validate_taint_effect(const std::string& effect, bool allow_empty, const std::string& path,
                           Causes& causes) {
  if (!allow_empty && effect.empty()) {
    causes.push_back(field_required(path));
    return;
  }
  if (effect != "NoSchedule" && effect != "PreferNoSchedule" && effect != "NoExecute")
    causes.push_back(field_not_supported(path, go_quote(effect),
                                         {"NoSchedule", "PreferNoSchedule", "NoExecute"}));
}

}  // namespace

void validate_tolerations(const std::vector<Toleration>& tolerations, const std::string& path,
                          Causes& causes) {
  for (size_t i = 0; i < tolerations.size(); ++i) {
    const auto& t = tolerations[i];
    std::string p = index(path, i);
    if (!t.key.empty()) validate_qualified_name(t.key, child(p, "key"), causes);
    if (t.key.empty() && t.operator_ != "Exists")
      causes.push_back(field_invalid(child(p, "operator"), go_quote(t.operator_),
                                     "operator must be Exists when `key` is empty, which means "
                                     "\"match all values and all keys\""));
    if (t.toleration_seconds && t.effect != "NoExecute")
      causes.push_back(field_invalid(child(p, "effect"), go_quote(t.effect),
                                     "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (t.operator_.empty() || t.operator_ == "Equal") {
      auto errs = is_valid_label_value(t.value);
      if (!errs.empty()) {
        std::string joined;
        for (const auto& e : errs) joined += (joined.empty() ? "" : ";") + e;
        causes.push_back(field_invalid(child(p, "operator"), go_quote(t.value), joined));
      }
    } else if (t.operator_ == "Exists") {
      if (!t.value.empty())
        causes.push_back(field_invalid(child(p, "operator"), go_quote(t.value),
                                       "value must be empty when `operator` is 'Exists'"));
    } else {
      causes.push_back(
          field_not_supported(child(p, "operator"), go_quote(t.operator_), {"Equal", "Exists"}));
    }
    if (!t.effect.empty()) validate_taint_effect(t.effect, true, child(p, "effect"), causes);
  }
}

namespace {

void validate_node_selector_term(const NodeSelectorTerm& term, const std::string& path,
                                 Causes& causes) {
  for (size_t j = 0; j < term.match_expressions.size(); ++j) {
    const auto& r = term.match_expressions[j];
    std::string p = index(child(path, "matchExpressions"), j);
    const bool set_operator = validate_set_operator_values(r.operator_, r.values.size(), p, causes);
    if (set_operator) {
      // In, NotIn, Exists, DoesNotExist: checked as in a label selector.
    } else if (r.operator_ == "Gt" || r.operator_ == "Lt") {
      if (r.values.size() != 1)
        causes.push_back(field_required(
            child(p, "values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
    } else {
      causes.push_back(field_not_supported(child(p, "operator"), go_quote(r.operator_),
                                           {"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"}));
    }
    validate_qualified_name(r.key, child(p, "key"), causes);
  }
  for (size_t j = 0; j < term.match_fields.size(); ++j) {
    const auto& r = term.match_fields[j];
    std::string p = index(child(path, "matchFields"), j);
    if (r.operator_ == "In" || r.operator_ == "NotIn") {
      if (r.values.size() != 1)
        causes.push_back(field_required(child(p, "values"),
                                        "must be only one value when `operator` is 'In' or "
                                        "'NotIn' for node field selector"));
    } else {
      causes.push_back(field_invalid(child(p, "operator"), go_quote(r.operator_),
                                     "not a valid selector operator"));
    }
    if (r.key != "metadata.name") {
      causes.push_back(
          field_invalid(child(p, "key"), go_quote(r.key), "not a valid field selector key"));
    } else {
      for (size_t k = 0; k < r.values.size(); ++k)
        add_invalid(causes, index(child(p, "values"), k), go_quote(r.values[k]),
                    is_dns1123_subdomain(r.values[k]));
    }
  }
}

void validate_pod_affinity_term(const PodAffinityTerm& term, const std::string& path,
                                Causes& causes) {
  if (term.label_selector)
    validate_label_selector(*term.label_selector, child(path, "labelSelector"), causes);
  if (term.namespace_selector)
    validate_label_selector(*term.namespace_selector, child(path, "namespaceSelector"), causes);
  for (const auto& ns : term.namespaces)
    add_invalid(causes, child(path, "namespace"), go_quote(ns), is_dns1123_label(ns));
  if (term.topology_key.empty())
    causes.push_back(field_required(child(path, "topologyKey"), "can not be empty"));
  validate_qualified_name(term.topology_key, child(path, "topologyKey"), causes);
}

void validate_pod_affinity(const PodAffinity& a, const std::string& path, Causes& causes) {
  std::string req = child(path, "requiredDuringSchedulingIgnoredDuringExecution");
  for (size_t i = 0; i < a.required_during_scheduling_ignored_during_execution.size(); ++i)
    validate_pod_affinity_term(a.required_during_scheduling_ignored_during_execution[i],
                               index(req, i), causes);
  std::string pref = child(path, "preferredDuringSchedulingIgnoredDuringExecution");
  for (size_t i = 0; i < a.preferred_during_scheduling_ignored_during_execution.size(); ++i) {
    const auto& w = a.preferred_during_scheduling_ignored_during_execution[i];
    if (w.weight <= 0 || w.weight > 100)
      causes.push_back(field_invalid(child(index(pref, i), "weight"), std::to_string(w.weight),
                                     "must be in the range 1-100"));
    validate_pod_affinity_term(w.pod_affinity_term, child(index(pref, i), "podAffinityTerm"),
                               causes);
  }
}

}  // namespace

void validate_affinity(const Affinity& a, const std::string& path, Causes& causes) {
  if (a.node_affinity) {
    std::string np = child(path, "nodeAffinity");
    const auto& na = *a.node_affinity;
    if (na.required_during_scheduling_ignored_during_execution) {
      std::string terms =
          child(child(np, "requiredDuringSchedulingIgnoredDuringExecution"), "nodeSelectorTerms");
      const auto& sel = *na.required_during_scheduling_ignored_during_execution;
      if (sel.node_selector_terms.empty())
        causes.push_back(field_required(terms, "must have at least one node selector term"));
      for (size_t i = 0; i < sel.node_selector_terms.size(); ++i)
        validate_node_selector_term(sel.node_selector_terms[i], index(terms, i), causes);
    }
    std::string pref = child(np, "preferredDuringSchedulingIgnoredDuringExecution");
    for (size_t i = 0; i < na.preferred_during_scheduling_ignored_during_execution.size(); ++i) {
      const auto& t = na.preferred_during_scheduling_ignored_during_execution[i];
      if (t.weight <= 0 || t.weight > 100)
        causes.push_back(field_invalid(child(index(pref, i), "weight"), std::to_string(t.weight),
                                       "must be in the range 1-100"));
      validate_node_selector_term(t.preference, child(index(pref, i), "preference"), causes);
    }
  }
  if (a.pod_affinity) validate_pod_affinity(*a.pod_affinity, child(path, "podAffinity"), causes);
  if (a.pod_anti_affinity)
    validate_pod_affinity(*a.pod_anti_affinity, child(path, "podAntiAffinity"), causes);
}

void validate_topology_spread_constraints(const std::vector<TopologySpreadConstraint>& constraints,
                                          const std::string& path, Causes& causes) {
  for (size_t i = 0; i < constraints.size(); ++i) {
    const auto& c = constraints[i];
    std::string p = index(path, i);
    if (c.max_skew <= 0)
      causes.push_back(field_invalid(child(p, "maxSkew"), std::to_string(c.max_skew),
                                     "must be greater than zero"));
    if (c.topology_key.empty())
      causes.push_back(field_required(child(p, "topologyKey"), "can not be empty"));
    if (c.when_unsatisfiable != "DoNotSchedule" && c.when_unsatisfiable != "ScheduleAnyway")
      causes.push_back(field_not_supported(child(p, "whenUnsatisfiable"),
                                           go_quote(c.when_unsatisfiable),
                                           {"DoNotSchedule", "ScheduleAnyway"}));
    // {topologyKey, whenUnsatisfiable} identifies a constraint: a later repeat is reported.
    for (size_t j = i + 1; j < constraints.size(); ++j)
      if (constraints[j].topology_key == c.topology_key &&
          constraints[j].when_unsatisfiable == c.when_unsatisfiable) {
        causes.push_back(
            field_duplicate(child(p, "{topologyKey, whenUnsatisfiable}"),
                            go_quote("{" + c.topology_key + ", " + c.when_unsatisfiable + "}")));
        break;
      }
    if (c.min_domains) {
      std::string mp = child(p, "minDomains");
      if (*c.min_domains <= 0)
        causes.push_back(
            field_invalid(mp, std::to_string(*c.min_domains), "must be greater than zero"));
      if (c.when_unsatisfiable != "DoNotSchedule")
        causes.push_back(
            field_invalid(mp, std::to_string(*c.min_domains),
                          "can only use minDomains if whenUnsatisfiable=DoNotSchedule, "
                          "not " +
                              c.when_unsatisfiable));
    }
    for (auto [policy, name] : {std::pair{&c.node_affinity_policy, "nodeAffinityPolicy"},
                                std::pair{&c.node_taints_policy, "nodeTaintsPolicy"}})
      if (*policy && **policy != "Honor" && **policy != "Ignore")
        causes.push_back(
            field_not_supported(child(p, name), go_quote(**policy), {"Honor", "Ignore"}));
    std::string kp = child(p, "matchLabelKeys");
    if (!c.match_label_keys.empty() && !c.label_selector)
      causes.push_back(field_forbidden(kp, "must not be specified when labelSelector is not set"));
    for (size_t k = 0; k < c.match_label_keys.size(); ++k)
      validate_qualified_name(c.match_label_keys[k], index(kp, k), causes);
    if (c.label_selector)
      validate_label_selector(*c.label_selector, child(p, "labelSelector"), causes);
  }
}

}  // namespace kactor::api::validation::detail
