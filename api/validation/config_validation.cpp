#include "api/validation/config_validation.hpp"

#include "api/util/base64.hpp"
#include "api/validation/names.hpp"
#include "api/validation/object_meta_validation.hpp"

namespace kactor::api {

using namespace validation;

namespace {

constexpr size_t kMaxSecretSize = 1024 * 1024;
constexpr std::string_view kImmutableWhenSet = "field is immutable when `immutable` is set";

/// Validates keys and base64 values of a []byte map; returns the decoded total size.
size_t validate_bytes_map(const std::map<std::string, std::string>& m, const std::string& path,
                          Causes& causes) {
  size_t total = 0;
  for (const auto& [k, v] : m) {
    add_invalid(causes, key(path, k), go_quote(k), is_config_map_key(k));
    auto bytes = base64_decode(v);
    if (!bytes)
      causes.push_back(field_invalid(key(path, k), go_quote(v), "illegal base64 data"));
    else
      total += bytes->size();
  }
  return total;
}

void require_key(const Secret& s, const std::string& k, Causes& causes) {
  if (!s.data.contains(k)) causes.push_back(field_required(key("data", k)));
}

}  // namespace

void validate(const Secret& s, const Secret* old, std::vector<StatusCause>& causes) {
  if (old) {
    validate_object_meta_update(s.metadata, old->metadata, "metadata", causes);
    validate_immutable(s.type != old->type, "type", go_quote(s.type), causes);
    if (old->immutable.value_or(false)) {
      if (!s.immutable.value_or(false))
        causes.push_back(field_forbidden("immutable", std::string(kImmutableWhenSet)));
      if (s.data != old->data)
        causes.push_back(field_forbidden("data", std::string(kImmutableWhenSet)));
    }
  } else {
    validate_object_meta(s.metadata, true, name_is_dns_subdomain, "metadata", causes);
  }
  size_t total = validate_bytes_map(s.data, "data", causes);
  if (total > kMaxSecretSize) causes.push_back(field_too_long("data", "", kMaxSecretSize));

  const auto& t = s.type;
  if (t == "kubernetes.io/service-account-token") {
    auto it = s.metadata.annotations.find("kubernetes.io/service-account.name");
    if (it == s.metadata.annotations.end() || it->second.empty())
      causes.push_back(field_required("metadata.annotations[kubernetes.io/service-account.name]"));
  } else if (t == "kubernetes.io/dockercfg") {
    require_key(s, ".dockercfg", causes);
  } else if (t == "kubernetes.io/dockerconfigjson") {
    require_key(s, ".dockerconfigjson", causes);
  } else if (t == "kubernetes.io/basic-auth") {
    if (!s.data.contains("username") && !s.data.contains("password")) {
      causes.push_back(field_required("data[username]"));
      causes.push_back(field_required("data[password]"));
    }
  } else if (t == "kubernetes.io/ssh-auth") {
    auto it = s.data.find("ssh-privatekey");
    if (it == s.data.end() || it->second.empty())
      causes.push_back(field_required("data[ssh-privatekey]"));
  } else if (t == "kubernetes.io/tls") {
    require_key(s, "tls.crt", causes);
    require_key(s, "tls.key", causes);
  }
}

void validate(const ConfigMap& cm, const ConfigMap* old, std::vector<StatusCause>& causes) {
  if (old) {
    validate_object_meta_update(cm.metadata, old->metadata, "metadata", causes);
    if (old->immutable.value_or(false)) {
      if (!cm.immutable.value_or(false))
        causes.push_back(field_forbidden("immutable", std::string(kImmutableWhenSet)));
      if (cm.data != old->data)
        causes.push_back(field_forbidden("data", std::string(kImmutableWhenSet)));
      if (cm.binary_data != old->binary_data)
        causes.push_back(field_forbidden("binaryData", std::string(kImmutableWhenSet)));
    }
  } else {
    validate_object_meta(cm.metadata, true, name_is_dns_subdomain, "metadata", causes);
  }
  size_t total = 0;
  for (const auto& [k, v] : cm.data) {
    add_invalid(causes, key("data", k), go_quote(k), is_config_map_key(k));
    if (cm.binary_data.contains(k))
      causes.push_back(
          field_invalid(key("data", k), go_quote(k), "duplicate of key present in binaryData"));
    total += v.size();
  }
  total += validate_bytes_map(cm.binary_data, "binaryData", causes);
  if (total > kMaxSecretSize) causes.push_back(field_too_long("", "", kMaxSecretSize));
}

void validate(const ServiceAccount& sa, const ServiceAccount* old,
              std::vector<StatusCause>& causes) {
  if (old)
    validate_object_meta_update(sa.metadata, old->metadata, "metadata", causes);
  else
    validate_object_meta(sa.metadata, true, name_is_dns_subdomain, "metadata", causes);
}

}  // namespace kactor::api
