// The controller actors' messages. All are internal to the shared ControllerLoop (work
// wake-ups and finished syncs); controllers react to informer events (client/messages.hpp).
#pragma once

#include <caf/atom.hpp>

namespace kactor::actors::controllers {

using ctrl_work_atom = caf::atom_constant<caf::atom("ctrl_work")>;
using ctrl_pump_atom = caf::atom_constant<caf::atom("ctrl_pump")>;

}  // namespace kactor::actors::controllers
