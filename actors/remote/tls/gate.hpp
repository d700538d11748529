// The API server's door for role processes over mutual TLS (docs/multi-host.md "Security").
// `kactor apiserver` publishes the gate, not the API server, through CAF's OpenSSL module.
// CAF verifies the peer's certificate against the cluster CA but cannot say whose it was, so
// the gate asks every connecting process (by its CAF node id) to prove its identity over the
// verified channel (peer_hello / peer_prove, proof.hpp) and records node id → PeerIdentity
// until the prover's proxy goes down (the connection closed). Then:
//  - requests, watches and the rest from an unproven node are refused (401);
//  - from a node identity, writes pass NodeRestriction (node_restriction.hpp) first;
//  - from a component (controller manager, scheduler), everything passes as in process.
// Allowed messages are delegated, so the API server answers (and streams watch events to) the
// original sender directly: the gate adds no hop to replies. The exception is a node's update
// or patch of its own Node, which the gate checks against the stored Node and writes itself
// under the version it checked (node_restriction.hpp, admit_node_write).
#pragma once

#include <caf/fwd.hpp>

#include "actors/http/openssl_ptr.hpp"
#include "api/time/clock.hpp"

namespace kactor::remote::tls {

struct GateOptions {
  /// The cluster CA every proven certificate must chain to.
  http::X509Ptr ca;
  /// Certificate validity is checked at clock.now() (the wall clock in `kactor apiserver`).
  Clock* clock = nullptr;
};

/// Spawns the gate in front of `apiserver`.
caf::actor spawn_gate(caf::actor_system& system, caf::actor apiserver, GateOptions options);

}  // namespace kactor::remote::tls
