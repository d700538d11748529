// Defaulting as the API server applies it on create and update (upstream SetDefaults_*).
#pragma once

#include "api/types/namespace.hpp"

namespace kactor::api {

/// status.phase Active; the "kubernetes" finalizer is added to a namespace that is not
/// being deleted (upstream adds it on create; once /finalize removed it the namespace is
/// already terminating, so it is never re-added).
void set_defaults(Namespace& ns);

}  // namespace kactor::api
