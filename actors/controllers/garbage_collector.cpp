// A minimal garbage collector, for pods only: a pod all of whose owners
// (ReplicationControllers / ReplicaSets) are gone is deleted (background cascade).
// Orphan and foreground propagation (the `orphan` / `foregroundDeletion` finalizers) and
// other kinds of dependents are not handled yet.
#include "actors/client/async_client.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/join.hpp"
#include "actors/controllers/registry.hpp"
#include "api/types/all.hpp"

namespace kactor::actors::controllers {

namespace {

class GarbageCollector : public std::enable_shared_from_this<GarbageCollector> {
 public:
  GarbageCollector(caf::event_based_actor* self, const Context& ctx, int workers)
      : loop_(self, ctx, "garbagecollector", workers), client_(self, *ctx.apiserver) {}

  caf::behavior start() {
    auto owner_gone = [this](const client::InformerEvent& e) {
      if (e.type == client::InformerEvent::Type::deleted) enqueue_dependents(*e.object);
    };
    rcs_ = loop_.watch(api::ReplicationController::static_type(), owner_gone).cache;
    rss_ = loop_.watch(api::ReplicaSet::static_type(), owner_gone).cache;
    pods_ = loop_
                .watch(api::Pod::static_type(),
                       [this](const client::InformerEvent& e) {
                         if (e.type != client::InformerEvent::Type::deleted &&
                             !e.object->metadata.owner_references.empty())
                           loop_.enqueue(api::object_key(*e.object));
                       })
                .cache;
    return loop_.run(shared_from_this());
  }

 private:
  void enqueue_dependents(const api::Object& owner) {
    for (auto& o : pods_->by_index(client::kNamespaceIndex, owner.metadata.namespace_))
      for (auto& ref : o->metadata.owner_references)
        if (ref.uid == owner.metadata.uid) loop_.enqueue(api::object_key(*o));
  }

  /// The cache of the owner kind `ref` names; nullptr for kinds this GC does not know.
  const client::Cache* cache_for(const api::OwnerReference& ref) const {
    auto is = [&](const api::TypeInfo& t) {
      return ref.kind == t.kind && ref.api_version == t.api_version();
    };
    if (is(api::ReplicationController::static_type())) return rcs_.get();
    if (is(api::ReplicaSet::static_type())) return rss_.get();
    return nullptr;
  }

  void sync(const std::string& key, ControllerLoop::Finish finish) {
    auto pod = api::as<api::Pod>(pods_->get(key));
    if (!pod || pod->metadata.deletion_timestamp || pod->metadata.owner_references.empty())
      return finish(std::nullopt);
    const auto& ns = pod->metadata.namespace_;
    std::vector<api::OwnerReference> unconfirmed;
    for (auto& ref : pod->metadata.owner_references) {
      auto* cache = cache_for(ref);
      if (!cache) return finish(std::nullopt);  // an owner we cannot judge: keep the pod
      auto owner = cache->get(ns + "/" + ref.name);
      if (owner && owner->metadata.uid == ref.uid) return finish(std::nullopt);
      unconfirmed.push_back(ref);
    }
    // The cache may lag behind: ask the API server before deleting anything.
    auto self = shared_from_this();
    auto alive = std::make_shared<bool>(false);
    auto join = Join::make(static_cast<int>(unconfirmed.size()),
                           [self, pod, alive, finish](std::optional<api::Status> err) {
                             if (err) return finish(err);
                             if (*alive) return finish(std::nullopt);
                             self->delete_pod(*pod, finish);
                           });
    for (auto& ref : unconfirmed) {
      auto check = [join, alive, uid = ref.uid](api::Result<api::ObjectPtr> r) {
        if (r) {
          if ((*r)->metadata.uid == uid) *alive = true;
          return join->report();
        }
        join->report(is_not_found(r.error()) ? std::nullopt
                                             : std::optional<api::Status>(r.error()));
      };
      auto done = [check](auto r) {
        if (r) return check(api::ObjectPtr(*r));
        check(api::fail(r.error()));
      };
      if (ref.kind == api::ReplicaSet::static_type().kind)
        client_.get<api::ReplicaSet>(ns, ref.name, done);
      else
        client_.get<api::ReplicationController>(ns, ref.name, done);
    }
  }

  void delete_pod(const api::Pod& pod, ControllerLoop::Finish finish) {
    client::DeleteOptions opts;
    opts.precondition_uid = pod.metadata.uid;
    opts.propagation_policy = "Background";
    client_.remove<api::Pod>(pod.metadata.namespace_, pod.metadata.name, opts,
                             [finish](api::Result<std::shared_ptr<const api::Pod>> r) {
                               if (r || is_not_found(r.error()) || is_conflict(r.error()))
                                 return finish(std::nullopt);
                               finish(r.error());
                             });
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  std::shared_ptr<const client::Cache> rcs_, rss_, pods_;
};

}  // namespace

api::Result<caf::actor> spawn_garbage_collector(const Context& ctx,
                                                const ControllerManagerOptions& opts) {
  return spawn_controller<GarbageCollector>(ctx, opts.workers);
}

}  // namespace kactor::actors::controllers
