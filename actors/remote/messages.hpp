// CAF glue of the remote API server stand-in (remote_apiserver.hpp). Include only where CAF
// is used.
#pragma once

#include <caf/all.hpp>

namespace kactor::remote {

/// (remote_state_atom) -> bool: whether the stand-in is connected to the API server now.
using remote_state_atom = caf::atom_constant<caf::atom("rem_state")>;
/// Internal: the back-off before the next connection attempt is over.
using reconnect_atom = caf::atom_constant<caf::atom("reconnect")>;

}  // namespace kactor::remote
