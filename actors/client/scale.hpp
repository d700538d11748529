// The scale of an object with spec.replicas (ReplicationController, ReplicaSet, Deployment):
// read from the object and written as a patch of its spec.replicas. One implementation for
// the scale subresource of the HTTP API (`kubectl scale`) and the HorizontalPodAutoscaler
// controller, so both see and change the same thing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "actors/apiserver/protocol/protocol.hpp"
#include "api/object.hpp"

namespace kactor::client {

/// What autoscaling/v1 Scale says of an object.
struct Scale {
  int32_t spec_replicas = 0;
  int32_t status_replicas = 0;
  /// The label selector of its pods in text form ("app=web,tier in (a,b)", sorted by key as
  /// upstream's Selector.String()); "" when it has none.
  std::string selector;
  bool operator==(const Scale&) const = default;
};

/// ReplicationControllers, ReplicaSets, Deployments and StatefulSets (those registered).
bool scalable(const api::TypeInfo& type);

/// The scale of `obj`; nullopt when its kind has no scale subresource. spec.replicas unset
/// counts as 1 (the default the API server fills in).
std::optional<Scale> scale_of(const api::Object& obj);

/// The request that sets spec.replicas of `type` `namespace_`/`name` (a merge patch). A
/// non-empty `resource_version` is a precondition, as upstream's scale update honours it.
apiserver::Request scale_update(const api::TypeInfo& type, const std::string& namespace_,
                                const std::string& name, int64_t replicas,
                                const std::string& resource_version = "", bool dry_run = false);

}  // namespace kactor::client
