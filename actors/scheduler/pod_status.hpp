// The status change the scheduler writes on a pod it cannot place.
#pragma once

#include <memory>
#include <string>

#include "api/time/clock.hpp"
#include "api/types/pod.hpp"

namespace kactor::scheduler {

/// `pod` with condition PodScheduled=False, reason Unschedulable and `message`, or
/// nullptr if the pod already says exactly that (no write needed). The transition
/// time moves only when the condition's status changes.
std::shared_ptr<api::Pod> with_unschedulable_condition(const api::Pod& pod,
                                                       const std::string& message, TimePoint now);

}  // namespace kactor::scheduler
