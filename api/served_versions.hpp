// Versions a kind is served in besides the one it is stored in: today autoscaling/v1 of the
// HorizontalPodAutoscaler (stored as autoscaling/v2). They are converted at the HTTP edge as
// JSON documents; everything behind it (API server, store, controllers, informers) sees only
// the stored version. One list (served_versions.cpp), as the registry is for kinds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/object.hpp"

namespace kactor::api {

struct ServedVersion {
  /// The kind it belongs to (its TypeInfo: group, kind, stored version).
  const TypeInfo* type = nullptr;
  std::string version;  // "v1"
  /// A document of this version made one of the stored version (apiVersion included); a
  /// BadRequest when it cannot be.
  Result<void> (*to_stored)(nlohmann::json& doc) = nullptr;
  /// A document of the stored version made one of this version.
  void (*from_stored)(nlohmann::json& doc) = nullptr;

  /// "autoscaling/v1".
  std::string api_version() const {
    return type->group.empty() ? version : type->group + "/" + version;
  }
};

/// `type`'s other served versions (none for most kinds), after its stored one in preference.
std::vector<const ServedVersion*> other_versions(const TypeInfo& type);
/// `type` served in `version` when that is not its stored version, or nullptr.
const ServedVersion* other_version(const TypeInfo& type, std::string_view version);
/// The served version a document's apiVersion and kind name when it is not the stored one
/// (an autoscaling/v1 HorizontalPodAutoscaler), or nullptr: what a reader of manifests
/// converts with `to_stored` before decoding.
const ServedVersion* other_version_of(const nlohmann::json& doc);

}  // namespace kactor::api
