#include "actors/client/status.hpp"

#include <caf/error.hpp>
#include <caf/sec.hpp>

namespace kactor::client {

api::Status to_status(const caf::error& e) {
  if (e == caf::sec::request_timeout) return api::timeout("the API server did not answer in time");
  return api::internal_error(caf::to_string(e));
}

}  // namespace kactor::client
