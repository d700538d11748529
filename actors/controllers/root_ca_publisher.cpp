// The root CA publisher ("root-ca-cert-publisher"): every namespace that is not terminating
// has a ConfigMap kube-root-ca.crt whose ca.crt is the cluster CA, so pods can verify the API
// server (the kube-api-access volume projects it). Recreated when deleted, restored when
// edited; nothing is published in a cluster without a CA (no TLS).
#include "actors/client/async_client.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/registry.hpp"
#include "api/types/all.hpp"

namespace kactor::actors::controllers {

namespace {

constexpr const char* kConfigMapName = "kube-root-ca.crt";
constexpr const char* kCaKey = "ca.crt";
constexpr const char* kDescriptionAnnotation = "kubernetes.io/description";
// Upstream's text, word for word.
constexpr const char* kDescription =
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
    "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
    "guaranteed across distributions of Kubernetes clusters.";

class RootCaPublisher : public std::enable_shared_from_this<RootCaPublisher> {
 public:
  RootCaPublisher(caf::event_based_actor* self, const Context& ctx, int workers,
                  std::string root_ca)
      : loop_(self, ctx, "root-ca-cert-publisher", workers),
        client_(self, *ctx.apiserver),
        root_ca_(std::move(root_ca)) {}

  caf::behavior start() {
    namespaces_ = loop_
                      .watch(api::Namespace::static_type(),
                             [this](const client::InformerEvent& e) {
                               if (e.type != client::InformerEvent::Type::deleted)
                                 loop_.enqueue(e.object->metadata.name);
                             })
                      .cache;
    config_maps_ = loop_
                       .watch(api::ConfigMap::static_type(),
                              [this](const client::InformerEvent& e) {
                                if (e.object->metadata.name == kConfigMapName)
                                  loop_.enqueue(e.object->metadata.namespace_);
                              })
                       .cache;
    return loop_.run(shared_from_this());
  }

 private:
  void sync(const std::string& ns, ControllerLoop::Finish finish) {
    auto n = api::as<api::Namespace>(namespaces_->get(ns));
    if (root_ca_.empty() || !n || n->metadata.deletion_timestamp ||
        n->status.phase == "Terminating")
      return finish(std::nullopt);
    auto done = [finish](api::Result<std::shared_ptr<const api::ConfigMap>> r) {
      // AlreadyExists / Conflict: our cache was behind, the event brings us back.
      // Forbidden: the namespace began terminating.
      if (r || is_already_exists(r.error()) || is_conflict(r.error()) ||
          is_forbidden(r.error()) || is_not_found(r.error()))
        return finish(std::nullopt);
      finish(r.error());
    };
    auto current = api::as<api::ConfigMap>(config_maps_->get(ns + "/" + kConfigMapName));
    if (!current) {
      api::ConfigMap cm;
      cm.metadata.namespace_ = ns;
      cm.metadata.name = kConfigMapName;
      cm.metadata.annotations[kDescriptionAnnotation] = kDescription;
      cm.data[kCaKey] = root_ca_;
      return client_.create<api::ConfigMap>(cm, done);
    }
    auto it = current->data.find(kCaKey);
    if (it != current->data.end() && it->second == root_ca_ &&
        current->metadata.annotations.contains(kDescriptionAnnotation))
      return finish(std::nullopt);
    api::ConfigMap next = *current;
    next.data[kCaKey] = root_ca_;
    next.metadata.annotations[kDescriptionAnnotation] = kDescription;
    client_.update<api::ConfigMap>(next, done);
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  std::string root_ca_;  ///< PEM
  std::shared_ptr<const client::Cache> namespaces_, config_maps_;
};

}  // namespace

api::Result<caf::actor> spawn_root_ca_publisher(const Context& ctx,
                                                const ControllerManagerOptions& opts) {
  return spawn_controller<RootCaPublisher>(ctx, opts.workers, opts.root_ca_pem);
}

}  // namespace kactor::actors::controllers
