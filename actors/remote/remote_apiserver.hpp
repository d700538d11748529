// A local stand-in for an API server in another process: components are given its handle
// (actors::Context::apiserver) and cannot tell it from a local API server. It connects with
// CAF's middleman to the API server published at host:port, forwards every Request and
// WatchRequest (and acknowledgements, cancellations) there, and relays answers and watch
// events back in process. Only what crosses the connection is serialized (the protocol's
// msgpack wire format); the components' side stays in process.
//
// On connection loss it answers every request in flight 503 ServiceUnavailable, ends every
// watch (WatchEvents{closed}: informers watch again from their last resourceVersion), answers
// new requests 503 at once while it reconnects with exponential, capped, jittered back-off.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <caf/fwd.hpp>

#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor::remote {

struct RemoteApiServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  /// The first reconnect waits this long; each failed attempt doubles it, up to max_backoff.
  Duration initial_backoff = std::chrono::milliseconds(200);
  Duration max_backoff = std::chrono::seconds(5);
  /// Each delay is drawn uniformly from [1 - jitter, 1 + jitter] times the nominal one, so
  /// that many processes cut off at once do not reconnect in lockstep.
  double jitter = 0.2;
  /// Seed of the jitter (printed at start, so a run can be reproduced).
  uint64_t seed = 1;
  /// How long one connection attempt may take.
  Duration connect_timeout = std::chrono::seconds(5);
  /// A forwarded request unanswered this long is answered 504 (callers have their own,
  /// usually shorter, timeouts; this bounds what this actor keeps).
  Duration request_timeout = std::chrono::seconds(60);
  /// Connect through CAF's OpenSSL module (mutual TLS, the actor system's openssl.* settings)
  /// instead of the plaintext middleman.
  bool tls = false;
  /// When set, every new connection proves this process's identity before it is used
  /// (docs/multi-host.md "Security"): the API server's gate sends a nonce, this function turns
  /// the challenge (peer_challenge()) into a proof (certificates and signatures, opaque here),
  /// the gate checks it and binds this process's CAF node to the certificates' identities.
  std::function<api::Result<std::string>(const std::string& challenge)> prove;
};

/// The text a connecting process signs to prove its identity: binds the gate's `nonce` (fresh
/// per attempt: no replay) to both ends' CAF node ids as caf::to_string writes them (the proof
/// is good for this connection only: the gate attributes what arrives from `client_node` to it).
std::string peer_challenge(const std::string& nonce, const std::string& server_node,
                           const std::string& client_node);

/// The delay before reconnect attempt `attempt` (0-based) with `unit` drawn uniformly from
/// [0, 1): initial_backoff * 2^attempt, capped at max_backoff, times 1 ± jitter.
Duration reconnect_delay(const RemoteApiServerOptions& options, uint32_t attempt, double unit);

/// The Status of a request that could not reach the API server: 503 ServiceUnavailable
/// (retriable, as upstream's clients treat it).
api::Status unreachable(const std::string& endpoint, const std::string& why);

/// Spawns the stand-in; it starts connecting at once. Timers go through `clock`.
caf::actor spawn_remote_apiserver(caf::actor_system& system, Clock& clock,
                                  RemoteApiServerOptions options);

/// Waits (blocking the calling thread) until `remote` is connected, at most `deadline`.
bool wait_connected(caf::actor_system& system, const caf::actor& remote,
                    std::chrono::milliseconds deadline);

/// Parses "host:port" (a --server flag); BadRequest naming `flag` when it is not one. Port 0
/// ("any free port") only with `any_port` (an address to listen on).
api::Result<std::pair<std::string, uint16_t>> parse_endpoint(const std::string& text,
                                                             const std::string& flag,
                                                             bool any_port = false);

/// True for a loopback address (127.0.0.0/8, ::1, localhost): where plaintext is allowed.
bool is_loopback(const std::string& host);

}  // namespace kactor::remote
