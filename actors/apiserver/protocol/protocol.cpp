#include "actors/apiserver/protocol/protocol.hpp"

namespace kactor::apiserver {

const char* to_string(Verb v) {
  switch (v) {
    case Verb::get: return "get";
    case Verb::list: return "list";
    case Verb::create: return "create";
    case Verb::update: return "update";
    case Verb::update_status: return "update_status";
    case Verb::patch: return "patch";
    case Verb::patch_status: return "patch_status";
    case Verb::remove: return "delete";
    case Verb::bind: return "bind";
    case Verb::finalize: return "finalize";
  }
  return "unknown";
}

const char* to_string(WatchEvent::Type t) {
  switch (t) {
    case WatchEvent::Type::added: return "ADDED";
    case WatchEvent::Type::modified: return "MODIFIED";
    case WatchEvent::Type::deleted: return "DELETED";
    case WatchEvent::Type::bookmark: return "BOOKMARK";
    case WatchEvent::Type::error: return "ERROR";
  }
  return "UNKNOWN";
}

}  // namespace kactor::apiserver
