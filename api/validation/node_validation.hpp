// Node validation and defaulting.
#pragma once

#include <vector>

#include "api/status.hpp"
#include "api/types/node.hpp"

namespace kactor::api {

/// Taints (key, value, effect, unique by key and effect), podCIDRs, status resources; on
/// update podCIDRs and providerID may only go from unset to set.
void validate(const Node& node, const Node* old, std::vector<StatusCause>& causes);

}  // namespace kactor::api
