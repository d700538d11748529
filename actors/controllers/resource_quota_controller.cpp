// The resource quota controller (kube-controller-manager's "resourcequota"): keeps every
// ResourceQuota's status.hard (= spec.hard) and status.used (what the namespace's objects
// charge, computed by api/quota, the code the admission plugin charges with) current, and
// writes status only when it changed.
//
// What triggers a recomputation of a namespace's quotas (as upstream: admission charges
// creates, this controller releases):
// - a quota is created or its spec changes (status-only changes are the plugin's charges);
// - a counted object is deleted, or an update changes what it charges (a pod turning
//   Succeeded/Failed, a Service changing type);
// - a pod's deletion grace period runs out (it stops counting then);
// - a full resync of every quota every --resource-quota-sync-period (5 min).
// Informers exist for pods, services, claims, configmaps, secrets, replication controllers
// and quotas from the start; a quota naming `count/<resource>.<group>` of another kind gets
// that kind watched when first synced.
#include <spdlog/spdlog.h>

#include "actors/client/async_client.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/registry.hpp"
#include "api/quota/usage.hpp"
#include "api/registry.hpp"
#include "api/types/all.hpp"

namespace kactor::actors::controllers {

namespace {

namespace quota = api::quota;
using QuotaPtr = std::shared_ptr<const api::ResourceQuota>;

class ResourceQuotaController : public std::enable_shared_from_this<ResourceQuotaController> {
 public:
  ResourceQuotaController(caf::event_based_actor* self, const Context& ctx, int workers,
                          Duration resync)
      : loop_(self, ctx, "resourcequota", workers), client_(self, *ctx.apiserver), resync_(resync) {}

  caf::behavior start() {
    quotas_ = loop_
                  .watch(api::ResourceQuota::static_type(),
                         [this](const client::InformerEvent& e) { on_quota(e); })
                  .cache;
    watched_[&api::ResourceQuota::static_type()] = quotas_;
    for (const api::TypeInfo* t :
         {&api::Pod::static_type(), &api::Service::static_type(),
          &api::PersistentVolumeClaim::static_type(), &api::ConfigMap::static_type(),
          &api::Secret::static_type(), &api::ReplicationController::static_type()})
      watch_counted(*t);
    loop_.every(resync_, [this] {
      for (const auto& o : quotas_->list()) loop_.enqueue(api::object_key(*o));
    });
    return loop_.run(shared_from_this());
  }

 private:
  void on_quota(const client::InformerEvent& e) {
    using Type = client::InformerEvent::Type;
    const auto& q = static_cast<const api::ResourceQuota&>(*e.object);
    if (e.type == Type::deleted) {
      // A quota is itself counted (resourcequotas, count/resourcequotas) by the others.
      for (const auto& other : quotas_->by_index(client::kNamespaceIndex, q.metadata.namespace_))
        loop_.enqueue(api::object_key(*other));
      return;
    }
    if (e.type == Type::updated) {
      const auto& old = static_cast<const api::ResourceQuota&>(*e.old);
      // Status-only changes are admission's charges: recomputing on them would race the
      // objects' own informers (a charge seen before the object it charges for).
      if (old.spec == q.spec && quota::equal(q.status.hard, q.spec.hard)) return;
    }
    loop_.enqueue(api::object_key(q));
  }

  /// The cache of `type`, subscribing on first use.
  std::shared_ptr<const client::Cache> watch_counted(const api::TypeInfo& type) {
    if (auto it = watched_.find(&type); it != watched_.end()) return it->second;
    auto cache = loop_.watch(type, [this](const client::InformerEvent& e) { on_counted(e); }).cache;
    watched_[&type] = cache;
    return cache;
  }

  void on_counted(const client::InformerEvent& e) {
    using Type = client::InformerEvent::Type;
    const auto& ns = e.object->metadata.namespace_;
    if (ns.empty()) return;
    // Most namespaces have no quota: decide that first, before computing any usage.
    auto quotas = quotas_->by_index(client::kNamespaceIndex, ns);
    if (quotas.empty() || e.type == Type::added) return;  // admission charged the add
    const auto now = loop_.clock().now();
    if (e.type == Type::updated) {
      if (const auto* pod = api::as<api::Pod>(*e.object)) schedule_grace_expiry(*pod, now);
      if (quota::equal(quota::usage(*e.object, now), quota::usage(*e.old, now))) return;
    }
    for (const auto& q : quotas) loop_.enqueue(api::object_key(*q));
  }

  /// A pod being deleted stops counting once its grace period is over: recompute then.
  void schedule_grace_expiry(const api::Pod& pod, TimePoint now) {
    const auto& m = pod.metadata;
    if (!m.deletion_timestamp || !m.deletion_grace_period_seconds || !quota::pod_counts(pod, now))
      return;
    auto expiry = m.deletion_timestamp->value +
                  std::chrono::seconds(*m.deletion_grace_period_seconds) + std::chrono::seconds(1);
    const std::string ns = m.namespace_;
    loop_.after(std::chrono::duration_cast<Duration>(expiry - now), [this, ns] {
      for (const auto& q : quotas_->by_index(client::kNamespaceIndex, ns))
        loop_.enqueue(api::object_key(*q));
    });
  }

  void sync(const std::string& key, ControllerLoop::Finish finish) {
    auto q = api::as<api::ResourceQuota>(quotas_->get(key));
    if (!q) return finish(std::nullopt);
    const auto hard_names = quota::names_of(q->spec.hard);
    const auto now = loop_.clock().now();
    api::ResourceList used = q->status.used;
    bool complete = true;
    for (const api::TypeInfo* type : api::Registry::builtin().all()) {
      if (!type->namespaced) continue;
      auto matched = quota::matching_resources(*type, hard_names);
      if (matched.empty()) continue;
      auto cache = watch_counted(*type);
      if (!cache->synced()) {
        complete = false;  // a kind watched just now: come back once its informer has synced
        continue;
      }
      api::ResourceList sum;
      for (const auto& name : matched) sum[name] = api::Quantity();
      for (const auto& o : cache->by_index(client::kNamespaceIndex, q->metadata.namespace_))
        if (quota::matches_scopes(*q, *o)) sum = quota::add(sum, quota::mask(quota::usage(*o, now), matched));
      for (auto& [name, amount] : sum) used[name] = amount;
    }
    if (!complete) {
      // Runs again once the new informer has synced: the loop processes no key before
      // every watched informer has.
      loop_.enqueue(key);
      return finish(std::nullopt);
    }
    used = quota::mask(used, hard_names);
    if (quota::equal(q->status.hard, q->spec.hard) && quota::equal(q->status.used, used))
      return finish(std::nullopt);
    api::ResourceQuota next = *q;
    next.status.hard = q->spec.hard;
    next.status.used = std::move(used);
    client_.update_status<api::ResourceQuota>(
        next, [finish](api::Result<QuotaPtr> r) {
          // Conflict: an admission charge or a spec change came first; retry on fresh data.
          // NotFound: the quota went meanwhile.
          if (r || is_not_found(r.error())) return finish(std::nullopt);
          finish(r.error());
        });
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  Duration resync_;
  std::shared_ptr<const client::Cache> quotas_;
  std::unordered_map<const api::TypeInfo*, std::shared_ptr<const client::Cache>> watched_;
};

}  // namespace

api::Result<caf::actor> spawn_resource_quota_controller(const Context& ctx,
                                                        const ControllerManagerOptions& opts) {
  if (opts.resource_quota_sync_period <= Duration::zero())
    return api::fail(api::bad_request("resourcequota: the sync period must be positive"));
  return spawn_controller<ResourceQuotaController>(ctx, opts.workers,
                                                   opts.resource_quota_sync_period);
}

}  // namespace kactor::actors::controllers
