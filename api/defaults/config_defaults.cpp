#include "api/defaults/config_defaults.hpp"

#include "api/util/base64.hpp"

namespace kactor::api {

void set_defaults(Secret& s) {
  if (s.type.empty()) s.type = "Opaque";
  for (const auto& [k, v] : s.string_data) s.data[k] = base64_encode(v);
  s.string_data.clear();
}

}  // namespace kactor::api
