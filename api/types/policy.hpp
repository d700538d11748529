// Namespace policy kinds: ResourceQuota and LimitRange (v1), and PriorityClass
// (scheduling.k8s.io/v1, cluster-scoped).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/object.hpp"
#include "api/quantity/quantity.hpp"

namespace kactor::api {

// -- ResourceQuota -------------------------------------------------------------------

struct ScopedResourceSelectorRequirement {
  std::string
      scope_name;  // Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass, ...
  std::string operator_;  // In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
  bool operator==(const ScopedResourceSelectorRequirement&) const = default;
};
template <class V>
void describe(V& v, ScopedResourceSelectorRequirement& x) {
  v("scopeName", x.scope_name, keep_zero);
  v("operator", x.operator_, keep_zero);
  v("values", x.values);
}

struct ScopeSelector {
  std::vector<ScopedResourceSelectorRequirement> match_expressions;
  bool operator==(const ScopeSelector&) const = default;
};
template <class V>
void describe(V& v, ScopeSelector& x) {
  v("matchExpressions", x.match_expressions);
}

struct ResourceQuotaSpec {
  ResourceList hard;
  std::vector<std::string> scopes;
  std::optional<ScopeSelector> scope_selector;
  bool operator==(const ResourceQuotaSpec&) const = default;
};
template <class V>
void describe(V& v, ResourceQuotaSpec& x) {
  v("hard", x.hard);
  v("scopes", x.scopes);
  v("scopeSelector", x.scope_selector);
}

struct ResourceQuotaStatus {
  ResourceList hard;
  ResourceList used;
  bool operator==(const ResourceQuotaStatus&) const = default;
};
template <class V>
void describe(V& v, ResourceQuotaStatus& x) {
  v("hard", x.hard);
  v("used", x.used);
}

struct ResourceQuota : ObjectBase<ResourceQuota> {
  ResourceQuotaSpec spec;
  ResourceQuotaStatus status;
  static const TypeInfo& static_type();
  bool operator==(const ResourceQuota&) const = default;
};
template <class V>
void describe(V& v, ResourceQuota& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

// -- LimitRange ----------------------------------------------------------------------

struct LimitRangeItem {
  std::string type;  // Container, Pod, PersistentVolumeClaim
  ResourceList max;
  ResourceList min;
  ResourceList default_;
  ResourceList default_request;
  ResourceList max_limit_request_ratio;
  bool operator==(const LimitRangeItem&) const = default;
};
template <class V>
void describe(V& v, LimitRangeItem& x) {
  v("type", x.type, keep_zero);
  v("max", x.max);
  v("min", x.min);
  v("default", x.default_);
  v("defaultRequest", x.default_request);
  v("maxLimitRequestRatio", x.max_limit_request_ratio);
}

struct LimitRangeSpec {
  std::vector<LimitRangeItem> limits;
  bool operator==(const LimitRangeSpec&) const = default;
};
template <class V>
void describe(V& v, LimitRangeSpec& x) {
  v("limits", x.limits, keep_zero);
}

struct LimitRange : ObjectBase<LimitRange> {
  LimitRangeSpec spec;
  static const TypeInfo& static_type();
  bool operator==(const LimitRange&) const = default;
};
template <class V>
void describe(V& v, LimitRange& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
}

// -- PriorityClass -------------------------------------------------------------------

/// No spec: the class's fields sit at the top level, as upstream.
struct PriorityClass : ObjectBase<PriorityClass> {
  int32_t value = 0;  // at most 1000000000 for user classes; immutable
  bool global_default = false;
  std::string description;
  std::optional<std::string> preemption_policy;  // PreemptLowerPriority (default), Never
  static const TypeInfo& static_type();
  bool operator==(const PriorityClass&) const = default;
};
template <class V>
void describe(V& v, PriorityClass& x) {
  v("metadata", x.metadata, keep_zero);
  v("value", x.value, keep_zero);
  v("globalDefault", x.global_default);
  v("description", x.description);
  v("preemptionPolicy", x.preemption_policy);
}

}  // namespace kactor::api
