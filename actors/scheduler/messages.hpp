// The scheduler actor's messages. All are its own timers and wake-ups; others talk to it
// only through the API server (pods to schedule, nodes to place them on).
#pragma once

#include <caf/atom.hpp>

namespace kactor::scheduler {

/// Run the next scheduling cycle (sent to itself while the active queue is not empty).
using next_atom = caf::atom_constant<caf::atom("sch_next")>;
/// Move pods whose back-off expired to the active queue.
using backoff_tick_atom = caf::atom_constant<caf::atom("sch_btick")>;
/// Retry pods that have been unschedulable for too long.
using unsched_tick_atom = caf::atom_constant<caf::atom("sch_utick")>;

}  // namespace kactor::scheduler
