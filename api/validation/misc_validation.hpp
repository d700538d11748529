// Lease, Event and Binding validation.
#pragma once

#include <vector>

#include "api/status.hpp"
#include "api/types/binding.hpp"
#include "api/types/coordination.hpp"
#include "api/types/event.hpp"

namespace kactor::api {

/// leaseDurationSeconds > 0, leaseTransitions >= 0.
void validate(const Lease& lease, const Lease* old, std::vector<StatusCause>& causes);

/// The involved object's namespace matches the event's; new-style events (eventTime set)
/// need reportingComponent, reportingInstance, action and reason, within length limits.
void validate(const Event& event, const Event* old, std::vector<StatusCause>& causes);

/// target.kind Node (or empty) and target.name required.
void validate(const Binding& binding, const Binding* old, std::vector<StatusCause>& causes);

}  // namespace kactor::api
