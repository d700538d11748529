// ObjectMeta validation shared by every kind (upstream apimachinery's
// ValidateObjectMeta / ValidateObjectMetaUpdate plus core's finalizer rule).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/validation/common.hpp"

namespace kactor::api::validation {

/// A kind's name rule. `prefix` is true for metadata.generateName, whose trailing
/// dash is masked first (upstream maskTrailingDash).
using NameFn = std::vector<std::string> (*)(std::string_view name, bool prefix);

std::vector<std::string> name_is_dns_subdomain(std::string_view name, bool prefix);
std::vector<std::string> name_is_dns_label(std::string_view name, bool prefix);
std::vector<std::string> name_is_dns1035_label(std::string_view name, bool prefix);
/// Accepts every name (kinds whose names upstream does not check, e.g. Events).
std::vector<std::string> name_is_anything(std::string_view name, bool prefix);

/// Create-time checks: name / generateName, namespace required for namespaced kinds and
/// forbidden for cluster-scoped ones, generation, labels, annotations, ownerReferences,
/// finalizers. `path` is "metadata" for objects, e.g. "spec.template.metadata" otherwise.
void validate_object_meta(const ObjectMeta& meta, bool namespaced, NameFn name_fn,
                          const std::string& path, Causes& causes);

/// Update-time checks: name, namespace, uid and creationTimestamp immutable, generation not
/// decremented, no new finalizers while deleting; labels, annotations, ownerReferences and
/// finalizers of the new object valid. The API server copies an empty uid and the old
/// creationTimestamp into the new object before validating (upstream BeforeUpdate).
void validate_object_meta_update(const ObjectMeta& meta, const ObjectMeta& old,
                                 const std::string& path, Causes& causes);

/// Label keys are qualified names and values valid label values; errors at `path` itself.
void validate_labels(const std::map<std::string, std::string>& labels, const std::string& path,
                     Causes& causes);
/// Annotation keys are qualified names (case-insensitive); total size at most 256 KiB.
void validate_annotations(const std::map<std::string, std::string>& annotations,
                          const std::string& path, Causes& causes);
/// A finalizer name: a qualified name, and either standard or domain-prefixed.
void validate_finalizer_name(std::string_view name, const std::string& path, Causes& causes);
/// metav1.LabelSelector syntax (matchLabels and matchExpressions).
void validate_label_selector(const LabelSelector& selector, const std::string& path,
                             Causes& causes);
/// True when `selector` (valid syntax assumed) matches `labels`; an empty selector matches all.
bool label_selector_matches(const LabelSelector& selector,
                            const std::map<std::string, std::string>& labels);

}  // namespace kactor::api::validation
