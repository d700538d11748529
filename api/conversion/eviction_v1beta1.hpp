// policy/v1beta1 Eviction <-> policy/v1: the same fields (metadata, deleteOptions), so only
// the apiVersion changes. kubectl 1.20's drain may post a policy/v1beta1 Eviction.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "api/status.hpp"

namespace kactor::api::conversion {

Result<void> eviction_v1beta1_to_v1(nlohmann::json& doc);
void eviction_v1_to_v1beta1(nlohmann::json& doc);

}  // namespace kactor::api::conversion
