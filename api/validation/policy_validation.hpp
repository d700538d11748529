// ResourceQuota, LimitRange and PriorityClass validation and defaulting.
#pragma once

#include <vector>

#include "api/status.hpp"
#include "api/types/policy.hpp"

namespace kactor::api {

/// spec.hard and status.hard/used: known quota resource names, non-negative (integral for
/// object counts); scopes supported, applicable to the tracked resources and not conflicting;
/// scopes immutable on update.
void validate(const ResourceQuota& rq, const ResourceQuota* old, std::vector<StatusCause>& causes);

/// Types standard (Container, Pod, PersistentVolumeClaim) and unique; resource names valid;
/// quantities non-negative; min <= defaultRequest <= default <= max; ratios >= 1.
void validate(const LimitRange& lr, const LimitRange* old, std::vector<StatusCause>& causes);

/// Names with the "system-" prefix are reserved; value <= 1000000000 for user classes; value
/// and preemptionPolicy immutable.
void validate(const PriorityClass& pc, const PriorityClass* old, std::vector<StatusCause>& causes);

}  // namespace kactor::api
