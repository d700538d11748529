// The namespace controller (upstream's namespace-controller): a namespace with a
// deletionTimestamp and the `kubernetes` finalizer in spec.finalizers has its content
// deleted — every object of every namespaced kind in the registry (a new kind is covered
// without a change here), pods first, each with Background propagation and its own grace
// period, so pods on nodes go through their kubelets. Objects held by finalizers are
// counted and reported in the namespace's conditions (namespace_conditions.*) until they
// go; then the controller removes `kubernetes` through namespaces/finalize and the API
// server deletes the namespace (once metadata.finalizers is empty too).
//
// Lists go to the API server, not to caches, so what is counted is what is there. The
// controller looks again whenever an object of a terminating namespace is deleted or
// loses a finalizer (it subscribes to the shared informer of every namespaced kind but
// Events), and after a fallback delay in case nothing changes.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "actors/client/async_client.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/join.hpp"
#include "actors/controllers/namespace_conditions.hpp"
#include "actors/controllers/registry.hpp"
#include "api/registry.hpp"
#include "api/types/all.hpp"

namespace kactor::actors::controllers {

namespace {

constexpr const char* kKubernetesFinalizer = "kubernetes";
/// Looked at again after this long even when no event comes (upstream requeues with a
/// growing back-off while content remains).
constexpr auto kRecheck = std::chrono::seconds(15);

/// The namespaced kinds whose objects a namespace's deletion removes, pods first (so their
/// graceful termination starts before anything they use goes).
std::vector<const api::TypeInfo*> content_kinds() {
  std::vector<const api::TypeInfo*> kinds;
  for (const auto* t : api::Registry::builtin().all())
    if (t->namespaced && t != &api::Binding::static_type()) kinds.push_back(t);
  std::stable_partition(kinds.begin(), kinds.end(),
                        [](const api::TypeInfo* t) { return t == &api::Pod::static_type(); });
  return kinds;
}

std::string resource_dot_group(const api::TypeInfo& t) { return t.resource + "." + t.group; }

class NamespaceController : public std::enable_shared_from_this<NamespaceController> {
 public:
  NamespaceController(caf::event_based_actor* self, const Context& ctx, int workers)
      : loop_(self, ctx, "namespace", workers),
        client_(self, *ctx.apiserver),
        kinds_(content_kinds()) {}

  caf::behavior start() {
    namespaces_ = loop_
                      .watch(api::Namespace::static_type(),
                             [this](const client::InformerEvent& e) {
                               if (e.type != client::InformerEvent::Type::deleted &&
                                   e.object->metadata.deletion_timestamp)
                                 loop_.enqueue(e.object->metadata.name);
                             })
                      .cache;
    for (const auto* t : kinds_) {
      // Not Events: a shared informer on them would hold a decoded copy of every Event in
      // the process (four per pod, ~1.2 KB each, kept for the event TTL) only to learn when
      // a finalizer lets one go, which Events hardly ever have. The recheck covers that case,
      // as upstream's controller, which watches no content at all, covers every kind.
      if (t == &api::Event::static_type()) continue;
      loop_.watch(*t, [this](const client::InformerEvent& e) { on_content_event(e); });
    }
    return loop_.run(shared_from_this());
  }

 private:
  /// Content of a terminating namespace went away or let go of a finalizer: look again.
  void on_content_event(const client::InformerEvent& e) {
    using Type = client::InformerEvent::Type;
    const bool released =
        e.type == Type::deleted ||
        (e.type == Type::updated && e.old->metadata.finalizers != e.object->metadata.finalizers);
    if (!released) return;
    const auto& ns = e.object->metadata.namespace_;
    auto n = namespaces_->get(ns);
    if (n && n->metadata.deletion_timestamp) loop_.enqueue(ns);
  }

  void sync(const std::string& name, ControllerLoop::Finish finish) {
    auto ns = api::as<api::Namespace>(namespaces_->get(name));
    if (!ns || !ns->metadata.deletion_timestamp) return finish(std::nullopt);
    const auto& fin = ns->spec.finalizers;
    if (std::find(fin.begin(), fin.end(), kKubernetesFinalizer) == fin.end())
      return finish(std::nullopt);  // our part is done; other finalizers hold it
    delete_content(ns, std::move(finish));
  }

  /// One pass: list every kind, delete what is not yet being deleted, count what remains.
  void delete_content(std::shared_ptr<const api::Namespace> ns, ControllerLoop::Finish finish) {
    auto report = std::make_shared<NamespaceDeletionReport>();
    auto self = shared_from_this();
    auto join = Join::make(static_cast<int>(kinds_.size()),
                           [self, ns, report, finish](std::optional<api::Status>) {
                             self->after_pass(ns, *report, finish);
                           });
    for (const auto* t : kinds_) {
      auto req = client::list_request(*t, ns->metadata.name, {});
      client_.call(std::move(req), [self, t, ns, report, join](apiserver::Response& r) {
        if (r.error) {
          report->errors.push_back("failed to list " + resource_dot_group(*t) + ": " +
                                   r.error->message);
          return join->report();
        }
        self->delete_items(*t, std::move(r.items), report, join);
      });
    }
  }

  void delete_items(const api::TypeInfo& type, std::vector<api::ObjectPtr> items,
                    std::shared_ptr<NamespaceDeletionReport> report, std::shared_ptr<Join> outer) {
    auto count_remaining = [report, &type](const api::Object& o) {
      ++report->remaining[resource_dot_group(type)];
      for (const auto& f : o.metadata.finalizers) ++report->finalizers[f];
    };
    std::vector<api::ObjectPtr> to_delete;
    for (auto& o : items) {
      if (o->metadata.deletion_timestamp) count_remaining(*o);
      else to_delete.push_back(o);
    }
    auto join = Join::make(static_cast<int>(to_delete.size()),
                           [outer](std::optional<api::Status>) { outer->report(); });
    for (auto& o : to_delete) {
      client::DeleteOptions opts;
      opts.propagation_policy = "Background";
      opts.precondition_uid = o->metadata.uid;
      auto req = client::delete_request(type, o->metadata.namespace_, o->metadata.name, opts);
      client_.call(std::move(req), [report, join, count_remaining, &type,
                                    name = o->metadata.name](apiserver::Response& r) {
        if (r.error) {
          if (!is_not_found(*r.error) && !is_conflict(*r.error))
            report->errors.push_back("failed to delete " + resource_dot_group(type) + " " + name +
                                     ": " + r.error->message);
          return join->report();
        }
        // Still there while a grace period or a finalizer holds it.
        if (r.object && r.object->metadata.deletion_timestamp) count_remaining(*r.object);
        join->report();
      });
    }
  }

  void after_pass(std::shared_ptr<const api::Namespace> ns, const NamespaceDeletionReport& report,
                  ControllerLoop::Finish finish) {
    auto conditions = namespace_deletion_conditions(report, ns->status.conditions,
                                                    api::Time{loop_.clock().now()});
    const bool done = report.done();
    if (!done) loop_.enqueue_after(ns->metadata.name, kRecheck);
    auto self = shared_from_this();
    auto then = [self, ns, done, finish](std::optional<api::Status> err) {
      if (err) return finish(err);
      if (!done) {
        return finish(std::nullopt);  // a deletion event (or the recheck) brings it back
      }
      self->remove_finalizer(ns, finish);
    };
    if (conditions == ns->status.conditions) return then(std::nullopt);
    auto next = std::make_shared<api::Namespace>(*ns);
    next->status.conditions = std::move(conditions);
    client_.call(client::request_with(apiserver::Verb::update_status, next),
                 [then](apiserver::Response& r) {
                   if (r.error && !is_not_found(*r.error)) return then(*r.error);
                   then(std::nullopt);
                 });
  }

  /// namespaces/finalize without `kubernetes`: the API server deletes the namespace when no
  /// finalizer is left.
  void remove_finalizer(std::shared_ptr<const api::Namespace> ns, ControllerLoop::Finish finish) {
    auto next = std::make_shared<api::Namespace>(*ns);
    std::erase(next->spec.finalizers, std::string(kKubernetesFinalizer));
    client_.call(client::request_with(apiserver::Verb::finalize, next),
                 [finish](apiserver::Response& r) {
                   if (r.error && !is_not_found(*r.error)) return finish(*r.error);
                   finish(std::nullopt);
                 });
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  std::vector<const api::TypeInfo*> kinds_;
  std::shared_ptr<const client::Cache> namespaces_;
};

}  // namespace

api::Result<caf::actor> spawn_namespace_controller(const Context& ctx,
                                                   const ControllerManagerOptions& opts) {
  return spawn_controller<NamespaceController>(ctx, opts.workers);
}

}  // namespace kactor::actors::controllers
