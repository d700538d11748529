#include "api/conversion/eviction_v1beta1.hpp"

#include <nlohmann/json.hpp>

namespace kactor::api::conversion {

Result<void> eviction_v1beta1_to_v1(nlohmann::json& doc) {
  doc["apiVersion"] = "policy/v1";
  return {};
}

void eviction_v1_to_v1beta1(nlohmann::json& doc) { doc["apiVersion"] = "policy/v1beta1"; }

}  // namespace kactor::api::conversion
