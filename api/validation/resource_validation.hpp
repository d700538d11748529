// Resource names and quantities (cpu, memory, quota names, extended resources),
// validated as upstream's core validation does.
#pragma once

#include <string>
#include <string_view>

#include "api/quantity/quantity.hpp"
#include "api/types/pod.hpp"
#include "api/validation/common.hpp"

namespace kactor::api::validation {

/// cpu, memory, ephemeral-storage, hugepages-*: what containers may request.
bool is_standard_container_resource(std::string_view name);
/// Names without a domain or in kubernetes.io/ are native.
bool is_native_resource(std::string_view name);
/// Native and not hugepages: requests may be below limits.
bool is_overcommit_allowed(std::string_view name);
/// Names valid in ResourceQuota spec.hard without a domain.
bool is_standard_quota_resource(std::string_view name);

/// A qualified resource name (upstream validateResourceName).
void validate_resource_name(std::string_view name, const std::string& path, Causes& causes);
/// A container resource name: standard, or a valid extended resource name.
void validate_container_resource_name(std::string_view name, const std::string& path,
                                      Causes& causes);
/// A quota resource name: standard, or domain-prefixed (count/pods, example.com/gpu).
void validate_quota_resource_name(std::string_view name, const std::string& path, Causes& causes);
/// Non-negative; integral for integer resources (object counts, extended resources).
void validate_resource_quantity(std::string_view name, const Quantity& q, const std::string& path,
                                Causes& causes);
/// "must be greater than zero".
void validate_positive_quantity(const Quantity& q, const std::string& path, Causes& causes);
/// Limits and requests of a container: names, values, and request <= limit
/// ("must be less than or equal to cpu limit of 1").
void validate_resource_requirements(const ResourceRequirements& r, const std::string& path,
                                    Causes& causes);

}  // namespace kactor::api::validation
