// Defaulting as the API server applies it on create and update (upstream SetDefaults_*).
#pragma once

#include <string_view>

#include "api/types/namespace.hpp"

namespace kactor::api {

/// The label every namespace carries with its own name as value (upstream
/// v1.LabelMetadataName), so label selectors can select namespaces by name.
inline constexpr std::string_view kNamespaceNameLabel = "kubernetes.io/metadata.name";

/// The kubernetes.io/metadata.name label set to the name (once the name is known; always
/// overwritten, so it cannot be removed or changed); status.phase Active; the
/// "kubernetes" finalizer is added to a namespace that is not being deleted (upstream adds
/// it on create; once /finalize removed it the namespace is already terminating, so it is
/// never re-added).
void set_defaults(Namespace& ns);

}  // namespace kactor::api
