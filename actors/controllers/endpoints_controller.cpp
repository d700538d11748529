// The endpoints controller: one Endpoints object per Service with a selector, listing the
// addresses of its pods; rewritten on every relevant change, only when different; deleted
// with its Service.
#include "actors/client/async_client.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/endpoints_compute.hpp"
#include "actors/controllers/registry.hpp"
#include "api/labels/selector.hpp"
#include "api/types/all.hpp"

namespace kactor::actors::controllers {

namespace {

bool selects_pods(const api::Service& svc) {
  return !svc.spec.selector.empty() && svc.spec.type != "ExternalName";
}

class EndpointsController : public std::enable_shared_from_this<EndpointsController> {
 public:
  EndpointsController(caf::event_based_actor* self, const Context& ctx, int workers)
      : loop_(self, ctx, "endpoints", workers), client_(self, *ctx.apiserver) {}

  caf::behavior start() {
    services_ = loop_.watch(api::Service::static_type(), loop_.enqueue_key()).cache;
    pods_ =
        loop_.watch(api::Pod::static_type(), [this](const client::InformerEvent& e) { on_pod(e); })
            .cache;
    // Someone else's change to an Endpoints object is corrected from the Service.
    endpoints_ = loop_.watch(api::Endpoints::static_type(), loop_.enqueue_key()).cache;
    return loop_.run(shared_from_this());
  }

 private:
  void enqueue_services_of(const api::Pod& pod) {
    for (auto& o : services_->by_index(client::kNamespaceIndex, pod.metadata.namespace_)) {
      auto svc = api::as<api::Service>(o);
      if (svc && selects_pods(*svc) &&
          api::labels::Selector::from_set(svc->spec.selector).matches(pod.metadata.labels))
        loop_.enqueue(api::object_key(*svc));
    }
  }

  void on_pod(const client::InformerEvent& e) {
    if (auto pod = api::as<api::Pod>(e.object)) enqueue_services_of(*pod);
    // A relabelled pod may leave the Services that selected it before.
    if (auto old = api::as<api::Pod>(e.old)) enqueue_services_of(*old);
  }

  void sync(const std::string& key, ControllerLoop::Finish finish) {
    auto [ns, name] = split_key(key);
    auto svc = api::as<api::Service>(services_->get(key));
    auto current = api::as<api::Endpoints>(endpoints_->get(key));
    if (!svc) {
      if (!current) return finish(std::nullopt);
      client_.remove<api::Endpoints>(
          ns, name, {}, [finish](api::Result<std::shared_ptr<const api::Endpoints>> r) {
            finish(r || is_not_found(r.error()) ? std::nullopt
                                                : std::optional<api::Status>(r.error()));
          });
      return;
    }
    // Services without a selector have hand-made Endpoints: not ours to touch.
    if (!selects_pods(*svc)) return finish(std::nullopt);
    auto selector = api::labels::Selector::from_set(svc->spec.selector);
    std::vector<PodPtr> pods;
    for (auto& o : pods_->by_index(client::kNamespaceIndex, ns))
      if (auto pod = api::as<api::Pod>(o); pod && selector.matches(pod->metadata.labels))
        pods.push_back(pod);
    api::Endpoints want;
    want.metadata.namespace_ = ns;
    want.metadata.name = name;
    want.metadata.labels = endpoints_labels(*svc);
    want.subsets = compute_subsets(*svc, pods);
    auto done = [finish](api::Result<std::shared_ptr<const api::Endpoints>> r) {
      // AlreadyExists/Conflict: the cache is behind; the informer's event brings us back.
      finish(r ? std::nullopt : std::optional<api::Status>(r.error()));
    };
    if (!current) return client_.create<api::Endpoints>(want, done);
    if (current->subsets == want.subsets && current->metadata.labels == want.metadata.labels)
      return finish(std::nullopt);
    api::Endpoints update = *current;
    update.metadata.labels = want.metadata.labels;
    update.subsets = std::move(want.subsets);
    client_.update<api::Endpoints>(update, done);
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  std::shared_ptr<const client::Cache> services_, pods_, endpoints_;
};

}  // namespace

api::Result<caf::actor> spawn_endpoints_controller(const Context& ctx,
                                                   const ControllerManagerOptions& opts) {
  return spawn_controller<EndpointsController>(ctx, opts.workers);
}

}  // namespace kactor::actors::controllers
