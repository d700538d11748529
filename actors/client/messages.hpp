// The messages of the client layer's actors. Informers:
//   (subscribe_atom, caf::actor subscriber)    the subscriber gets InformerEvents: the current
//                                               content as `added` once synced, then changes
//   (unsubscribe_atom, caf::actor subscriber)
//   (relist_atom)                               internal: list again after an error
//   (rewatch_atom)                              internal: open the watch again from the last
//                                               resourceVersion seen (after a retriable failure)
#pragma once

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/client/informer.hpp"

namespace kactor::client {

using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
using unsubscribe_atom = caf::atom_constant<caf::atom("unsubscr")>;
using relist_atom = caf::atom_constant<caf::atom("relist")>;
using rewatch_atom = caf::atom_constant<caf::atom("rewatch")>;

}  // namespace kactor::client

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::client::InformerEvents)
