// The service account controller: every namespace that is not terminating has a
// ServiceAccount named "default" (recreated if deleted).
#include "actors/client/async_client.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/registry.hpp"
#include "api/types/all.hpp"

namespace kactor::actors::controllers {

namespace {

constexpr const char* kDefaultAccount = "default";

class ServiceAccountController : public std::enable_shared_from_this<ServiceAccountController> {
 public:
  ServiceAccountController(caf::event_based_actor* self, const Context& ctx, int workers)
      : loop_(self, ctx, "serviceaccount", workers), client_(self, *ctx.apiserver) {}

  caf::behavior start() {
    namespaces_ = loop_
                      .watch(api::Namespace::static_type(),
                             [this](const client::InformerEvent& e) {
                               if (e.type != client::InformerEvent::Type::deleted)
                                 loop_.enqueue(e.object->metadata.name);
                             })
                      .cache;
    accounts_ = loop_
                    .watch(api::ServiceAccount::static_type(),
                           [this](const client::InformerEvent& e) {
                             if (e.type == client::InformerEvent::Type::deleted &&
                                 e.object->metadata.name == kDefaultAccount)
                               loop_.enqueue(e.object->metadata.namespace_);
                           })
                    .cache;
    return loop_.run(shared_from_this());
  }

 private:
  void sync(const std::string& ns, ControllerLoop::Finish finish) {
    auto n = api::as<api::Namespace>(namespaces_->get(ns));
    if (!n || n->metadata.deletion_timestamp || n->status.phase == "Terminating")
      return finish(std::nullopt);
    if (accounts_->get(ns + "/" + kDefaultAccount)) return finish(std::nullopt);
    api::ServiceAccount sa;
    sa.metadata.namespace_ = ns;
    sa.metadata.name = kDefaultAccount;
    client_.create<api::ServiceAccount>(
        sa, [finish](api::Result<std::shared_ptr<const api::ServiceAccount>> r) {
          // AlreadyExists: our cache was behind. Forbidden: the namespace began terminating.
          if (r || is_already_exists(r.error()) || is_forbidden(r.error()))
            return finish(std::nullopt);
          finish(r.error());
        });
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  std::shared_ptr<const client::Cache> namespaces_, accounts_;
};

}  // namespace

api::Result<caf::actor> spawn_serviceaccount_controller(const Context& ctx,
                                                        const ControllerManagerOptions& opts) {
  return spawn_controller<ServiceAccountController>(ctx, opts.workers);
}

}  // namespace kactor::actors::controllers
