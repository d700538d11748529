// Defaulting as the API server applies it on create and update (upstream SetDefaults_*).
#pragma once

#include "api/types/node.hpp"

namespace kactor::api {

/// allocatable defaults to capacity; podCIDR and podCIDRs mirror each other.
void set_defaults(Node& node);

}  // namespace kactor::api
