// The resource scoring formulas (k8s-semantics §1) and the per-resource view of a node
// that NodeResourcesFit and BalancedAllocation score, as pure functions so tests can
// check them on upstream's numbers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actors/scheduler/framework.hpp"
#include "actors/scheduler/node_info.hpp"

namespace kactor::scheduler::plugins {

/// A resource a scoring strategy looks at, with its weight (upstream ResourceSpec).
struct ResourceSpec {
  std::string name;
  int64_t weight = 1;
  bool operator==(const ResourceSpec&) const = default;
};

/// One point of RequestedToCapacityRatio's shape: utilization 0..100 -> score 0..10.
struct UtilizationShapePoint {
  int64_t utilization = 0;
  int64_t score = 0;
  bool operator==(const UtilizationShapePoint&) const = default;
};

/// cpu and memory, weight 1 each: the default of every strategy.
std::vector<ResourceSpec> default_resource_specs();

/// cpu, memory and ephemeral-storage are the native resources; every other name
/// (extended resources, hugepages) is scored only when the pod asks for it.
bool is_scalar_resource(const std::string& name);
/// A name with a domain outside kubernetes.io (example.com/gpu): what ignoredResources
/// and ignoredResourceGroups apply to.
bool is_extended_resource(const std::string& name);

/// One resource of a node as a strategy sees it: what would be requested with the pod
/// there, what the node has, and the resource's weight.
struct ResourceUse {
  int64_t requested = 0;
  int64_t allocatable = 0;
  int64_t weight = 1;
};

/// Upstream calculateResourceAllocatableRequest for one resource: cpu and memory from
/// the non-zero requests unless `use_requested`; a scalar resource the pod does not ask
/// for, or the node does not have, comes out with allocatable 0 (skipped by scorers).
/// (Inline: scorers call it for every feasible node and resource.)
[[gnu::always_inline]] inline ResourceUse resource_use(const NodeInfo& node, const PodResources& pod,
                                const ResourceSpec& spec, bool use_requested) {
  const Resources& pod_req = use_requested ? pod.request : pod.non_zero;
  const Resources& node_req = use_requested ? node.requested : node.non_zero_requested;
  ResourceUse u;
  u.weight = spec.weight;
  const std::string_view name = spec.name;
  if (name == std::string_view("cpu")) {
    u.allocatable = node.allocatable.milli_cpu;
    u.requested = node_req.milli_cpu + pod_req.milli_cpu;
    return u;
  }
  if (name == std::string_view("memory")) {
    u.allocatable = node.allocatable.memory;
    u.requested = node_req.memory + pod_req.memory;
    return u;
  }
  auto scalar_of = [&](const Resources& r) {
    auto it = r.scalar.find(spec.name);
    return it == r.scalar.end() ? int64_t{0} : it->second;
  };
  int64_t want = scalar_of(pod.request);
  // Upstream bypasses a scalar resource the pod does not ask for, so nodes are not
  // ranked by extended resources the pod does not use.
  if (want == 0 && is_scalar_resource(spec.name)) return u;
  u.allocatable = scalar_of(node.allocatable);
  u.requested = scalar_of(node.requested) + want;
  return u;
}

/// LeastAllocated for one resource: (alloc - req) * 100 / alloc; 0 if alloc is 0 or req > alloc.
inline int64_t least_allocated(int64_t requested, int64_t allocatable) {
  if (allocatable == 0 || requested > allocatable) return 0;
  return (allocatable - requested) * kMaxNodeScore / allocatable;
}
/// MostAllocated for one resource: req * 100 / alloc with req capped at alloc; 0 if alloc is 0.
inline int64_t most_allocated(int64_t requested, int64_t allocatable) {
  if (allocatable == 0) return 0;
  return std::min(requested, allocatable) * kMaxNodeScore / allocatable;
}
/// The node scores of the strategies over `specs` (weighted integer averages over the
/// resources with allocatable > 0; 0 if none), from non-zero requests. No allocation:
/// they run for every feasible node.
int64_t least_allocated_score(const NodeInfo& node, const PodResources& pod,
                              const std::vector<ResourceSpec>& specs);
int64_t most_allocated_score(const NodeInfo& node, const PodResources& pod,
                             const std::vector<ResourceSpec>& specs);

/// Upstream BuildBrokenLinearFunction: linear interpolation between the points (integer
/// arithmetic), the first score below the first point and the last above the last.
/// `shape` must be sorted by utilization and not empty.
int64_t broken_linear(const std::vector<UtilizationShapePoint>& shape, int64_t utilization);
/// RequestedToCapacityRatio: each resource's utilization (req * 100 / alloc, 100 when
/// req > alloc) through `scaled_shape` (scores already scaled to 0..100, see
/// scale_shape); the weighted average over resources that score above 0, rounded.
int64_t requested_to_capacity_ratio_score(const NodeInfo& node, const PodResources& pod,
                                          const std::vector<ResourceSpec>& specs,
                                          const std::vector<UtilizationShapePoint>& scaled_shape);
/// A configured shape (scores 0..10) with scores scaled to 0..100.
std::vector<UtilizationShapePoint> scale_shape(std::vector<UtilizationShapePoint> shape);

/// BalancedAllocation: trunc((1 - std) * 100) over the fractions req/alloc (capped at 1);
/// resources with alloc 0 are skipped.
int64_t balanced_allocation(const std::vector<std::pair<int64_t, int64_t>>& req_alloc);
/// The same over `specs` from real requests (BalancedAllocation's node score).
int64_t balanced_allocation_score(const NodeInfo& node, const PodResources& pod,
                                  const std::vector<ResourceSpec>& specs);

/// What the node would request for scoring if the pod went there (non-zero requests).
Resources requested_with_pod(const NodeInfo& node, const PodResources& pod);

}  // namespace kactor::scheduler::plugins
