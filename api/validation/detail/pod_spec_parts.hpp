// Internal: the parts of PodSpec validation, one file each (volume_validation.cpp,
// container_validation.cpp, affinity_validation.cpp, security_context_validation.cpp),
// assembled by validate_pod_spec (pod_spec_validation.cpp).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "api/types/pod.hpp"
#include "api/validation/common.hpp"

namespace kactor::api::validation::detail {

/// Validates the volumes and returns their names (for mounts and devices to refer to).
std::set<std::string> validate_volumes(const std::vector<Volume>& volumes, const std::string& path,
                                       Causes& causes);

/// A path inside a volume: relative, with no ".." element (upstream
/// validateLocalDescendingPath); the non-reserved form also refuses a leading "..".
void validate_local_descending_path(const std::string& p, const std::string& path, Causes& causes);
void validate_local_non_reserved_path(const std::string& p, const std::string& path,
                                      Causes& causes);

/// containers and initContainers of `spec` at `path` ("spec"): names, images, ports,
/// environment, mounts and devices (against `volumes`), probes, lifecycle hooks, resources
/// (claims against spec.resourceClaims), security contexts and restart policies.
void validate_containers(const PodSpec& spec, const std::set<std::string>& volumes,
                         const std::string& path, Causes& causes);

void validate_tolerations(const std::vector<Toleration>& tolerations, const std::string& path,
                          Causes& causes);
void validate_affinity(const Affinity& affinity, const std::string& path, Causes& causes);
void validate_topology_spread_constraints(const std::vector<TopologySpreadConstraint>& constraints,
                                          const std::string& path, Causes& causes);

void validate_pod_security_context(const PodSpec& spec, const std::string& path, Causes& causes);
void validate_security_context(const SecurityContext& sc, const std::string& path, Causes& causes);

}  // namespace kactor::api::validation::detail
