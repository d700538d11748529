// Secret, ConfigMap and ServiceAccount validation and defaulting.
#pragma once

#include <vector>

#include "api/status.hpp"
#include "api/types/config.hpp"

namespace kactor::api {

/// Keys are config keys, data valid base64 and at most 1 MiB in total, the keys a type
/// requires present; type immutable, and data too once `immutable` is set.
void validate(const Secret& s, const Secret* old, std::vector<StatusCause>& causes);

/// Keys are config keys, not repeated between data and binaryData, binaryData valid base64,
/// at most 1 MiB in total; data immutable once `immutable` is set.
void validate(const ConfigMap& cm, const ConfigMap* old, std::vector<StatusCause>& causes);

void validate(const ServiceAccount& sa, const ServiceAccount* old,
              std::vector<StatusCause>& causes);

}  // namespace kactor::api
