#include "api/types/volume.hpp"

#include <type_traits>

namespace kactor::api {
namespace {

/// Collects the names of the set source fields while visiting a Volume's description.
struct SetSources {
  std::vector<std::string_view> names;
  template <class T>
  void operator()(const char* name, T& field, uint32_t = omit_empty) {
    if constexpr (std::is_same_v<T, RawJson>) {
      if (!field.empty()) names.push_back(name);
    } else if constexpr (requires { field.has_value(); }) {
      if (field.has_value()) names.push_back(name);
    }
  }
};

}  // namespace

std::vector<std::string_view> volume_sources(const Volume& v) {
  SetSources visitor;
  describe(visitor, const_cast<Volume&>(v));  // the visitor only reads
  return std::move(visitor.names);
}

}  // namespace kactor::api
