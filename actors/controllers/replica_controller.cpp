// The ReplicationController and ReplicaSet controller: one implementation, two kinds.
// Keeps `replicas` active pods per owner: adopts matching orphans, releases owned pods that
// stopped matching, creates (slow start) or deletes (ranked victims) the difference, and
// reports status. Expectations stop it from acting twice on the same view.
#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>

#include "actors/client/async_client.hpp"
#include "actors/client/event_recorder.hpp"
#include "actors/client/indexes.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/expectations.hpp"
#include "actors/controllers/join.hpp"
#include "actors/controllers/pod_ranking.hpp"
#include "actors/controllers/registry.hpp"
#include "api/labels/selector.hpp"
#include "api/types/all.hpp"

namespace kactor::actors::controllers {

namespace {

constexpr int kBurstReplicas = 500;  ///< creates or deletes per sync

/// What differs between the two kinds.
template <class T>
struct ReplicaKind;

template <>
struct ReplicaKind<api::ReplicationController> {
  static constexpr const char* controller = "replicationcontroller";
  static constexpr const char* component = "replication-controller";
  static api::Result<api::labels::Selector> selector(const api::ReplicationController& rc) {
    // An empty map would select everything; upstream validation forbids it, so select none.
    if (rc.spec.selector.empty()) return api::labels::Selector::nothing();
    return api::labels::Selector::from_set(rc.spec.selector);
  }
  static const api::PodTemplateSpec* pod_template(const api::ReplicationController& rc) {
    return rc.spec.template_ ? &*rc.spec.template_ : nullptr;
  }
};

template <>
struct ReplicaKind<api::ReplicaSet> {
  static constexpr const char* controller = "replicaset";
  static constexpr const char* component = "replicaset-controller";
  static api::Result<api::labels::Selector> selector(const api::ReplicaSet& rs) {
    if (!rs.spec.selector) return api::labels::Selector::nothing();
    return api::labels::Selector::from_label_selector(*rs.spec.selector);
  }
  static const api::PodTemplateSpec* pod_template(const api::ReplicaSet& rs) {
    return &rs.spec.template_;
  }
};

template <class T>
class ReplicaController : public std::enable_shared_from_this<ReplicaController<T>> {
 public:
  using Kind = ReplicaKind<T>;
  using OwnerPtr = std::shared_ptr<const T>;

  ReplicaController(caf::event_based_actor* self, const Context& ctx, int workers)
      : loop_(self, ctx, Kind::controller, workers),
        client_(self, *ctx.apiserver),
        events_(self, *ctx.apiserver, *ctx.clock, Kind::component),
        expectations_(*ctx.clock) {}

  caf::behavior start() {
    owners_ = loop_
                  .watch(T::static_type(),
                         [this](const client::InformerEvent& e) {
                           if (e.type == client::InformerEvent::Type::deleted)
                             expectations_.forget(api::object_key(*e.object));
                           loop_.enqueue(api::object_key(*e.object));
                         })
                  .cache;
    auto pods =
        loop_.watch(api::Pod::static_type(), [this](const client::InformerEvent& e) { on_pod(e); });
    // A sync looks at the pods it controls and the orphans of its namespace, not at every
    // pod there: at 150,000 pods in one namespace that walk was ~10 % of all CPU.
    client::add_owner_uid_index(*pods.mutable_cache);
    client::add_uncontrolled_index(*pods.mutable_cache);
    pods_ = pods.cache;
    return loop_.run(this->shared_from_this());
  }

 private:
  // -- event handlers: map a pod change to the owners that must look again --

  /// The owner `ref` points to, if it is one of ours and still exists (same UID).
  OwnerPtr owner_of(const std::string& ns, const api::OwnerReference* ref) const {
    if (!ref || ref->kind != T::static_type().kind) return nullptr;
    auto owner = api::as<T>(owners_->get(ns.empty() ? ref->name : ns + "/" + ref->name));
    return owner && owner->metadata.uid == ref->uid ? owner : nullptr;
  }

  /// Owners in the pod's namespace whose selector matches it (for orphans).
  void enqueue_matching(const api::Pod& pod) {
    for (auto& o : owners_->by_index(client::kNamespaceIndex, pod.metadata.namespace_)) {
      auto owner = api::as<T>(o);
      if (!owner) continue;
      auto sel = Kind::selector(*owner);
      if (sel && sel->matches(pod.metadata.labels)) loop_.enqueue(api::object_key(*owner));
    }
  }

  /// Whether an update of an owned pod can change what its owner's sync does or reports:
  /// its claim (labels, owners), whether it counts as active, ready or available. Upstream
  /// syncs on every update; the other updates (the binding, a ContainerCreating status)
  /// would only recount the same numbers — at 30,000 pods, two walks over them per pod.
  static bool changes_owner_view(const api::Pod& old, const api::Pod& pod) {
    return old.metadata.labels != pod.metadata.labels ||
           old.metadata.owner_references != pod.metadata.owner_references ||
           old.metadata.deletion_timestamp != pod.metadata.deletion_timestamp ||
           old.status.phase != pod.status.phase || is_ready(old) != is_ready(pod);
  }

  void on_pod(const client::InformerEvent& e) {
    auto pod = api::as<api::Pod>(e.object);
    if (!pod) return;
    const auto& ns = pod->metadata.namespace_;
    auto pod_key = api::object_key(*pod);
    auto owner = owner_of(ns, pod->metadata.controller_ref());
    auto owner_key = owner ? api::object_key(*owner) : std::string();
    using Type = client::InformerEvent::Type;
    switch (e.type) {
      case Type::added:
        if (owner) {
          if (pod->metadata.deletion_timestamp)
            expectations_.deletion_observed(owner_key, pod_key);
          else
            expectations_.creation_observed(owner_key);
          loop_.enqueue(owner_key);
        } else {
          enqueue_matching(*pod);
        }
        break;
      case Type::updated: {
        auto old = api::as<api::Pod>(e.old);
        if (old) {
          auto old_owner = owner_of(ns, old->metadata.controller_ref());
          if (old_owner && old_owner != owner) loop_.enqueue(api::object_key(*old_owner));
          if (!old->metadata.deletion_timestamp && pod->metadata.deletion_timestamp && owner)
            expectations_.deletion_observed(owner_key, pod_key);
          if (!owner && old->metadata.labels != pod->metadata.labels) enqueue_matching(*old);
        }
        if (owner) {
          if (!old || changes_owner_view(*old, *pod)) loop_.enqueue(owner_key);
        } else {
          enqueue_matching(*pod);
        }
        break;
      }
      case Type::deleted:
        if (owner) {
          expectations_.deletion_observed(owner_key, pod_key);
          loop_.enqueue(owner_key);
        } else {
          enqueue_matching(*pod);
        }
        break;
    }
  }

  // -- sync --

  api::OwnerReference owner_ref(const T& owner) const {
    api::OwnerReference ref;
    ref.api_version = T::static_type().api_version();
    ref.kind = T::static_type().kind;
    ref.name = owner.metadata.name;
    ref.uid = owner.metadata.uid;
    ref.controller = true;
    ref.block_owner_deletion = true;
    return ref;
  }

  void sync(const std::string& key, ControllerLoop::Finish finish) {
    auto owner = api::as<T>(owners_->get(key));
    if (!owner) {
      expectations_.forget(key);
      return finish(std::nullopt);
    }
    auto selector = Kind::selector(*owner);
    if (!selector) {
      loop_.log().warn("{} {}: invalid selector: {}", T::static_type().kind, key,
                       selector.error().message);
      return finish(std::nullopt);  // retrying will not help until the object changes
    }
    // Claim: adopt matching orphans, release owned pods that stopped matching.
    auto claimed = std::make_shared<std::vector<PodPtr>>();
    std::vector<std::pair<PodPtr, bool>> changes;  // (pod, adopt?)
    bool owner_deleting = owner->metadata.deletion_timestamp.has_value();
    // The pods it controls: tens of thousands at a time, walked on every sync, so the
    // pointers are moved, not copied (each copy is an atomic count up and down).
    auto owned = pods_->by_index(client::kOwnerUidIndex, owner->metadata.uid);
    claimed->reserve(owned.size());
    for (auto& o : owned) {
      const auto* pod = api::as<api::Pod>(*o);
      if (!pod || pod->metadata.namespace_ != owner->metadata.namespace_) continue;
      auto* ref = pod->metadata.controller_ref();
      if (!ref || ref->uid != owner->metadata.uid) continue;  // owned, but not controlled
      if (selector->matches(pod->metadata.labels))
        claimed->push_back(std::static_pointer_cast<const api::Pod>(std::move(o)));
      else if (!owner_deleting)
        changes.emplace_back(std::static_pointer_cast<const api::Pod>(std::move(o)), false);
    }
    // The orphans it may adopt.
    if (!owner_deleting) {
      for (auto& o : pods_->by_index(client::kUncontrolledIndex, owner->metadata.namespace_)) {
        const auto* pod = api::as<api::Pod>(*o);
        if (!pod || pod->metadata.deletion_timestamp) continue;
        if (selector->matches(pod->metadata.labels))
          changes.emplace_back(std::static_pointer_cast<const api::Pod>(std::move(o)), true);
      }
    }
    auto self = this->shared_from_this();
    auto join = Join::make(static_cast<int>(changes.size()),
                           [self, key, owner, claimed, finish](std::optional<api::Status> err) {
                             self->manage_and_report(key, owner, claimed, err, finish);
                           });
    for (auto& [pod, adopt] : changes) {
      api::Pod copy = *pod;
      auto& refs = copy.metadata.owner_references;
      if (adopt) {
        refs.push_back(owner_ref(*owner));
      } else {
        std::erase_if(refs,
                      [&](const api::OwnerReference& r) { return r.uid == owner->metadata.uid; });
      }
      client_.update<api::Pod>(copy, [join, claimed, adopt](api::Result<PodPtr> r) {
        if (r && adopt) claimed->push_back(*r);
        // A pod that vanished or changed meanwhile is looked at again on the next sync.
        join->report(r || is_not_found(r.error()) ? std::nullopt
                                                  : std::optional<api::Status>(r.error()));
      });
    }
  }

  void manage_and_report(const std::string& key, OwnerPtr owner,
                         const std::shared_ptr<std::vector<PodPtr>>& claimed,
                         std::optional<api::Status> claim_error, ControllerLoop::Finish finish) {
    // Shared, not copied, by the callbacks below (see sync()).
    auto active = std::make_shared<std::vector<PodPtr>>();
    active->reserve(claimed->size());
    for (auto& p : *claimed)
      if (is_active(*p)) active->push_back(p);
    claimed->clear();
    auto self = this->shared_from_this();
    auto report = [self, key, owner, active, claim_error, finish](std::optional<api::Status> err) {
      self->update_status(*owner, *active, err, claim_error, finish);
    };
    if (!expectations_.satisfied(key) || owner->metadata.deletion_timestamp)
      return report(std::nullopt);
    int want = owner->spec.replicas.value_or(1);
    int diff = static_cast<int>(active->size()) - want;
    if (diff < 0)
      create_pods(key, owner, std::min(-diff, kBurstReplicas), report);
    else if (diff > 0)
      delete_pods(key, owner, *active, std::min(diff, kBurstReplicas), report);
    else
      report(std::nullopt);
  }

  api::Pod pod_from_template(const T& owner) const {
    api::Pod pod;
    if (auto* tpl = Kind::pod_template(owner)) {
      pod.metadata.labels = tpl->metadata.labels;
      pod.metadata.annotations = tpl->metadata.annotations;
      pod.metadata.finalizers = tpl->metadata.finalizers;
      pod.spec = tpl->spec;
    }
    pod.metadata.namespace_ = owner.metadata.namespace_;
    pod.metadata.generate_name = owner.metadata.name + "-";
    pod.metadata.owner_references.push_back(owner_ref(owner));
    return pod;
  }

  /// Slow start: batches of 1, 2, 4, ...; a batch with a failure ends the run.
  void create_pods(const std::string& key, OwnerPtr owner, int count,
                   std::function<void(std::optional<api::Status>)> done) {
    expectations_.expect_creations(key, count);
    create_batch(key, owner, count, 1, std::move(done));
  }

  void create_batch(const std::string& key, OwnerPtr owner, int remaining, int batch,
                    std::function<void(std::optional<api::Status>)> done) {
    if (remaining <= 0) return done(std::nullopt);
    batch = std::min(batch, remaining);
    auto self = this->shared_from_this();
    auto join = Join::make(
        batch, [self, key, owner, remaining, batch, done](std::optional<api::Status> err) {
          if (!err) return self->create_batch(key, owner, remaining - batch, batch * 2, done);
          // The pods never to be created will never be observed either.
          for (int i = batch; i < remaining; ++i) self->expectations_.creation_observed(key);
          done(err);
        });
    api::Pod pod = pod_from_template(*owner);
    for (int i = 0; i < batch; ++i) {
      client_.create<api::Pod>(pod, [self, key, owner, join](api::Result<PodPtr> r) {
        if (r) {
          self->events_.record(*owner, "Normal", "SuccessfulCreate",
                               "Created pod: " + (*r)->metadata.name);
          return join->report();
        }
        self->expectations_.creation_observed(key);
        self->events_.record(*owner, "Warning", "FailedCreate",
                             "Error creating: " + r.error().message);
        join->report(r.error());
      });
    }
  }

  void delete_pods(const std::string& key, OwnerPtr owner, const std::vector<PodPtr>& active,
                   int count, std::function<void(std::optional<api::Status>)> done) {
    auto ranked = rank_for_deletion(active, active);
    ranked.resize(static_cast<size_t>(count));
    std::set<std::string> victims;
    for (auto& p : ranked) victims.insert(api::object_key(*p));
    expectations_.expect_deletions(key, victims);
    auto self = this->shared_from_this();
    auto join = Join::make(count, std::move(done));
    for (auto& p : ranked) {
      client::DeleteOptions opts;
      opts.precondition_uid = p->metadata.uid;
      auto pod_key = api::object_key(*p);
      client_.remove<api::Pod>(
          p->metadata.namespace_, p->metadata.name, opts,
          [self, key, owner, pod_key, name = p->metadata.name, join](api::Result<PodPtr> r) {
            if (r) {
              self->events_.record(*owner, "Normal", "SuccessfulDelete", "Deleted pod: " + name);
              return join->report();
            }
            self->expectations_.deletion_observed(key, pod_key);
            if (is_not_found(r.error())) return join->report();
            self->events_.record(*owner, "Warning", "FailedDelete",
                                 "Error deleting: " + r.error().message);
            join->report(r.error());
          });
    }
  }

  /// `manage_error` is the failure to create or delete pods (it shows as the ReplicaFailure
  /// condition), `claim_error` a failure to adopt or release one (retried, not shown).
  void update_status(const T& owner, const std::vector<PodPtr>& active,
                     std::optional<api::Status> manage_error, std::optional<api::Status> claim_error,
                     ControllerLoop::Finish finish) {
    const auto error = manage_error ? manage_error : claim_error;
    auto status = owner.status;
    set_replica_failure(status, owner, active.size(), manage_error);
    auto* tpl = Kind::pod_template(owner);
    auto now = loop_.clock().now();
    int32_t min_ready = owner.spec.min_ready_seconds;
    status.replicas = static_cast<int32_t>(active.size());
    status.fully_labeled_replicas = status.ready_replicas = status.available_replicas = 0;
    bool waiting_available = false;
    for (auto& p : active) {
      bool full = true;
      if (tpl)
        for (auto& [k, v] : tpl->metadata.labels) {
          auto it = p->metadata.labels.find(k);
          if (it == p->metadata.labels.end() || it->second != v) full = false;
        }
      if (full) ++status.fully_labeled_replicas;
      if (is_ready(*p)) {
        ++status.ready_replicas;
        if (is_available(*p, min_ready, now))
          ++status.available_replicas;
        else
          waiting_available = true;
      }
    }
    status.observed_generation = owner.metadata.generation;
    auto key = api::object_key(owner);
    // Readiness turns into availability with time only: look again when it may have.
    if (waiting_available) loop_.enqueue_after(key, std::chrono::seconds(min_ready));
    if (status == owner.status) return finish(error);
    T copy = owner;
    copy.status = status;
    client_.update_status<T>(copy, [finish, error](api::Result<OwnerPtr> r) {
      if (!r && !is_not_found(r.error())) return finish(r.error());
      finish(error);
    });
  }

  /// Upstream calculateStatus: a failed create or delete adds ReplicaFailure (reason
  /// FailedCreate when pods were missing, FailedDelete when there were too many; the message
  /// is the API's error), once: a later failure keeps the first condition. A sync that
  /// creates or deletes what it must without error removes it.
  void set_replica_failure(decltype(T::status)& status, const T& owner, size_t active,
                           const std::optional<api::Status>& manage_error) const {
    auto& conds = status.conditions;
    auto it = std::find_if(conds.begin(), conds.end(),
                           [](const api::ReplicaSetCondition& c) { return c.type == "ReplicaFailure"; });
    if (manage_error && it == conds.end()) {
      const auto want = static_cast<size_t>(owner.spec.replicas.value_or(1));
      api::ReplicaSetCondition c;
      c.type = "ReplicaFailure";
      c.status = "True";
      c.reason = active < want ? "FailedCreate" : active > want ? "FailedDelete" : "";
      c.message = manage_error->message;
      c.last_transition_time.value = std::chrono::time_point_cast<TimePoint::duration>(
          std::chrono::floor<std::chrono::seconds>(loop_.clock().now()));
      conds.push_back(std::move(c));
    } else if (!manage_error && it != conds.end()) {
      conds.erase(it);
    }
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  client::EventRecorder events_;
  Expectations expectations_;
  std::shared_ptr<const client::Cache> owners_;
  std::shared_ptr<const client::Cache> pods_;
};

template <class T>
api::Result<caf::actor> spawn_replica(const Context& ctx, const ControllerManagerOptions& opts) {
  return spawn_controller<ReplicaController<T>>(ctx, opts.workers);
}

}  // namespace

api::Result<caf::actor> spawn_replicationcontroller_controller(
    const Context& ctx, const ControllerManagerOptions& opts) {
  return spawn_replica<api::ReplicationController>(ctx, opts);
}

api::Result<caf::actor> spawn_replicaset_controller(const Context& ctx,
                                                    const ControllerManagerOptions& opts) {
  return spawn_replica<api::ReplicaSet>(ctx, opts);
}

}  // namespace kactor::actors::controllers
