// The garbage collector (upstream's garbagecollector controller), generic over every
// registered kind that can own or be owned:
// - background: an object all of whose owners are gone (absent, or the name now holds an
//   object with another uid) is deleted;
// - foreground: an owner with a deletionTimestamp and the `foregroundDeletion` finalizer
//   has its dependents deleted, and loses the finalizer (and so goes) once no dependent
//   with blockOwnerDeletion=true is left;
// - orphan: an owner with a deletionTimestamp and the `orphan` finalizer has the reference
//   to it removed from every dependent, then loses the finalizer.
// A dependent with another, solid owner only drops its references to the owners that are
// gone or going. A cluster-scoped dependent cannot have a namespaced owner: that reference
// counts as absent and is reported with an OwnerRefInvalidNamespace event.
//
// One informer per kind (shared with the other controllers of the process) is the
// dependency graph: each cache has an index from owner uid to dependents
// (client::kOwnerUidIndex). An owner the caches do not show is looked up on the API server
// before anything is deleted, so a lagging cache never costs an object. Events are not
// collected (as upstream's default ignored resources); Bindings are not stored.
// The decisions themselves are in gc_decision.* (plain functions).
#include <charconv>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "actors/client/async_client.hpp"
#include "actors/client/event_recorder.hpp"
#include "actors/client/indexes.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/gc_decision.hpp"
#include "actors/controllers/join.hpp"
#include "actors/controllers/registry.hpp"
#include "api/registry.hpp"
#include "api/types/all.hpp"

namespace kactor::actors::controllers {

namespace {

using gc::ClassifiedOwner;
using gc::Decision;
using gc::OwnerState;

/// Kinds the collector watches: everything stored except Events.
bool collected(const api::TypeInfo& t) {
  return &t != &api::Binding::static_type() && &t != &api::Event::static_type();
}

bool owner_refs_equal(const api::Object& a, const api::Object& b) {
  return a.metadata.owner_references == b.metadata.owner_references;
}

class GarbageCollector : public std::enable_shared_from_this<GarbageCollector> {
 public:
  GarbageCollector(caf::event_based_actor* self, const Context& ctx, int workers)
      : loop_(self, ctx, "garbagecollector", workers),
        client_(self, *ctx.apiserver),
        events_(self, *ctx.apiserver, *ctx.clock, "garbage-collector-controller") {}

  caf::behavior start() {
    for (const auto* t : api::Registry::builtin().all()) {
      if (!collected(*t)) continue;
      const size_t kind = kinds_.size();
      auto informer =
          loop_.watch(*t, [this, kind](const client::InformerEvent& e) { on_event(kind, e); });
      client::add_owner_uid_index(*informer.mutable_cache);
      index_of_[t] = kind;
      kinds_.push_back({t, informer.cache});
    }
    return loop_.run(shared_from_this());
  }

 private:
  struct Kind {
    const api::TypeInfo* type;
    std::shared_ptr<const client::Cache> cache;
  };
  /// Work items are "<kind index>|<object key>".
  static std::string item_key(size_t kind, const api::Object& o) {
    return std::to_string(kind) + "|" + api::object_key(o);
  }

  // -- the graph, fed by events --

  void on_event(size_t kind, const client::InformerEvent& e) {
    const auto& obj = *e.object;
    const auto& meta = obj.metadata;
    using Type = client::InformerEvent::Type;
    if (e.type == Type::deleted) {
      // Its dependents may now be garbage; owners waiting for it may now go.
      enqueue_dependents(meta.uid);
      enqueue_owners_deleting_dependents(obj);
      return;
    }
    const api::Object* old = e.type == Type::updated ? e.old.get() : nullptr;
    if (gc::deleting_dependents(meta) && (!old || !gc::deleting_dependents(old->metadata))) {
      loop_.enqueue(item_key(kind, obj));
      enqueue_dependents(meta.uid);
    }
    if (gc::orphaning_dependents(meta) && (!old || !gc::orphaning_dependents(old->metadata)))
      loop_.enqueue(item_key(kind, obj));
    // A dependent is looked at when it appears or its references change, unless every owner
    // it names is in the caches, the same object (uid) and not being deleted: then there is
    // nothing to do, as upstream's graph builder queues only dependents with an owner it
    // does not know. Later changes of its owners bring it back through enqueue_dependents.
    if (!meta.owner_references.empty() && (!old || !owner_refs_equal(*old, obj)) &&
        !owners_all_present(obj))
      loop_.enqueue(item_key(kind, obj));
    // A dependent that starts terminating or lets go of an owner: a foreground owner may
    // be able to finish.
    if (old && (!owner_refs_equal(*old, obj) ||
                meta.deletion_timestamp != old->metadata.deletion_timestamp))
      enqueue_owners_deleting_dependents(*old);
  }

  /// Every owner `dependent` names is cached under its uid, with no deletionTimestamp.
  bool owners_all_present(const api::Object& dependent) const {
    for (const auto& ref : dependent.metadata.owner_references) {
      auto owner = cached_owner(dependent, ref);
      if (!owner || owner->metadata.uid != ref.uid || owner->metadata.deletion_timestamp)
        return false;
    }
    return true;
  }

  void enqueue_dependents(const std::string& owner_uid) {
    for (size_t k = 0; k < kinds_.size(); ++k)
      for (const auto& d : kinds_[k].cache->by_index(client::kOwnerUidIndex, owner_uid))
        loop_.enqueue(item_key(k, *d));
  }

  void enqueue_owners_deleting_dependents(const api::Object& dependent) {
    for (const auto& ref : dependent.metadata.owner_references) {
      auto owner = cached_owner(dependent, ref);
      if (owner && owner->metadata.uid == ref.uid && gc::deleting_dependents(owner->metadata))
        if (auto k = kind_of(owner->type())) loop_.enqueue(item_key(*k, *owner));
    }
  }

  std::optional<size_t> kind_of(const api::TypeInfo& t) const {
    auto it = index_of_.find(&t);
    if (it == index_of_.end()) return std::nullopt;
    return it->second;
  }

  /// Every dependent of `owner` in the caches (of any kind).
  std::vector<api::ObjectPtr> dependents_of(const std::string& owner_uid) const {
    std::vector<api::ObjectPtr> out;
    for (const auto& k : kinds_) {
      auto found = k.cache->by_index(client::kOwnerUidIndex, owner_uid);
      out.insert(out.end(), found.begin(), found.end());
    }
    return out;
  }

  static const api::TypeInfo* owner_type(const api::OwnerReference& ref) {
    return api::Registry::builtin().by_kind(ref.api_version, ref.kind);
  }

  /// The object at the owner reference's name in the caches (whatever its uid), or null.
  api::ObjectPtr cached_owner(const api::Object& dependent, const api::OwnerReference& ref) const {
    const auto* t = owner_type(ref);
    if (!t) return nullptr;
    auto k = kind_of(*t);
    if (!k) return nullptr;
    const auto key = t->namespaced ? dependent.metadata.namespace_ + "/" + ref.name : ref.name;
    return kinds_[*k].cache->get(key);
  }

  // -- the work --

  void sync(const std::string& key, ControllerLoop::Finish finish) {
    const auto bar = key.find('|');
    size_t kind = 0;
    if (bar == std::string::npos ||
        std::from_chars(key.data(), key.data() + bar, kind).ec != std::errc{} ||
        kind >= kinds_.size())
      return finish(std::nullopt);
    auto item = kinds_[kind].cache->get(key.substr(bar + 1));
    if (!item) return finish(std::nullopt);  // gone: its deletion event did the rest
    const auto& meta = item->metadata;
    if (gc::orphaning_dependents(meta)) return orphan_dependents(item, std::move(finish));
    if (gc::deleting_dependents(meta)) return finish_foreground(item, std::move(finish));
    if (meta.deletion_timestamp || meta.owner_references.empty()) return finish(std::nullopt);
    classify_owners(item, std::move(finish));
  }

  /// Foreground: the owner goes once no dependent blocks it; the others are (re)queued.
  void finish_foreground(const api::ObjectPtr& owner, ControllerLoop::Finish finish) {
    bool blocked = false;
    for (const auto& dep : dependents_of(owner->metadata.uid)) {
      bool blocks = false;
      for (const auto& ref : dep->metadata.owner_references)
        if (ref.uid == owner->metadata.uid && ref.block_owner_deletion.value_or(false))
          blocks = true;
      if (!blocks) continue;
      blocked = true;
      if (!gc::deleting_dependents(dep->metadata))
        if (auto k = kind_of(dep->type())) loop_.enqueue(item_key(*k, *dep));
    }
    if (blocked) return finish(std::nullopt);  // a dependent's deletion brings it back
    remove_finalizer(owner, gc::kForegroundFinalizer, std::move(finish));
  }

  /// Orphan: every dependent loses its reference to the owner, then the owner its finalizer.
  void orphan_dependents(const api::ObjectPtr& owner, ControllerLoop::Finish finish) {
    auto deps = dependents_of(owner->metadata.uid);
    auto self = shared_from_this();
    auto join = Join::make(static_cast<int>(deps.size()),
                           [self, owner, finish](std::optional<api::Status> err) {
                             if (err) return finish(err);
                             self->remove_finalizer(owner, gc::kOrphanFinalizer, finish);
                           });
    for (const auto& dep : deps)
      patch(*dep, gc::drop_references_patch(*dep, {owner->metadata.uid}),
            [join](std::optional<api::Status> err) { join->report(std::move(err)); });
  }

  /// Background: finds out which owners are solid, gone or waiting, then acts.
  void classify_owners(const api::ObjectPtr& item, ControllerLoop::Finish finish) {
    auto owners = std::make_shared<std::vector<ClassifiedOwner>>();
    std::vector<size_t> unconfirmed;  // positions in *owners to ask the API server about
    for (const auto& ref : item->metadata.owner_references) {
      owners->push_back({ref, OwnerState::solid});
      const auto* t = owner_type(ref);
      if (!t) {
        // A kind this cluster does not serve: it cannot be judged, so it keeps the item.
        warn_unknown_kind(ref);
        continue;
      }
      if (auto why = gc::invalid_namespace_message(*item, ref, t->namespaced); !why.empty()) {
        events_.record(*item, "Warning", "OwnerRefInvalidNamespace", why);
        owners->back().state = OwnerState::dangling;
        continue;
      }
      auto cached = cached_owner(*item, ref);
      if (cached && cached->metadata.uid == ref.uid) {
        owners->back().state = gc::deleting_dependents(cached->metadata)
                                   ? OwnerState::waiting_for_dependents
                                   : OwnerState::solid;
        continue;
      }
      unconfirmed.push_back(owners->size() - 1);
    }
    // An owner the caches do not show (or show under another uid) is asked for: the cache
    // may be behind the dependent.
    auto self = shared_from_this();
    auto join = Join::make(static_cast<int>(unconfirmed.size()),
                           [self, item, owners, finish](std::optional<api::Status> err) {
                             if (err) return finish(err);
                             self->act(item, *owners, finish);
                           });
    for (size_t pos : unconfirmed) {
      const auto& ref = (*owners)[pos].ref;
      const auto* t = owner_type(ref);
      auto req = client::request_for(apiserver::Verb::get, *t,
                                     t->namespaced ? item->metadata.namespace_ : "", ref.name);
      client_.call(std::move(req), [owners, pos, join](apiserver::Response& r) {
        auto& owner = (*owners)[pos];
        if (r.error) {
          if (!is_not_found(*r.error)) return join->report(*r.error);
          owner.state = OwnerState::dangling;
          return join->report();
        }
        if (r.object->metadata.uid != owner.ref.uid) owner.state = OwnerState::dangling;
        else if (gc::deleting_dependents(r.object->metadata))
          owner.state = OwnerState::waiting_for_dependents;
        else
          owner.state = OwnerState::solid;
        join->report();
      });
    }
  }

  void act(const api::ObjectPtr& item, const std::vector<ClassifiedOwner>& owners,
           ControllerLoop::Finish finish) {
    auto deps = dependents_of(item->metadata.uid);
    bool dep_deleting = false;
    for (const auto& d : deps) dep_deleting = dep_deleting || gc::deleting_dependents(d->metadata);
    auto d = gc::decide(*item, owners, !deps.empty(), dep_deleting);
    switch (d.action) {
      case Decision::Action::keep: return finish(std::nullopt);
      case Decision::Action::drop_references:
        return patch(*item, gc::drop_references_patch(*item, d.owner_uids), finish);
      case Decision::Action::remove: break;
    }
    if (d.unblock_owner_uids.empty()) return remove(item, d.propagation, std::move(finish));
    auto self = shared_from_this();
    patch(*item, gc::unblock_references_patch(*item, d.unblock_owner_uids),
          [self, item, d, finish](std::optional<api::Status> err) {
            if (err) return finish(err);
            self->remove(item, d.propagation, finish);
          });
  }

  // -- API calls --

  void remove(const api::ObjectPtr& item, const std::string& propagation,
              ControllerLoop::Finish finish) {
    client::DeleteOptions opts;
    opts.precondition_uid = item->metadata.uid;
    opts.propagation_policy = propagation;
    loop_.log().debug("deleting {} {} (its owners are gone; propagation {})",
                      item->type().resource, api::object_key(*item), propagation);
    auto req = client::delete_request(item->type(), item->metadata.namespace_,
                                      item->metadata.name, opts);
    client_.call(std::move(req), [finish](apiserver::Response& r) {
      // Gone already, or replaced by an object with another uid: nothing left to do.
      if (!r.error || is_not_found(*r.error) || is_conflict(*r.error)) return finish(std::nullopt);
      finish(*r.error);
    });
  }

  void remove_finalizer(const api::ObjectPtr& obj, const std::string& finalizer,
                        ControllerLoop::Finish finish) {
    patch(*obj, gc::remove_finalizer_patch(*obj, finalizer), std::move(finish));
  }

  /// A JSON patch of `obj` (guarded by its uid); NotFound counts as done.
  void patch(const api::Object& obj, std::string body,
             std::function<void(std::optional<api::Status>)> done) {
    auto req = client::request_for(apiserver::Verb::patch, obj.type(), obj.metadata.namespace_,
                                   obj.metadata.name);
    req.patch_type = "application/json-patch+json";
    req.patch_body = std::move(body);
    client_.call(std::move(req), [done](apiserver::Response& r) {
      if (!r.error || is_not_found(*r.error)) return done(std::nullopt);
      done(*r.error);  // a failed test: the object changed under us; retried with back-off
    });
  }

  void warn_unknown_kind(const api::OwnerReference& ref) {
    if (warned_kinds_.insert(ref.api_version + "/" + ref.kind).second)
      loop_.log().warn("owner references to {} {} are kept: the kind is not served", ref.api_version,
                       ref.kind);
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  client::EventRecorder events_;
  std::vector<Kind> kinds_;
  std::unordered_map<const api::TypeInfo*, size_t> index_of_;
  std::unordered_set<std::string> warned_kinds_;
};

}  // namespace

api::Result<caf::actor> spawn_garbage_collector(const Context& ctx,
                                                const ControllerManagerOptions& opts) {
  return spawn_controller<GarbageCollector>(ctx, opts.workers);
}

}  // namespace kactor::actors::controllers
