// Namespace validation and defaulting.
#pragma once

#include <vector>

#include "api/status.hpp"
#include "api/types/namespace.hpp"

namespace kactor::api {

/// Names are DNS-1123 labels; spec.finalizers are valid finalizer names.
void validate(const Namespace& ns, const Namespace* old, std::vector<StatusCause>& causes);

}  // namespace kactor::api
