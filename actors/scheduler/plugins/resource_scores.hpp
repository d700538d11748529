// The resource scoring formulas (k8s-semantics §1), as pure functions so tests can
// check them on hand-computed numbers.
#pragma once

#include <cstdint>
#include <vector>

#include "actors/scheduler/node_info.hpp"

namespace kactor::scheduler::plugins {

/// LeastAllocated for one resource: (alloc - req) * 100 / alloc; 0 if alloc is 0 or req > alloc.
int64_t least_allocated(int64_t requested, int64_t allocatable);
/// BalancedAllocation: trunc((1 - std) * 100) over the fractions req/alloc (capped at 1);
/// resources with alloc 0 are skipped.
int64_t balanced_allocation(const std::vector<std::pair<int64_t, int64_t>>& req_alloc);

/// What the node would request for scoring if the pod went there (non-zero requests).
Resources requested_with_pod(const NodeInfo& node, const PodResources& pod);

}  // namespace kactor::scheduler::plugins
