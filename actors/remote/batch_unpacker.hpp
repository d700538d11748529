// The API server's door for role processes without TLS (`kactor apiserver --insecure`).
// A remote process's stand-in sends its requests in RequestBatches (batch.hpp); the unpacker
// sends each item to the API server as a single request and returns the answers in
// ResponseBatches, so every item is handled, ordered and failed exactly as a single request:
// one that reaches an API server while it restarts is answered 503 at once, as a single
// request is. Everything else (single requests, watches, acks, cancels) is delegated, so the
// API server answers and streams watch events to the original sender directly.
// With TLS the gate (tls/gate.hpp) does this and the checks of each connection's identity.
#pragma once

#include <caf/fwd.hpp>

namespace kactor::remote {

/// Spawns the unpacker in front of `apiserver` (the API server's supervisor in
/// `kactor apiserver`, which stands for it across its restarts). It ends when `apiserver`
/// does.
caf::actor spawn_batch_unpacker(caf::actor_system& system, caf::actor apiserver);

}  // namespace kactor::remote
