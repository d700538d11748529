// The selectors of the objects that group pods — Services, ReplicationControllers and
// ReplicaSets — per namespace. PodTopologySpread's default constraints spread a pod among
// the pods these select (upstream helper.DefaultSelector); the scheduler actor keeps them
// from informers and hands them to plugins in the Snapshot.
#pragma once

#include <map>
#include <string>

#include "api/labels/selector.hpp"
#include "api/object.hpp"
#include "api/types/pod.hpp"

namespace kactor::scheduler {

struct WorkloadSelectors {
  struct InNamespace {
    /// Services' spec.selector (a Service without one selects nothing and is left out).
    std::map<std::string, api::Labels> services;
    std::map<std::string, api::Labels> replication_controllers;
    /// ReplicaSets' spec.selector, parsed (an invalid one is left out).
    std::map<std::string, api::labels::Selector> replica_sets;
  };
  std::map<std::string, InNamespace> namespaces;

  /// Records a Service, ReplicationController or ReplicaSet (other kinds are ignored).
  /// Returns whether anything changed.
  bool upsert(const api::Object& obj);
  bool remove(const api::Object& obj);
  /// Whether upsert(obj) would change anything (status updates of a controller do not):
  /// lets the cache skip its copy on write.
  bool would_change(const api::Object& obj) const;
};

/// Upstream helper.DefaultSelector: the labels of every Service in the pod's namespace
/// that selects it, plus the selector of its controlling ReplicationController or
/// ReplicaSet. Empty (matches everything) when nothing groups the pod.
api::labels::Selector default_selector(const api::Pod& pod, const WorkloadSelectors& workloads);

}  // namespace kactor::scheduler
