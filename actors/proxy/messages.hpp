// What a proxy answers. Requests:
//   (proxy_connect_atom, Connection) → ConnectReply
//   (proxy_route_atom, std::string pod_ip) → std::string node ("" if no node's podCIDR holds it)
//   (proxy_await_atom, std::string service_ip, int32_t port, std::string protocol, uint64_t n)
//       → bool true, once that service port has exactly n ready endpoints (for tests and
//       start-up ordering; the reply is held until then).
#pragma once

#include <optional>
#include <string>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/proxy/service_table.hpp"

namespace kactor::proxy {

using proxy_connect_atom = caf::atom_constant<caf::atom("pxconnect")>;
using proxy_route_atom = caf::atom_constant<caf::atom("pxroute")>;
using proxy_await_atom = caf::atom_constant<caf::atom("pxawait")>;

/// A backend (pod IP:port, and the node holding that pod if known), or why there is none.
struct ConnectReply {
  std::optional<Backend> backend;
  std::string node;  // from the pod routing view; empty if unknown
  std::optional<ConnectError> error;
};

}  // namespace kactor::proxy

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::proxy::Connection)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::proxy::ConnectReply)
