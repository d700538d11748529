// Defaulting as the API server applies it on create and update (upstream SetDefaults_*).
#pragma once

#include "api/types/config.hpp"

namespace kactor::api {

/// type Opaque; stringData is encoded into data (overriding equal keys) and cleared, as the
/// API server converts it on write.
void set_defaults(Secret& s);

}  // namespace kactor::api
