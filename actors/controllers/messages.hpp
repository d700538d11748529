// The controller actors' messages. All are internal to the shared ControllerLoop (work
// wake-ups, finished syncs and timers); controllers react to informer events (client/messages.hpp).
#pragma once

#include <caf/atom.hpp>

namespace kactor::actors::controllers {

using ctrl_work_atom = caf::atom_constant<caf::atom("ctrl_work")>;
using ctrl_pump_atom = caf::atom_constant<caf::atom("ctrl_pump")>;
/// (ctrl_timer_atom, id): a timer set with ControllerLoop::after has come due.
using ctrl_timer_atom = caf::atom_constant<caf::atom("ctrl_timer")>;
/// (ctrl_ping_atom) → ctrl_ping_atom: answered once the messages before it are handled (a
/// barrier for tests that drive a cluster on a VirtualClock).
using ctrl_ping_atom = caf::atom_constant<caf::atom("ctrl_ping")>;

}  // namespace kactor::actors::controllers
