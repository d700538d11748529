// ObjectMeta and the other metav1 structs every kind embeds.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/describe.hpp"
#include "api/types/values.hpp"

namespace kactor::api {

struct OwnerReference {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  std::optional<bool> controller;
  std::optional<bool> block_owner_deletion;
  bool operator==(const OwnerReference&) const = default;
};
template <class V>
void describe(V& v, OwnerReference& x) {
  v("apiVersion", x.api_version, keep_zero);
  v("kind", x.kind, keep_zero);
  v("name", x.name, keep_zero);
  v("uid", x.uid, keep_zero);
  v("controller", x.controller);
  v("blockOwnerDeletion", x.block_owner_deletion);
}

struct ObjectMeta {
  std::string name;
  std::string generate_name;
  std::string namespace_;
  std::string uid;
  std::string resource_version;
  int64_t generation = 0;
  Time creation_timestamp;
  std::optional<Time> deletion_timestamp;
  std::optional<int64_t> deletion_grace_period_seconds;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::vector<OwnerReference> owner_references;
  std::vector<std::string> finalizers;
  bool operator==(const ObjectMeta&) const = default;

  /// The controller owner reference, if any (controller: true).
  const OwnerReference* controller_ref() const;
};
template <class V>
void describe(V& v, ObjectMeta& x) {
  v("name", x.name);
  v("generateName", x.generate_name);
  v("namespace", x.namespace_);
  v("uid", x.uid);
  v("resourceVersion", x.resource_version);
  v("generation", x.generation);
  v("creationTimestamp", x.creation_timestamp, keep_zero);
  v("deletionTimestamp", x.deletion_timestamp);
  v("deletionGracePeriodSeconds", x.deletion_grace_period_seconds);
  v("labels", x.labels);
  v("annotations", x.annotations);
  v("ownerReferences", x.owner_references);
  v("finalizers", x.finalizers);
}

/// metav1.LabelSelectorRequirement.
struct LabelSelectorRequirement {
  std::string key;
  std::string operator_;  // In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
  bool operator==(const LabelSelectorRequirement&) const = default;
};
template <class V>
void describe(V& v, LabelSelectorRequirement& x) {
  v("key", x.key, keep_zero);
  v("operator", x.operator_, keep_zero);
  v("values", x.values);
}

/// metav1.LabelSelector (matchLabels AND matchExpressions).
struct LabelSelector {
  std::map<std::string, std::string> match_labels;
  std::vector<LabelSelectorRequirement> match_expressions;
  bool operator==(const LabelSelector&) const = default;
};
template <class V>
void describe(V& v, LabelSelector& x) {
  v("matchLabels", x.match_labels);
  v("matchExpressions", x.match_expressions);
}

/// A reference to another object, as Events and Bindings carry.
struct ObjectReference {
  std::string kind;
  std::string namespace_;
  std::string name;
  std::string uid;
  std::string api_version;
  std::string resource_version;
  std::string field_path;
  bool operator==(const ObjectReference&) const = default;
};
template <class V>
void describe(V& v, ObjectReference& x) {
  v("kind", x.kind);
  v("namespace", x.namespace_);
  v("name", x.name);
  v("uid", x.uid);
  v("apiVersion", x.api_version);
  v("resourceVersion", x.resource_version);
  v("fieldPath", x.field_path);
}

struct LocalObjectReference {
  std::string name;
  bool operator==(const LocalObjectReference&) const = default;
};
template <class V>
void describe(V& v, LocalObjectReference& x) {
  v("name", x.name);
}

}  // namespace kactor::api
