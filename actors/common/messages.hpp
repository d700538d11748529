// The messages of the actors in actors/common. A supervisor (supervisor.hpp) handles:
//   (supervisor_child_atom) -> caf::actor   the component's current incarnation (invalid while
//                                           it waits to be started again)
//   (supervisor_start_atom, uint64_t)       internal: the back-off timer of a restart
// Every other message sent to a supervisor is forwarded to its component.
#pragma once

#include <caf/atom.hpp>

namespace kactor::actors {

using supervisor_child_atom = caf::atom_constant<caf::atom("sup_child")>;
using supervisor_start_atom = caf::atom_constant<caf::atom("sup_start")>;

}  // namespace kactor::actors
