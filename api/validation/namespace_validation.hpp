// Namespace validation and defaulting.
#pragma once

#include <vector>

#include "api/status.hpp"
#include "api/types/namespace.hpp"

namespace kactor::api {

/// status.phase Active; the "kubernetes" finalizer is added to a namespace that is not
/// being deleted (upstream adds it on create; once /finalize removed it the namespace is
/// already terminating, so it is never re-added).
void set_defaults(Namespace& ns);
/// Names are DNS-1123 labels; spec.finalizers are valid finalizer names.
void validate(const Namespace& ns, const Namespace* old, std::vector<StatusCause>& causes);

}  // namespace kactor::api
