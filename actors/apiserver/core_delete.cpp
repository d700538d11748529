// Core: delete, with preconditions, graceful pod deletion, finalizers,
// namespace Terminating and propagation policies.
#include <algorithm>

#include "actors/apiserver/core.hpp"
#include "api/types/all.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::apiserver {
namespace {

void add_finalizer(api::ObjectMeta& meta, const std::string& f) {
  if (std::find(meta.finalizers.begin(), meta.finalizers.end(), f) == meta.finalizers.end())
    meta.finalizers.push_back(f);
}

void drop_finalizer(api::ObjectMeta& meta, const std::string& f) {
  std::erase(meta.finalizers, f);
}

constexpr const char* kOrphan = "orphan";
constexpr const char* kForeground = "foregroundDeletion";

/// The garbage-collection finalizers a delete asks for, as upstream's
/// deletionFinalizersForGarbageCollection: an explicit policy decides; without one, a
/// finalizer the object already has stays; else the kind's default — Orphan for core/v1
/// ReplicationControllers (kept for backward compatibility, as upstream), Background
/// (no finalizer) for everything else. Background removes both finalizers.
void apply_propagation(const api::TypeInfo& type, const std::string& policy,
                       api::ObjectMeta& meta) {
  std::string effective = policy;
  if (effective.empty()) {
    if (std::find(meta.finalizers.begin(), meta.finalizers.end(), kOrphan) != meta.finalizers.end())
      effective = "Orphan";
    else if (std::find(meta.finalizers.begin(), meta.finalizers.end(), kForeground) !=
             meta.finalizers.end())
      effective = "Foreground";
    else if (&type == &api::ReplicationController::static_type())
      effective = "Orphan";
    else
      effective = "Background";
  }
  drop_finalizer(meta, kOrphan);
  drop_finalizer(meta, kForeground);
  if (effective == "Orphan") add_finalizer(meta, kOrphan);
  if (effective == "Foreground") add_finalizer(meta, kForeground);
}

}  // namespace

Response Core::remove(const api::TypeInfo& type, const Request& req) {
  const std::string ns = type.namespaced ? req.namespace_ : "";
  const auto* current = tables_.get(type, table_key(ns, req.name));
  if (!current) return error_response(api::not_found(type.resource, req.name, type.group));
  const api::ObjectPtr old_ptr = current->object();
  const auto& old = *old_ptr;

  if (!req.precondition_uid.empty() && req.precondition_uid != old.metadata.uid)
    return error_response(
        api::conflict(type.resource, req.name,
                      "Precondition failed: UID in precondition: " + req.precondition_uid +
                          ", UID in object meta: " + old.metadata.uid,
                      type.group));
  if (!req.precondition_resource_version.empty() &&
      req.precondition_resource_version != old.metadata.resource_version)
    return error_response(
        api::conflict(type.resource, req.name,
                      "Precondition failed: ResourceVersion in precondition: " +
                          req.precondition_resource_version +
                          ", ResourceVersion in object meta: " + old.metadata.resource_version,
                      type.group));

  AdmissionRequest admission{Operation::remove, type, ns, req.name, nullptr, &old, false};
  if (auto refused = admission_.admit(admission, tables_)) return error_response(*refused);

  auto next = type.clone(old);
  auto& meta = next->metadata;
  const api::Time now = now_seconds();

  // Namespaces terminate: their content is deleted by the namespace controller, which
  // then removes the "kubernetes" finalizer through namespaces/finalize.
  if (auto* ns_obj = api::as<api::Namespace>(*next)) {
    if (!meta.deletion_timestamp) meta.deletion_timestamp = now;
    meta.deletion_grace_period_seconds = 0;
    ns_obj->status.phase = "Terminating";
    return commit_update(type, *current, std::move(next), req.dry_run);
  }

  // Pods on a node are deleted gracefully: the kubelet stops the containers within the
  // grace period, then deletes the pod with grace 0.
  int64_t grace = 0;
  if (auto* pod = api::as<api::Pod>(*next)) {
    grace =
        req.grace_period_seconds.value_or(pod->spec.termination_grace_period_seconds.value_or(30));
    // As upstream's BeforeDelete: a negative grace period asked for means one second.
    if (req.grace_period_seconds && *req.grace_period_seconds < 0) grace = 1;
    bool terminal = api::is_terminal(*pod);
    if (pod->spec.node_name.empty() || terminal) grace = 0;
    if (grace < 0) grace = 0;
  }
  // The garbage collector finishes Orphan and Foreground propagation (and then removes
  // the finalizer that holds the object).
  apply_propagation(type, req.propagation_policy, meta);
  const bool finalizers_changed = meta.finalizers != old.metadata.finalizers;
  if (meta.deletion_timestamp) {
    // Already being deleted: a shorter grace period may be requested, never a longer one;
    // a new propagation policy changes the garbage-collection finalizers.
    int64_t current_grace = meta.deletion_grace_period_seconds.value_or(0);
    if (grace >= current_grace && !(grace == 0 && current_grace == 0 && meta.finalizers.empty())) {
      if (finalizers_changed) return commit_update(type, *current, std::move(next), req.dry_run);
      Response r;
      r.object = old_ptr;
      return r;
    }
  }

  if (grace > 0 || !meta.finalizers.empty()) {
    const int64_t shift = grace;
    api::Time when = now;
    when.value += std::chrono::seconds(shift);
    if (!meta.deletion_timestamp || when < *meta.deletion_timestamp) meta.deletion_timestamp = when;
    meta.deletion_grace_period_seconds = grace;
    // commit_update removes the object if nothing holds it any more.
    return commit_update(type, *current, std::move(next), req.dry_run);
  }
  return remove_now(type, *current, req.dry_run);
}

Response Core::remove_now(const api::TypeInfo& type, const StoredObject& current, bool dry_run) {
  Response r;
  api::ObjectPtr current_object = current.object();
  if (dry_run) {
    r.object = std::move(current_object);
    return r;
  }
  const int64_t revision = store_.prepared_revision() + 1;
  auto last = type.clone(*current_object);
  last->metadata.resource_version = std::to_string(revision);
  std::string key = table_key(last->metadata.namespace_, last->metadata.name);
  std::string bytes;
  type.to_msgpack(*last, bytes);
  auto encoded = std::make_shared<const std::string>(bytes);
  auto outcome = staged_.batch.remove(store_key(type, key), std::move(bytes),
                                      store::Precondition::mod_revision_equals(current.revision()));
  if (!outcome) return error_response(api::internal_error("store: " + outcome.error().message));
  api::ObjectPtr final_state(std::move(last));
  auto ev = std::make_shared<WatchEvent>();
  ev->type = WatchEvent::Type::deleted;
  ev->encoded = std::move(encoded);
  ev->revision = outcome->revision;
  ev->object = final_state;
  services_.on_removed(*current_object);  // Service ClusterIP/NodePorts (allocators/)
  staged_.changes.push_back(Change{std::move(ev), std::move(current_object)});
  tables_.table(type).erase(key);  // `current` dangles from here on
  r.object = final_state;
  return r;
}

}  // namespace kactor::apiserver
