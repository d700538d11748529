#include "api/served_versions.hpp"

#include <nlohmann/json.hpp>

#include "api/conversion/autoscaling_v1.hpp"
#include "api/conversion/eviction_v1beta1.hpp"
#include "api/types/autoscaling.hpp"
#include "api/types/eviction.hpp"

namespace kactor::api {

namespace {

const std::vector<ServedVersion>& all_other_versions() {
  static const std::vector<ServedVersion> versions = {
      {&HorizontalPodAutoscaler::static_type(), "v1", conversion::hpa_v1_to_v2, conversion::hpa_v2_to_v1},
      // Bodies of pods/<name>/eviction only: Eviction is no registered kind, so discovery
      // and OpenAPI do not list it.
      {&Eviction::static_type(), "v1beta1", conversion::eviction_v1beta1_to_v1,
       conversion::eviction_v1_to_v1beta1},
  };
  return versions;
}

}  // namespace

std::vector<const ServedVersion*> other_versions(const TypeInfo& type) {
  std::vector<const ServedVersion*> out;
  for (const auto& v : all_other_versions())
    if (v.type == &type) out.push_back(&v);
  return out;
}

const ServedVersion* other_version(const TypeInfo& type, std::string_view version) {
  for (const auto& v : all_other_versions())
    if (v.type == &type && v.version == version) return &v;
  return nullptr;
}

const ServedVersion* other_version_of(const nlohmann::json& doc) {
  if (!doc.is_object()) return nullptr;
  auto api_version = doc.find("apiVersion");
  auto kind = doc.find("kind");
  if (api_version == doc.end() || kind == doc.end() || !api_version->is_string() ||
      !kind->is_string())
    return nullptr;
  for (const auto& v : all_other_versions())
    if (v.type->kind == kind->get_ref<const std::string&>() &&
        v.api_version() == api_version->get_ref<const std::string&>())
      return &v;
  return nullptr;
}

}  // namespace kactor::api
