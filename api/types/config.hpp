// Configuration kinds: Secret, ConfigMap and ServiceAccount (v1).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/object.hpp"

namespace kactor::api {

/// Secret data stays base64 text, exactly as on the wire; stringData is folded
/// into data (encoded) by defaulting, as the API server does on write.
struct Secret : ObjectBase<Secret> {
  std::optional<bool> immutable;
  std::map<std::string, std::string> data;         // key -> base64
  std::map<std::string, std::string> string_data;  // write-only, key -> plain text
  std::string type;                                // Opaque (default), kubernetes.io/tls, ...
  static const TypeInfo& static_type();
  bool operator==(const Secret&) const = default;
};
template <class V>
void describe(V& v, Secret& x) {
  v("metadata", x.metadata, keep_zero);
  v("immutable", x.immutable);
  v("data", x.data);
  v("stringData", x.string_data);
  v("type", x.type);
}

/// Selectable fields: type.
std::optional<std::string> field_value(const Secret& s, std::string_view field);

struct ConfigMap : ObjectBase<ConfigMap> {
  std::optional<bool> immutable;
  std::map<std::string, std::string> data;
  std::map<std::string, std::string> binary_data;  // key -> base64
  static const TypeInfo& static_type();
  bool operator==(const ConfigMap&) const = default;
};
template <class V>
void describe(V& v, ConfigMap& x) {
  v("metadata", x.metadata, keep_zero);
  v("immutable", x.immutable);
  v("data", x.data);
  v("binaryData", x.binary_data);
}

struct ServiceAccount : ObjectBase<ServiceAccount> {
  std::vector<ObjectReference> secrets;
  std::vector<LocalObjectReference> image_pull_secrets;
  std::optional<bool> automount_service_account_token;
  static const TypeInfo& static_type();
  bool operator==(const ServiceAccount&) const = default;
};
template <class V>
void describe(V& v, ServiceAccount& x) {
  v("metadata", x.metadata, keep_zero);
  v("secrets", x.secrets);
  v("imagePullSecrets", x.image_pull_secrets);
  v("automountServiceAccountToken", x.automount_service_account_token);
}

}  // namespace kactor::api
