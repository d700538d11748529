// The Deployment controller ("deployment"): owns a ReplicaSet per pod template
// (`<deployment>-<pod-template-hash>`), adopts and releases ReplicaSets by selector, rolls
// from the old ones to the new one (RollingUpdate within maxSurge/maxUnavailable, or
// Recreate), scales proportionally when resized mid-rollout, keeps the revision annotations,
// trims history and reports status and conditions (docs/deployments.md). The arithmetic
// lives in deployment_rollout/revision/status.*; this file reads the caches, sequences the
// API calls and records events.
#include <deque>
#include <set>

#include <spdlog/spdlog.h>

#include "actors/client/async_client.hpp"
#include "actors/client/event_recorder.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/deployment_revision.hpp"
#include "actors/controllers/deployment_rollout.hpp"
#include "actors/controllers/deployment_status.hpp"
#include "actors/controllers/join.hpp"
#include "actors/controllers/registry.hpp"
#include "api/labels/selector.hpp"
#include "api/types/all.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::actors::controllers {

namespace {

namespace dep = deployment;
using DeploymentPtr = std::shared_ptr<const api::Deployment>;
using ReplicaSetPtr = std::shared_ptr<const api::ReplicaSet>;
using Done = std::function<void(std::optional<api::Status>)>;

/// One sync of one Deployment: the Deployment (its status and annotations changed as the
/// pass goes, written once at the end) and copies of its ReplicaSets, which the steps change.
struct Pass {
  std::string key;
  DeploymentPtr stored;  // as read: the status to compare with
  api::Deployment d;
  bool annotations_changed = false;
  std::deque<api::ReplicaSet> rss;  // claimed (a deque: the steps hold pointers into it)
  dep::ReplicaSets sets;
  std::unique_ptr<dep::Scaler> scaler;
  /// The ReplicaSets as they were before this pass scaled them: the status is computed
  /// from them, as upstream does.
  std::deque<api::ReplicaSet> before;
  const api::ReplicaSet* before_new = nullptr;
  std::vector<const api::ReplicaSet*> to_delete;
  std::optional<Duration> recheck_after;
  ControllerLoop::Finish finish;

  std::vector<api::ReplicaSet*> before_all() {
    std::vector<api::ReplicaSet*> out;
    for (auto& rs : before) out.push_back(&rs);
    return out;
  }
};
using PassPtr = std::shared_ptr<Pass>;

class DeploymentController : public std::enable_shared_from_this<DeploymentController> {
 public:
  DeploymentController(caf::event_based_actor* self, const Context& ctx, int workers)
      : loop_(self, ctx, "deployment", workers),
        client_(self, *ctx.apiserver),
        events_(self, *ctx.apiserver, *ctx.clock, "deployment-controller") {}

  caf::behavior start() {
    deployments_ = loop_.watch(api::Deployment::static_type(), loop_.enqueue_key()).cache;
    replica_sets_ = loop_
                        .watch(api::ReplicaSet::static_type(),
                               [this](const client::InformerEvent& e) { on_replica_set(e); })
                        .cache;
    pods_ = loop_
                .watch(api::Pod::static_type(),
                       [this](const client::InformerEvent& e) {
                         // Recreate waits for the old pods to be gone.
                         if (e.type != client::InformerEvent::Type::deleted) return;
                         auto pod = api::as<api::Pod>(e.object);
                         if (!pod) return;
                         auto* ref = pod->metadata.controller_ref();
                         if (!ref || ref->kind != "ReplicaSet") return;
                         auto rs = api::as<api::ReplicaSet>(
                             replica_sets_->get(pod->metadata.namespace_ + "/" + ref->name));
                         if (rs && rs->metadata.uid == ref->uid)
                           if (auto d = owner_of(*rs, rs->metadata.controller_ref()))
                             loop_.enqueue(api::object_key(*d));
                       })
                .cache;
    return loop_.run(shared_from_this());
  }

 private:
  // -- events --------------------------------------------------------------------------

  DeploymentPtr owner_of(const api::ReplicaSet& rs, const api::OwnerReference* ref) const {
    if (!ref || ref->kind != "Deployment") return nullptr;
    auto d = api::as<api::Deployment>(deployments_->get(rs.metadata.namespace_ + "/" + ref->name));
    return d && d->metadata.uid == ref->uid ? d : nullptr;
  }

  /// Deployments in the ReplicaSet's namespace whose selector matches it (an orphan).
  void enqueue_matching(const api::ReplicaSet& rs) {
    for (auto& o : deployments_->by_index(client::kNamespaceIndex, rs.metadata.namespace_)) {
      auto d = api::as<api::Deployment>(o);
      if (!d || !d->spec.selector) continue;
      if (d->spec.selector->match_labels.empty() && d->spec.selector->match_expressions.empty())
        continue;  // selects nothing here (validation refuses it)
      auto sel = api::labels::Selector::from_label_selector(*d->spec.selector);
      if (sel && sel->matches(rs.metadata.labels))
        loop_.enqueue(api::object_key(*d));
    }
  }

  void on_replica_set(const client::InformerEvent& e) {
    auto rs = api::as<api::ReplicaSet>(e.object);
    if (!rs) return;
    auto owner = owner_of(*rs, rs->metadata.controller_ref());
    if (auto old = api::as<api::ReplicaSet>(e.old)) {
      auto old_owner = owner_of(*old, old->metadata.controller_ref());
      if (old_owner && old_owner != owner) loop_.enqueue(api::object_key(*old_owner));
      if (!owner && old->metadata.labels != rs->metadata.labels) enqueue_matching(*old);
    }
    if (owner)
      loop_.enqueue(api::object_key(*owner));
    else if (!rs->metadata.controller_ref())
      enqueue_matching(*rs);
  }

  // -- sync: claim -----------------------------------------------------------------------

  void sync(const std::string& key, ControllerLoop::Finish finish) {
    auto stored = api::as<api::Deployment>(deployments_->get(key));
    if (!stored) return finish(std::nullopt);
    if (!stored->spec.selector || (stored->spec.selector->match_labels.empty() &&
                                   stored->spec.selector->match_expressions.empty())) {
      // Validation refuses it; an object from before would select every pod.
      loop_.log().warn("Deployment {}: empty selector, not synced", key);
      return finish(std::nullopt);
    }
    auto selector = api::labels::Selector::from_label_selector(*stored->spec.selector);
    if (!selector) {
      loop_.log().warn("Deployment {}: invalid selector: {}", key, selector.error().message);
      return finish(std::nullopt);
    }
    auto pass = std::make_shared<Pass>();
    pass->key = key;
    pass->stored = stored;
    pass->d = *stored;
    pass->finish = std::move(finish);

    // Claim: adopt matching orphans, release owned ReplicaSets that stopped matching.
    const auto& uid = stored->metadata.uid;
    bool deleting = stored->metadata.deletion_timestamp.has_value();
    std::vector<std::pair<ReplicaSetPtr, bool>> changes;  // (rs, adopt?)
    for (auto& o : replica_sets_->by_index(client::kNamespaceIndex, stored->metadata.namespace_)) {
      auto rs = api::as<api::ReplicaSet>(o);
      if (!rs) continue;
      bool matches = selector->matches(rs->metadata.labels);
      auto* ref = rs->metadata.controller_ref();
      if (ref && ref->uid == uid) {
        if (matches)
          pass->rss.push_back(*rs);
        else if (!deleting)
          changes.emplace_back(rs, false);
      } else if (!ref && matches && !deleting && !rs->metadata.deletion_timestamp) {
        changes.emplace_back(rs, true);
      }
    }
    auto self = shared_from_this();
    auto join = Join::make(static_cast<int>(changes.size()), [self, pass](auto err) {
      if (err) return pass->finish(err);
      self->after_claim(pass);
    });
    for (auto& [rs, adopt] : changes) {
      api::ReplicaSet copy = *rs;
      auto& refs = copy.metadata.owner_references;
      if (adopt) {
        auto mine = dep::new_replica_set_for(*stored).metadata.owner_references.front();
        refs.push_back(mine);
      } else {
        std::erase_if(refs, [&](const api::OwnerReference& r) { return r.uid == uid; });
      }
      client_.update<api::ReplicaSet>(copy, [pass, join, adopt](api::Result<ReplicaSetPtr> r) {
        if (r && adopt) pass->rss.push_back(**r);
        join->report(r || is_not_found(r.error()) ? std::nullopt
                                                  : std::optional<api::Status>(r.error()));
      });
    }
  }

  // -- sync: decide ----------------------------------------------------------------------

  /// Splits the claimed ReplicaSets into the new one and the old ones, and brings the new
  /// one's annotations and the Deployment's revision up to date (upstream
  /// getAllReplicaSetsAndSyncRevision without creating).
  void find_sets(Pass& p) {
    std::vector<const api::ReplicaSet*> all;
    for (auto& rs : p.rss) all.push_back(&rs);
    auto* found = dep::find_new_replica_set(p.d, all);
    p.sets = {};
    std::vector<const api::ReplicaSet*> old;
    for (auto& rs : p.rss) {
      if (&rs == found) {
        p.sets.new_rs = &rs;
      } else {
        p.sets.old.push_back(&rs);
        old.push_back(&rs);
      }
    }
    if (!p.scaler) p.scaler = std::make_unique<dep::Scaler>(p.d);
    auto* rs = p.sets.new_rs;
    if (!rs) return;
    int64_t next = dep::max_revision(old) + 1;
    bool changed = dep::set_new_replica_set_annotations(p.d, *rs, next, true);
    if (rs->spec.min_ready_seconds != p.d.spec.min_ready_seconds) {
      rs->spec.min_ready_seconds = p.d.spec.min_ready_seconds;
      changed = true;
    }
    if (changed) p.scaler->touch(*rs);
    set_deployment_revision(p, rs->metadata.annotations[dep::kRevisionAnnotation]);
    if (p.d.spec.progress_deadline_seconds && !dep::get_condition(p.d.status, dep::kProgressing))
      dep::set_condition(p.d.status,
                         dep::make_condition(dep::kProgressing, "True", dep::kFoundNewReplicaSet,
                                             "Found new replica set \"" + rs->metadata.name + "\"",
                                             now()));
  }

  void set_deployment_revision(Pass& p, const std::string& revision) {
    auto& slot = p.d.metadata.annotations[dep::kRevisionAnnotation];
    if (slot != revision) {
      slot = revision;
      p.annotations_changed = true;
    }
  }

  void snapshot(Pass& p) {
    p.before = p.rss;
    p.before_new = nullptr;
    for (size_t i = 0; i < p.rss.size(); ++i)
      if (&p.rss[i] == p.sets.new_rs) p.before_new = &p.before[i];
  }

  void after_claim(const PassPtr& p) {
    find_sets(*p);
    if (p->d.metadata.deletion_timestamp) {
      // Being deleted: only the status follows (upstream syncStatusOnly).
      snapshot(*p);
      p->d.status = dep::calculate_status(p->d, p->before_all(), p->before_new, now());
      return write(p);
    }
    dep::set_paused_condition(p->d, p->d.status, now());
    if (p->d.spec.paused || dep::is_scaling_event(p->d, p->sets)) return resize(p);
    if (p->d.spec.strategy.type == "Recreate") return recreate(p);
    rolling(p);
  }

  /// Paused, or resized: sizes follow spec.replicas, no rollout step (upstream sync()).
  void resize(const PassPtr& p) {
    snapshot(*p);
    dep::scale_proportionally(p->d, p->sets, *p->scaler);
    if (p->d.spec.paused) p->to_delete = dep::history_to_clean_up(p->d, p->sets.old);
    p->d.status = dep::calculate_status(p->d, p->before_all(), p->before_new, now());
    write(p);
  }

  void rolling(const PassPtr& p) {
    ensure_new_replica_set(p, [this, p] {
      snapshot(*p);
      bool acted = dep::reconcile_new_replica_set(p->d, p->sets, *p->scaler) ||
                   dep::reconcile_old_replica_sets(p->d, p->sets, *p->scaler);
      if (!acted && dep::deployment_complete(p->d, p->d.status))
        p->to_delete = dep::history_to_clean_up(p->d, p->sets.old);
      finish_rollout(p);
    });
  }

  void recreate(const PassPtr& p) {
    snapshot(*p);
    if (dep::scale_down_old_for_recreate(p->sets, *p->scaler)) return finish_rollout(p);
    if (old_pods_running(*p)) return finish_rollout(p);
    ensure_new_replica_set(p, [this, p] {
      snapshot(*p);
      dep::scale_up_new_for_recreate(p->d, p->sets, *p->scaler);
      if (dep::deployment_complete(p->d, p->d.status))
        p->to_delete = dep::history_to_clean_up(p->d, p->sets.old);
      finish_rollout(p);
    });
  }

  /// Recreate starts the new pods only once no old one runs (terminal ones do not count).
  bool old_pods_running(const Pass& p) const {
    if (dep::sum_status_replicas(p.sets.old) > 0) return true;
    std::set<std::string> old_uids;
    for (auto* rs : p.sets.old) old_uids.insert(rs->metadata.uid);
    for (auto& o : pods_->by_index(client::kNamespaceIndex, p.d.metadata.namespace_)) {
      auto pod = api::as<api::Pod>(o);
      auto* ref = pod ? pod->metadata.controller_ref() : nullptr;
      if (ref && old_uids.contains(ref->uid) && !api::is_terminal(*pod)) return true;
    }
    return false;
  }

  void finish_rollout(const PassPtr& p) {
    auto out = dep::rollout_status(p->d, p->before_all(), p->before_new, now());
    p->d.status = std::move(out.status);
    p->recheck_after = out.recheck_after;
    write(p);
  }

  // -- the new ReplicaSet ----------------------------------------------------------------

  void ensure_new_replica_set(const PassPtr& p, std::function<void()> then) {
    if (p->sets.new_rs) return then();
    auto rs = dep::new_replica_set_for(p->d);
    std::vector<const api::ReplicaSet*> old;
    for (auto* o : p->sets.old) old.push_back(o);
    dep::ReplicaSets with_new{&rs, p->sets.old};
    int32_t size = dep::new_rs_new_replicas(p->d, with_new);
    rs.spec.replicas = size;
    dep::set_new_replica_set_annotations(p->d, rs, dep::max_revision(old) + 1, false);
    dep::set_replicas_annotations(rs, dep::replicas_of(p->d),
                                  dep::replicas_of(p->d) + dep::max_surge(p->d));
    auto self = shared_from_this();
    client_.create<api::ReplicaSet>(rs, [self, p, rs, size, then](api::Result<ReplicaSetPtr> r) {
      if (!r && is_already_exists(r.error())) return self->on_name_taken(p, rs, then);
      if (!r) {
        auto msg = "Failed to create new replica set \"" + rs.metadata.name +
                   "\": " + r.error().message;
        if (p->d.spec.progress_deadline_seconds)
          dep::set_condition(p->d.status,
                             dep::make_condition(dep::kProgressing, "False",
                                                 dep::kFailedReplicaSetCreate, msg, self->now()));
        self->events_.record(p->d, "Warning", dep::kFailedReplicaSetCreate, msg);
        return self->write(p, r.error());
      }
      if (size > 0)
        self->events_.record(p->d, "Normal", "ScalingReplicaSet",
                             dep::Scaling{(*r)->metadata.name, 0, size}.message());
      self->adopt_new(*p, **r, true);
      then();
    });
  }

  void adopt_new(Pass& p, const api::ReplicaSet& rs, bool created) {
    p.rss.push_back(rs);
    p.sets.new_rs = &p.rss.back();
    set_deployment_revision(p, p.sets.new_rs->metadata.annotations[dep::kRevisionAnnotation]);
    if (created && p.d.spec.progress_deadline_seconds)
      dep::set_condition(p.d.status,
                         dep::make_condition(dep::kProgressing, "True", dep::kNewReplicaSetCreated,
                                             "Created new replica set \"" + rs.metadata.name + "\"",
                                             now()));
  }

  /// The name is taken: ours (a cache behind the API), or a hash collision, which the
  /// collisionCount changes on the next try.
  void on_name_taken(const PassPtr& p, const api::ReplicaSet& wanted, std::function<void()> then) {
    auto self = shared_from_this();
    client_.get<api::ReplicaSet>(
        wanted.metadata.namespace_, wanted.metadata.name,
        [self, p, then](api::Result<ReplicaSetPtr> r) {
          if (!r) return self->write(p, r.error());
          auto* ref = (*r)->metadata.controller_ref();
          if (ref && ref->uid == p->d.metadata.uid &&
              dep::equal_ignore_hash((*r)->spec.template_, p->d.spec.template_)) {
            self->adopt_new(*p, **r, false);
            return then();
          }
          p->d.status.collision_count = p->d.status.collision_count.value_or(0) + 1;
          self->loop_.log().info("Deployment {}: hash collision with ReplicaSet {}, collisionCount {}",
                                 p->key, (*r)->metadata.name, *p->d.status.collision_count);
          // Retried (with back-off) under the new count, after the status is written.
          p->scaler = std::make_unique<dep::Scaler>(p->d);
          self->write(p, api::conflict("replicasets", (*r)->metadata.name,
                                       "pod template hash collision", "apps"));
        });
  }

  // -- writes ------------------------------------------------------------------------------

  /// Writes what the pass decided: the ReplicaSets it changed, the history it trims, then
  /// the Deployment's annotations and status; finishes with `error` (or the first failure).
  void write(const PassPtr& p, std::optional<api::Status> error = std::nullopt) {
    auto self = shared_from_this();
    const auto& changed = p->scaler ? p->scaler->changed() : std::map<std::string, api::ReplicaSet*>{};
    auto join = Join::make(static_cast<int>(changed.size() + p->to_delete.size()),
                           [self, p, error](std::optional<api::Status> err) {
                             self->write_deployment(p, error ? error : err);
                           });
    std::map<std::string, std::vector<std::string>> messages;
    if (p->scaler)
      for (auto& s : p->scaler->scalings()) messages[s.replica_set].push_back(s.message());
    for (auto& [name, rs] : changed) {
      client_.update<api::ReplicaSet>(
          *rs, [self, p, join, msgs = messages[name]](api::Result<ReplicaSetPtr> r) {
            if (r)
              for (auto& m : msgs) self->events_.record(p->d, "Normal", "ScalingReplicaSet", m);
            join->report(r ? std::nullopt : std::optional<api::Status>(r.error()));
          });
    }
    for (auto* rs : p->to_delete) {
      client::DeleteOptions opts;
      opts.precondition_uid = rs->metadata.uid;
      client_.remove<api::ReplicaSet>(rs->metadata.namespace_, rs->metadata.name, opts,
                                      [join](api::Result<ReplicaSetPtr> r) {
                                        join->report(r || is_not_found(r.error())
                                                         ? std::nullopt
                                                         : std::optional<api::Status>(r.error()));
                                      });
    }
  }

  void write_deployment(const PassPtr& p, std::optional<api::Status> error) {
    auto self = shared_from_this();
    auto write_status = [self, p, error](const api::Deployment& current) {
      if (p->d.status == current.status) return self->done(p, error);
      api::Deployment copy = current;
      copy.status = p->d.status;
      self->client_.update_status<api::Deployment>(
          copy, [self, p, error](api::Result<DeploymentPtr> r) {
            if (!r && !is_not_found(r.error())) return self->done(p, error ? error : r.error());
            self->done(p, error);
          });
    };
    if (!p->annotations_changed) return write_status(*p->stored);
    // The revision annotation: metadata, which a status update keeps as stored here.
    api::Deployment copy = *p->stored;
    copy.metadata.annotations = p->d.metadata.annotations;
    client_.update<api::Deployment>(copy, [self, p, error, write_status](api::Result<DeploymentPtr> r) {
      if (!r) return self->done(p, is_not_found(r.error()) ? error : r.error());
      write_status(**r);
    });
  }

  void done(const PassPtr& p, std::optional<api::Status> error) {
    if (!error && p->recheck_after) loop_.enqueue_after(p->key, *p->recheck_after);
    p->finish(error);
  }

  TimePoint now() const { return loop_.clock().now(); }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  client::EventRecorder events_;
  std::shared_ptr<const client::Cache> deployments_;
  std::shared_ptr<const client::Cache> replica_sets_;
  std::shared_ptr<const client::Cache> pods_;
};

}  // namespace

api::Result<caf::actor> spawn_deployment_controller(const Context& ctx,
                                                    const ControllerManagerOptions& opts) {
  return spawn_controller<DeploymentController>(ctx, opts.workers);
}

}  // namespace kactor::actors::controllers
