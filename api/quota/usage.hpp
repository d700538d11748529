// What an object charges against a ResourceQuota (upstream's quota "evaluators"): pods,
// services and persistent volume claims by their contents, every other kind by count.
// Pure value code, shared by the ResourceQuota admission plugin (which charges a write
// before it is stored) and the quota controller (which recomputes a namespace's usage), so
// the two can never disagree.
#pragma once

#include <string>

#include "api/object.hpp"
#include "api/quota/resource_lists.hpp"
#include "api/time/clock.hpp"
#include "api/types/pod.hpp"
#include "api/types/policy.hpp"

namespace kactor::api::quota {

/// `count/<resource>` for core kinds, `count/<resource>.<group>` for the others.
std::string object_count_name(const TypeInfo& type);

/// The resources of `hard` that objects of `type` charge (upstream MatchingResources):
/// for every kind its `count/...` name, plus pods: pods, cpu, memory, ephemeral-storage,
/// requests.* and limits.* of those, hugepages-*, requests.<extended resource>; services:
/// services, services.loadbalancers, services.nodeports; claims: persistentvolumeclaims,
/// requests.storage and their per-storage-class forms; secrets, configmaps,
/// replicationcontrollers and resourcequotas: their legacy plain names.
ResourceNames matching_resources(const TypeInfo& type, const ResourceNames& hard);

/// What `object` charges. A pod that no longer counts (see pod_counts) charges nothing.
ResourceList usage(const Object& object, TimePoint now);

/// A pod counts against quota unless it is terminal (Succeeded/Failed) or past its
/// deletionTimestamp plus grace period (a pod stuck terminating, e.g. on a lost node, must
/// not block its replacement).
bool pod_counts(const Pod& pod, TimePoint now);

/// The pod's effective requests / limits (upstream PodRequests / PodLimits): app containers
/// and restartable (sidecar) init containers summed, bounded below by each classic init
/// container (plus the sidecars started before it), plus spec.overhead.
ResourceList pod_requests(const PodSpec& spec);
ResourceList pod_limits(const PodSpec& spec);

/// Whether the quota's scopes and scopeSelector select `object` (all of them must). Only
/// pods have scopes: any other object matches a quota without scopes only.
bool matches_scopes(const ResourceQuota& quota, const Object& object);

/// Upstream's backward-compatible pod constraint: when a quota limits cpu or memory
/// requests or limits, every container must declare them. Returns the reason
/// ("must specify limits.cpu for: app; requests.memory for: app,sidecar"), or "" if met.
std::string unmet_constraints(const Object& object, const ResourceNames& required);

}  // namespace kactor::api::quota
