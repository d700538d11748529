#include "api/registry.hpp"

#include "api/types/all.hpp"
#include "api/types/authentication.hpp"
#include "api/types/autoscaling.hpp"
#include "api/types/eviction.hpp"

namespace kactor::api {

const Registry& Registry::builtin() {
  // The one list of built-in kinds. Order is the order of discovery documents.
  static const Registry registry({
      // core/v1
      &Binding::static_type(),
      &ConfigMap::static_type(),
      &Endpoints::static_type(),
      &Event::static_type(),
      &LimitRange::static_type(),
      &Namespace::static_type(),
      &Node::static_type(),
      &PersistentVolumeClaim::static_type(),
      &PersistentVolume::static_type(),
      &Pod::static_type(),
      &ReplicationController::static_type(),
      &ResourceQuota::static_type(),
      &Secret::static_type(),
      &ServiceAccount::static_type(),
      &Service::static_type(),
      // apps/v1
      &Deployment::static_type(),
      &ReplicaSet::static_type(),
      // coordination.k8s.io/v1
      &Lease::static_type(),
      // policy/v1
      &PodDisruptionBudget::static_type(),
      // scheduling.k8s.io/v1
      &PriorityClass::static_type(),
      // autoscaling/v2 (and v1, served and converted: api/served_versions.hpp)
      &HorizontalPodAutoscaler::static_type(),
  });
  return registry;
}

const TypeInfo* Registry::by_resource(std::string_view group, std::string_view resource) const {
  for (const auto* t : types_)
    if (t->group == group && t->resource == resource) return t;
  return nullptr;
}

const TypeInfo* Registry::by_any_name(std::string_view name) const {
  for (const auto* t : types_) {
    if (t->resource == name || t->singular == name) return t;
    for (const auto& s : t->short_names)
      if (s == name) return t;
  }
  return nullptr;
}

const TypeInfo* Registry::by_kind(std::string_view api_version, std::string_view kind) const {
  for (const auto* t : types_)
    if (t->kind == kind && t->api_version() == api_version) return t;
  return nullptr;
}

const TypeInfo* Registry::by_request_kind(std::string_view api_version,
                                          std::string_view kind) const {
  if (const auto* t = by_kind(api_version, kind)) return t;
  for (const auto* t : {&Eviction::static_type(), &TokenRequest::static_type()})
    if (t->kind == kind && t->api_version() == api_version) return t;
  return nullptr;
}

}  // namespace kactor::api
