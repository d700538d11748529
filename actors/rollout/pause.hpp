// Letting time pass on a Clock from a plain thread: the rolling updater waits between steps and
// polls with it, so under a VirtualClock the test that advances time decides when it wakes.
#pragma once

#include <functional>

#include "api/time/clock.hpp"

namespace kactor::rollout {

/// Blocks the calling thread for `d` of `clock`'s time (a timer on the clock, a condition
/// variable here). Never call it from a thread that drives a VirtualClock: nothing would wake it.
void sleep_on(Clock& clock, Duration d);

/// How an update lets time pass; sleep_on(clock, ·) unless a caller wants to observe it.
using Sleep = std::function<void(Duration)>;

}  // namespace kactor::rollout
