// A failed request as an API Status: what CAF reports (timeout, a dead API server, a lost
// connection) turned into the Status a caller handles like any other.
#pragma once

#include <caf/fwd.hpp>

#include "api/status.hpp"

namespace kactor::client {

/// A request timeout is 504 Timeout; anything else (the API server is down or unreachable)
/// is 500 InternalError naming CAF's error.
api::Status to_status(const caf::error& e);

}  // namespace kactor::client
