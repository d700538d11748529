#include "store/types.hpp"

namespace kactor::store {

std::string_view to_string(EventType type) {
  switch (type) {
    case EventType::created:
      return "created";
    case EventType::modified:
      return "modified";
    case EventType::deleted:
      return "deleted";
  }
  return "unknown";
}

}  // namespace kactor::store
