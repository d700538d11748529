#include "store/error.hpp"

namespace kactor::store {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::already_exists:
      return "already_exists";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::expired:
      return "expired";
    case ErrorCode::corruption:
      return "corruption";
    case ErrorCode::io:
      return "io";
    case ErrorCode::invalid:
      return "invalid";
  }
  return "unknown";
}

}  // namespace kactor::store
