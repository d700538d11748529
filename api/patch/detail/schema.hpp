// Where strategic merge patch merges lists instead of replacing them: a small schema of the
// `patchStrategy` / `patchMergeKey` struct tags of k8s.io/api, by kind and path.
#pragma once

#include <string_view>

namespace kactor::api::patch::schema {

/// How a list field is patched. Maps always merge recursively, scalars are always replaced.
enum class ListStrategy {
  replace,  // no patchStrategy tag (or "replace"): the patch's list replaces the list whole
  merge,    // patchStrategy:"merge": keyed by merge_key, or a set when merge_key is empty
};

/// Patch metadata of one field of a schema type.
struct FieldMeta {
  ListStrategy strategy = ListStrategy::replace;
  /// The patchMergeKey of a list of objects; empty for a primitive list merged as a set.
  std::string_view merge_key;
  /// Schema type of the field's value (object) or of its elements (list); empty when nothing
  /// below this field has a strategy of its own.
  std::string_view type;
};

/// The schema type of a whole object of `kind`. Kinds without their own entry get a type that
/// only knows `metadata` (finalizers, ownerReferences).
std::string_view root_type(std::string_view kind);

/// Patch metadata of `field` inside a value of schema type `type` (replace, no type, if the
/// schema has no entry: exactly what upstream does for fields without struct tags).
FieldMeta lookup(std::string_view type, std::string_view field);

}  // namespace kactor::api::patch::schema
