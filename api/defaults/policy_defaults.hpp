// Defaulting as the API server applies it on create and update (upstream SetDefaults_*).
#pragma once

#include "api/types/policy.hpp"

namespace kactor::api {

/// For Container items: default <- max, defaultRequest <- default, else <- min.
void set_defaults(LimitRange& lr);
/// preemptionPolicy PreemptLowerPriority.
void set_defaults(PriorityClass& pc);

}  // namespace kactor::api
