// policy/v1 Eviction: the body of pods/<name>/eviction (policy/v1beta1's has the same
// shape), with the meta/v1 DeleteOptions it carries. See docs/disruption.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/object.hpp"

namespace kactor::api {

/// meta/v1 Preconditions, as a DeleteOptions carries them.
struct Preconditions {
  std::optional<std::string> uid;
  std::optional<std::string> resource_version;
  bool operator==(const Preconditions&) const = default;
};
template <class V>
void describe(V& v, Preconditions& x) {
  v("uid", x.uid);
  v("resourceVersion", x.resource_version);
}

/// meta/v1 DeleteOptions as an Eviction carries them (`deleteOptions`). The HTTP API reads
/// the DeleteOptions of a DELETE as JSON on its own (actors/http/resource_handler.cpp); this
/// is the typed shape for the one kind that embeds them.
struct DeleteOptions {
  std::string kind;         // "DeleteOptions" when a client sets its TypeMeta
  std::string api_version;  // likewise
  std::optional<int64_t> grace_period_seconds;
  std::optional<Preconditions> preconditions;
  std::optional<bool> orphan_dependents;
  std::optional<std::string> propagation_policy;
  std::vector<std::string> dry_run;  // only "All"
  bool operator==(const DeleteOptions&) const = default;
};
template <class V>
void describe(V& v, DeleteOptions& x) {
  v("kind", x.kind);
  v("apiVersion", x.api_version);
  v("gracePeriodSeconds", x.grace_period_seconds);
  v("preconditions", x.preconditions);
  v("orphanDependents", x.orphan_dependents);
  v("propagationPolicy", x.propagation_policy);
  v("dryRun", x.dry_run);
}

/// A request to delete the pod it names, subject to its disruption budget. Never stored:
/// the API server answers it (actors/apiserver/core_eviction.cpp).
struct Eviction : ObjectBase<Eviction> {
  std::optional<DeleteOptions> delete_options;
  static const TypeInfo& static_type();
  bool operator==(const Eviction&) const = default;
};
template <class V>
void describe(V& v, Eviction& x) {
  v("metadata", x.metadata, keep_zero);
  v("deleteOptions", x.delete_options);
}

}  // namespace kactor::api
