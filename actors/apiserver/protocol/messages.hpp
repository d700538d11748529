// CAF glue for the API server protocol: atoms and inspect() overloads. The wire
// format of every message is its msgpack encoding (wire.cpp), derived from the
// same descriptions as the store format. Include only where CAF is used.
#pragma once

#include <string>
#include <string_view>

#include <caf/all.hpp>

#include "actors/apiserver/protocol/protocol.hpp"

namespace kactor::apiserver {

// -- atoms (CAF 0.17: at most 10 characters) --
using watch_atom = caf::atom_constant<caf::atom("watch")>;
using ack_atom = caf::atom_constant<caf::atom("watch_ack")>;
using cancel_atom = caf::atom_constant<caf::atom("watch_stop")>;

// -- wire codec (wire.cpp) --
std::string wire_encode(const Request& x);
std::string wire_encode(const Response& x);
std::string wire_encode(const WatchRequest& x);
std::string wire_encode(const WatchEvents& x);
std::string wire_encode(const WatchEventsBatch& x);
bool wire_decode(std::string_view bytes, Request& x);
bool wire_decode(std::string_view bytes, Response& x);
bool wire_decode(std::string_view bytes, WatchRequest& x);
bool wire_decode(std::string_view bytes, WatchEvents& x);
bool wire_decode(std::string_view bytes, WatchEventsBatch& x);

namespace detail {
template <class Inspector, class T>
typename Inspector::result_type inspect_wire(Inspector& f, T& x, const char* name) {
  std::string bytes;
  if constexpr (Inspector::reads_state) bytes = wire_encode(x);
  auto load = caf::meta::load_callback([&]() -> caf::error {
    if (!wire_decode(bytes, x)) return caf::make_error(caf::sec::invalid_argument);
    return caf::none;
  });
  return f(caf::meta::type_name(name), bytes, load);
}
}  // namespace detail

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Request& x) {
  return detail::inspect_wire(f, x, "kactor.Request");
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Response& x) {
  return detail::inspect_wire(f, x, "kactor.Response");
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WatchRequest& x) {
  return detail::inspect_wire(f, x, "kactor.WatchRequest");
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WatchEvents& x) {
  return detail::inspect_wire(f, x, "kactor.WatchEvents");
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WatchEventsBatch& x) {
  return detail::inspect_wire(f, x, "kactor.WatchEventsBatch");
}

/// Registers the protocol's message types with an actor system configuration
/// (needed to send them between hosts).
void register_message_types(caf::actor_system_config& cfg);

}  // namespace kactor::apiserver
