// SelfSubjectAccessReview and SelfSubjectRulesReview (authorization.k8s.io/v1): a user asks
// whether it may do something (`kubectl auth can-i`), or what it may do in a namespace
// (`kubectl auth can-i --list`). Created and answered at once, never stored, so they are not in
// the registry of kinds; their TypeInfo serves the codecs and validation.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/object.hpp"
#include "api/types/meta.hpp"

namespace kactor::api {

/// A field selector limiting the request (alpha upstream): kept, not evaluated.
struct FieldSelectorRequirement {
  std::string key;
  std::string operator_;  // In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
  bool operator==(const FieldSelectorRequirement&) const = default;
};
template <class V>
void describe(V& v, FieldSelectorRequirement& x) {
  v("key", x.key, keep_zero);
  v("operator", x.operator_, keep_zero);
  v("values", x.values);
}

struct FieldSelectorAttributes {
  std::string raw_selector;
  std::vector<FieldSelectorRequirement> requirements;
  bool operator==(const FieldSelectorAttributes&) const = default;
};
template <class V>
void describe(V& v, FieldSelectorAttributes& x) {
  v("rawSelector", x.raw_selector);
  v("requirements", x.requirements);
}

struct LabelSelectorAttributes {
  std::string raw_selector;
  std::vector<LabelSelectorRequirement> requirements;
  bool operator==(const LabelSelectorAttributes&) const = default;
};
template <class V>
void describe(V& v, LabelSelectorAttributes& x) {
  v("rawSelector", x.raw_selector);
  v("requirements", x.requirements);
}

/// An API request: verb on a resource ("*" means all), in a namespace ("" means all).
struct ResourceAttributes {
  std::string namespace_;
  std::string verb;
  std::string group;
  std::string version;
  std::string resource;
  std::string subresource;
  std::string name;
  std::optional<FieldSelectorAttributes> field_selector;
  std::optional<LabelSelectorAttributes> label_selector;
  bool operator==(const ResourceAttributes&) const = default;
};
template <class V>
void describe(V& v, ResourceAttributes& x) {
  v("namespace", x.namespace_);
  v("verb", x.verb);
  v("group", x.group);
  v("version", x.version);
  v("resource", x.resource);
  v("subresource", x.subresource);
  v("name", x.name);
  v("fieldSelector", x.field_selector);
  v("labelSelector", x.label_selector);
}

/// A request to a path outside the API (/healthz, /metrics) with an HTTP verb in lower case.
struct NonResourceAttributes {
  std::string path;
  std::string verb;
  bool operator==(const NonResourceAttributes&) const = default;
};
template <class V>
void describe(V& v, NonResourceAttributes& x) {
  v("path", x.path);
  v("verb", x.verb);
}

/// Exactly one of the two is set.
struct SelfSubjectAccessReviewSpec {
  std::optional<ResourceAttributes> resource_attributes;
  std::optional<NonResourceAttributes> non_resource_attributes;
  bool operator==(const SelfSubjectAccessReviewSpec&) const = default;
};
template <class V>
void describe(V& v, SelfSubjectAccessReviewSpec& x) {
  v("resourceAttributes", x.resource_attributes);
  v("nonResourceAttributes", x.non_resource_attributes);
}

struct SubjectAccessReviewStatus {
  bool allowed = false;
  /// True only when an authorizer refused explicitly (neither allowed nor denied: no opinion).
  bool denied = false;
  std::string reason;
  std::string evaluation_error;
  bool operator==(const SubjectAccessReviewStatus&) const = default;
};
template <class V>
void describe(V& v, SubjectAccessReviewStatus& x) {
  v("allowed", x.allowed, keep_zero);
  v("denied", x.denied);
  v("reason", x.reason);
  v("evaluationError", x.evaluation_error);
}

struct SelfSubjectAccessReview : ObjectBase<SelfSubjectAccessReview> {
  SelfSubjectAccessReviewSpec spec;
  SubjectAccessReviewStatus status;
  static const TypeInfo& static_type();
  bool operator==(const SelfSubjectAccessReview&) const = default;
};
template <class V>
void describe(V& v, SelfSubjectAccessReview& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

/// Upstream's ValidateSelfSubjectAccessReview: exactly one of resourceAttributes and
/// nonResourceAttributes, and no metadata.
void validate(const SelfSubjectAccessReview& r, const SelfSubjectAccessReview* old,
              std::vector<StatusCause>& causes);

struct SelfSubjectRulesReviewSpec {
  std::string namespace_;
  bool operator==(const SelfSubjectRulesReviewSpec&) const = default;
};
template <class V>
void describe(V& v, SelfSubjectRulesReviewSpec& x) {
  v("namespace", x.namespace_);
}

/// What a user may do to resources: every verb listed on every resource of every group listed.
struct ResourceRule {
  std::vector<std::string> verbs;
  std::vector<std::string> api_groups;
  std::vector<std::string> resources;
  std::vector<std::string> resource_names;
  bool operator==(const ResourceRule&) const = default;
};
template <class V>
void describe(V& v, ResourceRule& x) {
  v("verbs", x.verbs, keep_zero);
  v("apiGroups", x.api_groups);
  v("resources", x.resources);
  v("resourceNames", x.resource_names);
}

struct NonResourceRule {
  std::vector<std::string> verbs;
  std::vector<std::string> non_resource_urls;
  bool operator==(const NonResourceRule&) const = default;
};
template <class V>
void describe(V& v, NonResourceRule& x) {
  v("verbs", x.verbs, keep_zero);
  v("nonResourceURLs", x.non_resource_urls);
}

struct SubjectRulesReviewStatus {
  std::vector<ResourceRule> resource_rules;
  std::vector<NonResourceRule> non_resource_rules;
  /// True when the authorizer could not list every rule (webhooks cannot).
  bool incomplete = false;
  std::string evaluation_error;
  bool operator==(const SubjectRulesReviewStatus&) const = default;
};
template <class V>
void describe(V& v, SubjectRulesReviewStatus& x) {
  v("resourceRules", x.resource_rules, keep_zero);
  v("nonResourceRules", x.non_resource_rules, keep_zero);
  v("incomplete", x.incomplete, keep_zero);
  v("evaluationError", x.evaluation_error);
}

struct SelfSubjectRulesReview : ObjectBase<SelfSubjectRulesReview> {
  SelfSubjectRulesReviewSpec spec;
  SubjectRulesReviewStatus status;
  static const TypeInfo& static_type();
  bool operator==(const SelfSubjectRulesReview&) const = default;
};
template <class V>
void describe(V& v, SelfSubjectRulesReview& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

}  // namespace kactor::api
