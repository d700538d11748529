#include "api/validation/policy_validation.hpp"

#include <fmt/format.h>

#include <set>

#include "api/validation/names.hpp"
#include "api/validation/object_meta_validation.hpp"
#include "api/validation/resource_validation.hpp"

namespace kactor::api {

using namespace validation;

// -- ResourceQuota ---------------------------------------------------------------------

namespace {

bool is_standard_scope(std::string_view s) {
  return s == "Terminating" || s == "NotTerminating" || s == "BestEffort" || s == "NotBestEffort" ||
         s == "PriorityClass" || s == "CrossNamespacePodAffinity";
}

/// The resources a pod-tracking scope may limit (upstream IsResourceQuotaScopeValidForResource).
bool scope_valid_for_resource(std::string_view scope, std::string_view resource) {
  bool pods = resource == "pods" || resource == "count/pods";
  if (scope == "BestEffort" || scope == "CrossNamespacePodAffinity") return pods;
  bool compute = resource == "cpu" || resource == "memory" || resource == "ephemeral-storage" ||
                 resource.starts_with("requests.") || resource.starts_with("limits.") ||
                 resource.starts_with("hugepages-");
  return pods || compute;
}

std::string go_scopes(const std::vector<std::string>& scopes) {
  return go_strings(scopes);
}

void validate_quota_list(const ResourceList& list, const std::string& path, Causes& causes) {
  for (const auto& [name, q] : list) {
    std::string p = key(path, name);
    validate_quota_resource_name(name, p, causes);
    validate_resource_quantity(name, q, p, causes);
  }
}

bool has_conflicting_scopes(const std::set<std::string>& scopes) {
  return (scopes.contains("BestEffort") && scopes.contains("NotBestEffort")) ||
         (scopes.contains("Terminating") && scopes.contains("NotTerminating"));
}

void validate_scopes(const ResourceQuotaSpec& spec, Causes& causes) {
  if (spec.scopes.empty()) return;
  std::set<std::string> seen;
  for (const auto& scope : spec.scopes) {
    if (!is_standard_scope(scope))
      causes.push_back(field_invalid("spec.scopes", go_scopes(spec.scopes), "unsupported scope"));
    for (const auto& [name, q] : spec.hard)
      if (is_standard_quota_resource(name) && !scope_valid_for_resource(scope, name))
        causes.push_back(field_invalid("spec.scopes", go_scopes(spec.scopes),
                                       "unsupported scope applied to resource"));
    seen.insert(scope);
  }
  if (has_conflicting_scopes(seen))
    causes.push_back(field_invalid("spec.scopes", go_scopes(spec.scopes), "conflicting scopes"));
}

void validate_scope_selector(const ResourceQuotaSpec& spec, Causes& causes) {
  if (!spec.scope_selector) return;
  const std::string path = "spec.scopeSelector.matchExpressions";
  std::set<std::string> seen;
  for (const auto& r : spec.scope_selector->match_expressions) {
    if (!is_standard_scope(r.scope_name))
      causes.push_back(
          field_invalid(path + ".scopeName", go_quote(r.scope_name), "unsupported scope"));
    for (const auto& [name, q] : spec.hard)
      if (is_standard_quota_resource(name) && !scope_valid_for_resource(r.scope_name, name))
        causes.push_back(field_invalid(path, "core.ScopeSelector{...}",
                                       "unsupported scope applied to resource"));
    if (r.scope_name != "PriorityClass" && is_standard_scope(r.scope_name) &&
        r.operator_ != "Exists")
      causes.push_back(field_invalid(
          path + ".operator", go_quote(r.operator_),
          "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, "
          "ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, "
          "ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"));
    if (r.operator_ == "In" || r.operator_ == "NotIn") {
      if (r.values.empty())
        causes.push_back(field_required(path + ".values",
                                        "must be at least one value when `operator` is 'In' or "
                                        "'NotIn' for scope selector"));
    } else if (r.operator_ == "Exists" || r.operator_ == "DoesNotExist") {
      if (!r.values.empty())
        causes.push_back(field_invalid(path + ".values", go_strings(r.values),
                                       "must be no value when `operator` is 'Exist' or "
                                       "'DoesNotExist' for scope selector"));
    } else {
      causes.push_back(
          field_invalid(path + ".operator", go_quote(r.operator_), "not a valid selector operator"));
    }
    seen.insert(r.scope_name);
  }
  if (has_conflicting_scopes(seen))
    causes.push_back(field_invalid(path, "core.ScopeSelector{...}", "conflicting scopes"));
}

}  // namespace

void validate(const ResourceQuota& rq, const ResourceQuota* old, std::vector<StatusCause>& causes) {
  if (old)
    validate_object_meta_update(rq.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(rq.metadata, true, name_is_dns_subdomain, "metadata", causes);
  validate_quota_list(rq.spec.hard, "spec.hard", causes);
  validate_scopes(rq.spec, causes);
  validate_scope_selector(rq.spec, causes);
  validate_quota_list(rq.status.hard, "status.hard", causes);
  validate_quota_list(rq.status.used, "status.used", causes);
  if (old) {
    std::set<std::string> a(rq.spec.scopes.begin(), rq.spec.scopes.end());
    std::set<std::string> b(old->spec.scopes.begin(), old->spec.scopes.end());
    validate_immutable(a != b, "spec.scopes", go_scopes(rq.spec.scopes), causes);
  }
}

// -- LimitRange ------------------------------------------------------------------------

namespace {

void validate_limit_type(const std::string& type, const std::string& path, Causes& causes) {
  auto errs = is_qualified_name(type);
  if (!errs.empty()) {
    add_invalid(causes, path, go_quote(type), errs);
    return;
  }
  if (type.find('/') == std::string::npos && type != "Pod" && type != "Container" &&
      type != "PersistentVolumeClaim")
    causes.push_back(
        field_invalid(path, go_quote(type), "must be a standard limit type or fully qualified"));
}

void collect(const LimitRangeItem& item, const ResourceList& list, const std::string& path,
             std::set<std::string>& keys, Causes& causes) {
  for (const auto& [k, q] : list) {
    std::string p = key(path, k);
    if (item.type == "Pod" || item.type == "Container")
      validate_container_resource_name(k, p, causes);
    else
      validate_resource_name(k, p, causes);
    if (q.sign() < 0)
      causes.push_back(field_invalid(p, go_quote(q.to_string()), std::string(kIsNegative)));
    keys.insert(k);
  }
}

const Quantity* find(const ResourceList& l, const std::string& k) {
  auto it = l.find(k);
  return it == l.end() ? nullptr : &it->second;
}

}  // namespace

void validate(const LimitRange& lr, const LimitRange* old, std::vector<StatusCause>& causes) {
  if (old)
    validate_object_meta_update(lr.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(lr.metadata, true, name_is_dns_subdomain, "metadata", causes);
  std::set<std::string> types;
  for (size_t i = 0; i < lr.spec.limits.size(); ++i) {
    const auto& item = lr.spec.limits[i];
    std::string p = index("spec.limits", i);
    validate_limit_type(item.type, child(p, "type"), causes);
    if (!types.insert(item.type).second)
      causes.push_back(field_duplicate(child(p, "type"), go_quote(item.type)));
    std::set<std::string> keys;
    collect(item, item.max, child(p, "max"), keys, causes);
    collect(item, item.min, child(p, "min"), keys, causes);
    if (item.type == "Pod") {
      if (!item.default_.empty())
        causes.push_back(
            field_forbidden(child(p, "default"), "may not be specified when `type` is 'Pod'"));
      if (!item.default_request.empty())
        causes.push_back(field_forbidden(child(p, "defaultRequest"),
                                         "may not be specified when `type` is 'Pod'"));
    } else {
      collect(item, item.default_, child(p, "default"), keys, causes);
      collect(item, item.default_request, child(p, "defaultRequest"), keys, causes);
    }
    if (item.type == "PersistentVolumeClaim" && !item.min.contains("storage") &&
        !item.max.contains("storage"))
      causes.push_back(field_required(child(p, "limits"),
                                      "either minimum or maximum storage value is required, but "
                                      "neither was provided"));
    collect(item, item.max_limit_request_ratio, child(p, "maxLimitRequestRatio"), keys, causes);

    for (const auto& k : keys) {
      const Quantity* min = find(item.min, k);
      const Quantity* max = find(item.max, k);
      const Quantity* def = find(item.default_, k);
      const Quantity* req = find(item.default_request, k);
      const Quantity* ratio = find(item.max_limit_request_ratio, k);
      auto s = [](const Quantity* q) { return q->to_string(); };
      auto invalid = [&](const char* field, const Quantity* v, std::string msg) {
        causes.push_back(field_invalid(key(child(p, field), k), go_quote(s(v)), msg));
      };
      if (min && max && *min > *max)
        invalid("min", min,
                fmt::format("min value {} is greater than max value {}", s(min), s(max)));
      if (req && min && *min > *req)
        invalid(
            "defaultRequest", req,
            fmt::format("min value {} is greater than default request value {}", s(min), s(req)));
      if (req && max && *req > *max)
        invalid(
            "defaultRequest", req,
            fmt::format("default request value {} is greater than max value {}", s(req), s(max)));
      if (req && def && *req > *def)
        invalid("defaultRequest", req,
                fmt::format("default request value {} is greater than default limit value {}",
                            s(req), s(def)));
      if (def && min && *min > *def)
        invalid("default", min,
                fmt::format("min value {} is greater than default value {}", s(min), s(def)));
      if (def && max && *def > *max)
        invalid("default", max,
                fmt::format("default value {} is greater than max value {}", s(def), s(max)));
      if (ratio && *ratio < Quantity::from_value(1, Quantity::Format::DecimalSI))
        invalid("maxLimitRequestRatio", ratio, fmt::format("ratio {} is less than 1", s(ratio)));
      if (ratio && min && max && min->sign() > 0) {
        double limit = max->as_approximate_double() / min->as_approximate_double();
        if (ratio->as_approximate_double() > limit)
          invalid("maxLimitRequestRatio", ratio,
                  fmt::format("ratio {} is greater than max/min = {:f}", s(ratio), limit));
      }
      if (!is_overcommit_allowed(k) && def && req && *def != *req)
        invalid("defaultRequest", req,
                fmt::format("default value {} must equal to defaultRequest value {} in {}", s(def),
                            s(req), k));
    }
  }
}

// -- PriorityClass ---------------------------------------------------------------------

namespace {

constexpr int32_t kHighestUserDefinablePriority = 1000000000;

/// The built-in system classes: name -> value (both are not global defaults).
std::optional<int32_t> system_priority_value(std::string_view name) {
  if (name == "system-cluster-critical") return 2000000000;
  if (name == "system-node-critical") return 2000001000;
  return std::nullopt;
}

}  // namespace

void validate(const PriorityClass& pc, const PriorityClass* old, std::vector<StatusCause>& causes) {
  if (old) {
    validate_object_meta_update(pc.metadata, old->metadata, "metadata", causes);
    if (pc.value != old->value)
      causes.push_back(field_forbidden("value", "may not be changed in an update."));
    validate_immutable(pc.preemption_policy != old->preemption_policy, "preemptionPolicy",
                       pc.preemption_policy ? go_quote(*pc.preemption_policy) : "null", causes);
    return;
  }
  validate_object_meta(pc.metadata, false, name_is_dns_subdomain, "metadata", causes);
  if (pc.metadata.name.starts_with("system-")) {
    std::string err;
    auto known = system_priority_value(pc.metadata.name);
    if (!known)
      err = pc.metadata.name + " is not a known system priority class";
    else if (*known != pc.value)
      err = fmt::format("value of {} PriorityClass must be {}", pc.metadata.name, *known);
    else if (pc.global_default)
      err = fmt::format("globalDefault of {} PriorityClass must be false", pc.metadata.name);
    if (!err.empty())
      causes.push_back(field_forbidden("metadata.name",
                                       "priority class names with 'system-' prefix are reserved "
                                       "for system use only. error: " +
                                           err));
  } else if (pc.value > kHighestUserDefinablePriority) {
    causes.push_back(field_forbidden("value", fmt::format("maximum allowed value of a user defined "
                                                          "priority is {}",
                                                          kHighestUserDefinablePriority)));
  }
  if (pc.preemption_policy) {
    const auto& p = *pc.preemption_policy;
    if (p.empty())
      causes.push_back(field_required("preemptionPolicy"));
    else if (p != "PreemptLowerPriority" && p != "Never")
      causes.push_back(
          field_not_supported("preemptionPolicy", go_quote(p), {"PreemptLowerPriority", "Never"}));
  }
}

}  // namespace kactor::api
