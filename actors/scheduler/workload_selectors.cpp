#include "actors/scheduler/workload_selectors.hpp"

#include "api/types/service.hpp"
#include "api/types/workloads.hpp"

namespace kactor::scheduler {

bool WorkloadSelectors::upsert(const api::Object& obj) {
  const auto& m = obj.metadata;
  if (auto* svc = dynamic_cast<const api::Service*>(&obj)) {
    if (svc->spec.selector.empty()) return remove(obj);
    auto& slot = namespaces[m.namespace_].services[m.name];
    if (slot == svc->spec.selector) return false;
    slot = svc->spec.selector;
    return true;
  }
  if (auto* rc = dynamic_cast<const api::ReplicationController*>(&obj)) {
    auto& slot = namespaces[m.namespace_].replication_controllers[m.name];
    if (slot == rc->spec.selector) return false;
    slot = rc->spec.selector;
    return true;
  }
  if (auto* rs = dynamic_cast<const api::ReplicaSet*>(&obj)) {
    auto sel = rs->spec.selector ? api::labels::Selector::from_label_selector(*rs->spec.selector)
                                 : api::Result<api::labels::Selector>(api::labels::Selector::nothing());
    if (!sel) return remove(obj);
    auto& slot = namespaces[m.namespace_].replica_sets[m.name];
    if (slot == *sel) return false;
    slot = std::move(*sel);
    return true;
  }
  return false;
}

bool WorkloadSelectors::remove(const api::Object& obj) {
  const auto& m = obj.metadata;
  auto ns = namespaces.find(m.namespace_);
  if (ns == namespaces.end()) return false;
  size_t erased = 0;
  if (dynamic_cast<const api::Service*>(&obj))
    erased = ns->second.services.erase(m.name);
  else if (dynamic_cast<const api::ReplicationController*>(&obj))
    erased = ns->second.replication_controllers.erase(m.name);
  else if (dynamic_cast<const api::ReplicaSet*>(&obj))
    erased = ns->second.replica_sets.erase(m.name);
  return erased > 0;
}

bool WorkloadSelectors::would_change(const api::Object& obj) const {
  WorkloadSelectors probe;
  const auto& m = obj.metadata;
  if (auto ns = namespaces.find(m.namespace_); ns != namespaces.end()) {
    // Only this object's entries matter: copy them into the probe and try there.
    auto& mine = probe.namespaces[m.namespace_];
    if (auto it = ns->second.services.find(m.name); it != ns->second.services.end())
      mine.services.insert(*it);
    if (auto it = ns->second.replication_controllers.find(m.name);
        it != ns->second.replication_controllers.end())
      mine.replication_controllers.insert(*it);
    if (auto it = ns->second.replica_sets.find(m.name); it != ns->second.replica_sets.end())
      mine.replica_sets.insert(*it);
  }
  return probe.upsert(obj);
}

api::labels::Selector default_selector(const api::Pod& pod, const WorkloadSelectors& workloads) {
  auto ns = workloads.namespaces.find(pod.metadata.namespace_);
  if (ns == workloads.namespaces.end()) return {};
  const auto& labels = pod.metadata.labels;
  // Services, controllers of one pod all match it, so their labels cannot conflict: merging
  // is safe (upstream's remark).
  api::Labels merged;
  for (auto& [name, sel] : ns->second.services)
    if (api::labels::Selector::from_set(sel).matches(labels)) merged.insert(sel.begin(), sel.end());
  const auto* owner = pod.metadata.controller_ref();
  if (owner && owner->kind == "ReplicationController" && owner->api_version == "v1") {
    auto rc = ns->second.replication_controllers.find(owner->name);
    if (rc != ns->second.replication_controllers.end())
      for (auto& [k, v] : rc->second) merged[k] = v;
  }
  auto selector = api::labels::Selector::from_set(merged);
  if (owner && owner->kind == "ReplicaSet" && owner->api_version == "apps/v1") {
    auto rs = ns->second.replica_sets.find(owner->name);
    if (rs != ns->second.replica_sets.end())
      for (auto& r : rs->second.requirements()) selector = selector.add(r);
  }
  return selector;
}

}  // namespace kactor::scheduler
