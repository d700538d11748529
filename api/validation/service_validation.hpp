// Service and Endpoints validation and defaulting.
#pragma once

#include <vector>

#include "api/status.hpp"
#include "api/types/service.hpp"

namespace kactor::api {

/// Names are DNS-1035 labels. Ports required (unless headless or ExternalName), valid,
/// named when more than one, unique; type and sessionAffinity supported; clusterIPs valid;
/// on update the primary clusterIP may not change once set (the API server restores an
/// omitted clusterIP from the stored object before validating, as upstream).
void validate(const Service& svc, const Service* old, std::vector<StatusCause>& causes);

/// Subsets hold addresses (valid IPs, hostnames, node names) and valid, unique ports.
void validate(const Endpoints& ep, const Endpoints* old, std::vector<StatusCause>& causes);

}  // namespace kactor::api
