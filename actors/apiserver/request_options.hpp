// Checks of a request's options that upstream's API server makes before it reads any object:
// body size, DeleteOptions and ListOptions. The Status each failure gets is upstream's
// (code, reason, message).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "actors/apiserver/protocol/protocol.hpp"
#include "api/codec/limits.hpp"
#include "api/status.hpp"

namespace kactor::apiserver {

/// The largest object the store keeps (etcd's default request limit): 1.5 MiB encoded.
inline constexpr size_t kMaxObjectBytes = 3 * 1024 * 1024 / 2;

/// 413 RequestEntityTooLarge: "Request entity too large: <detail>".
api::Status request_entity_too_large(const std::string& detail);

/// The first problem with `request`'s options, or nullopt:
///  - a patch body over api::limits::kMaxRequestBodyBytes (3 MiB): 413, before it is parsed;
///  - delete: propagationPolicy other than Foreground, Background or Orphan: 422 Invalid
///    (DeleteOptions.meta.k8s.io);
///  - list: resourceVersionMatch without a resourceVersion, with a continue token, other than
///    Exact or NotOlderThan, or Exact with resourceVersion "0": 422 Invalid
///    (ListOptions.meta.k8s.io), every problem named in one Status.
std::optional<api::Status> check_request_options(const Request& request);

}  // namespace kactor::apiserver
