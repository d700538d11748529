// The API server actor's own messages, beyond the protocol every client speaks
// (actors/apiserver/protocol/messages.hpp):
//   (compact_atom, int64_t keep_events) -> bool   compacts the event log now (tests, tools)
// The rest are internal: timers (tick, compact, expire) and the flush of staged writes.
#pragma once

#include <caf/atom.hpp>

namespace kactor::apiserver {

using flush_atom = caf::atom_constant<caf::atom("flush")>;
using compact_atom = caf::atom_constant<caf::atom("compact")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
/// Delete the Events older than the event TTL (a timer).
using expire_atom = caf::atom_constant<caf::atom("expire")>;

}  // namespace kactor::apiserver
