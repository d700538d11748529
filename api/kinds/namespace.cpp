// Namespace: type information, selectable fields.
#include "api/types/namespace.hpp"

#include "api/defaults/namespace_defaults.hpp"
#include "api/kinds/kind_impl.hpp"
#include "api/validation/namespace_validation.hpp"

namespace kactor::api {

std::optional<std::string> field_value(const Namespace& n, std::string_view field) {
  if (field == "status.phase") return n.status.phase;
  return std::nullopt;
}

const TypeInfo& Namespace::static_type() {
  static const TypeInfo info = make_type_info<Namespace>({
      .group = "",
      .version = "v1",
      .kind = "Namespace",
      .resource = "namespaces",
      .singular = "namespace",
      .namespaced = false,
      .short_names = {"ns"},
      .selectable_fields = {"status.phase"},
  });
  return info;
}

}  // namespace kactor::api
