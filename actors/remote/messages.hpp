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
/// Internal (the stand-in): the requests queued so far leave in one RequestBatch.
using send_batch_atom = caf::atom_constant<caf::atom("send_batch")>;
/// Internal (the stand-in): (batch_timeout_atom, ids) the requests of a batch unanswered
/// after request_timeout.
using batch_timeout_atom = caf::atom_constant<caf::atom("batch_tout")>;
/// Internal (the gate): (batch_item_atom, node, Request) one request of a RequestBatch from
/// the process `node`, handled as the gate handles a single request from it.
using batch_item_atom = caf::atom_constant<caf::atom("batch_item")>;

}  // namespace kactor::remote
