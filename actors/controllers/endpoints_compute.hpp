// The Endpoints a Service should have, computed from its pods (pure, unit-testable).
#pragma once

#include <memory>
#include <vector>

#include "actors/controllers/pod_ranking.hpp"
#include "api/types/service.hpp"

namespace kactor::actors::controllers {

/// Subsets for `svc` over `pods` (already selected by the Service's selector), as upstream's
/// endpoints controller: ready pods in addresses, others with an IP in notReadyAddresses;
/// terminal, IP-less and (unless publishNotReadyAddresses) terminating pods left out; named
/// target ports resolved per pod; pods grouped into subsets by their port set. Sorted, so
/// equal inputs give equal output.
std::vector<api::EndpointSubset> compute_subsets(const api::Service& svc,
                                                 const std::vector<PodPtr>& pods);

/// The Endpoints labels: the Service's, plus service.kubernetes.io/headless for clusterIP None.
std::map<std::string, std::string> endpoints_labels(const api::Service& svc);

}  // namespace kactor::actors::controllers
