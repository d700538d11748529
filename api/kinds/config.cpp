// Secret, ConfigMap and ServiceAccount: type information, selectable fields.
#include "api/types/config.hpp"

#include "api/defaults/config_defaults.hpp"
#include "api/kinds/kind_impl.hpp"
#include "api/validation/config_validation.hpp"

namespace kactor::api {

std::optional<std::string> field_value(const Secret& s, std::string_view field) {
  if (field == "type") return s.type;
  return std::nullopt;
}

const TypeInfo& Secret::static_type() {
  static const TypeInfo info = make_type_info<Secret>({
      .group = "",
      .version = "v1",
      .kind = "Secret",
      .resource = "secrets",
      .singular = "secret",
      .namespaced = true,
      .selectable_fields = {"type"},
  });
  return info;
}

const TypeInfo& ConfigMap::static_type() {
  static const TypeInfo info = make_type_info<ConfigMap>({
      .group = "",
      .version = "v1",
      .kind = "ConfigMap",
      .resource = "configmaps",
      .singular = "configmap",
      .namespaced = true,
      .short_names = {"cm"},
  }, NoDefaults{});
  return info;
}

const TypeInfo& ServiceAccount::static_type() {
  static const TypeInfo info = make_type_info<ServiceAccount>({
      .group = "",
      .version = "v1",
      .kind = "ServiceAccount",
      .resource = "serviceaccounts",
      .singular = "serviceaccount",
      .namespaced = true,
      .short_names = {"sa"},
  }, NoDefaults{});
  return info;
}

}  // namespace kactor::api
