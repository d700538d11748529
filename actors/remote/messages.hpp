// CAF glue of the remote API server stand-in (remote_apiserver.hpp). Include only where CAF
// is used.
#pragma once

#include <caf/all.hpp>

namespace kactor::remote {

/// (remote_state_atom) -> bool: whether the stand-in is connected to the API server now.
using remote_state_atom = caf::atom_constant<caf::atom("rem_state")>;
/// (peer_hello_atom) -> std::string nonce: the gate's challenge to a new connection.
using peer_hello_atom = caf::atom_constant<caf::atom("peer_hello")>;
/// (peer_prove_atom, std::string proof) -> std::string identity: the connection's proof of
/// identity (docs/multi-host.md "Security"); answered with who it was accepted as, or an error.
using peer_prove_atom = caf::atom_constant<caf::atom("peer_prove")>;
/// Internal: the back-off before the next connection attempt is over.
using reconnect_atom = caf::atom_constant<caf::atom("reconnect")>;

}  // namespace kactor::remote
