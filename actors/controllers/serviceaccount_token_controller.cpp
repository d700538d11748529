// The legacy token controller ("serviceaccount-token"): a Secret of type
// kubernetes.io/service-account-token that names a service account (annotation
// kubernetes.io/service-account.name) gets a never-expiring token of that account in
// data.token, the cluster CA in data.ca.crt and its namespace in data.namespace, and the
// account's uid in the kubernetes.io/service-account.uid annotation. Such a Secret is deleted
// when its account is gone (or was replaced: another uid), as upstream's tokens controller.
#include "actors/client/async_client.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/registry.hpp"
#include "actors/tokens/base64url.hpp"
#include "actors/tokens/jwt.hpp"
#include "api/types/all.hpp"

namespace kactor::actors::controllers {

namespace {

constexpr const char* kTokenType = "kubernetes.io/service-account-token";
constexpr const char* kNameAnnotation = "kubernetes.io/service-account.name";
constexpr const char* kUidAnnotation = "kubernetes.io/service-account.uid";

/// A Secret's data values are standard base64 text.
std::string base64(std::string_view bytes) {
  auto out = tokens::base64url_encode(bytes);
  for (auto& c : out) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (out.size() % 4) out.push_back('=');
  return out;
}

std::string annotation(const api::ObjectMeta& m, const char* key) {
  auto it = m.annotations.find(key);
  return it == m.annotations.end() ? std::string() : it->second;
}

class TokensController : public std::enable_shared_from_this<TokensController> {
 public:
  TokensController(caf::event_based_actor* self, const Context& ctx, int workers,
                   const ControllerManagerOptions& opts)
      : loop_(self, ctx, "serviceaccount-token", workers),
        client_(self, *ctx.apiserver),
        issuer_(opts.token_issuer),
        root_ca_(base64(opts.root_ca_pem)),
        has_root_ca_(!opts.root_ca_pem.empty()) {}

  caf::behavior start() {
    if (!issuer_) {
      // A cluster assembled without a signing key (tests): tokens of a key of our own, which
      // only this controller knows.
      auto key = tokens::SigningKey::generate();
      if (key) issuer_ = std::make_shared<tokens::TokenIssuer>(std::move(*key));
    }
    secrets_ = loop_
                   .watch(api::Secret::static_type(),
                          [this](const client::InformerEvent& e) {
                            if (e.type == client::InformerEvent::Type::deleted) return;
                            const auto& s = static_cast<const api::Secret&>(*e.object);
                            if (s.type == kTokenType) loop_.enqueue(api::object_key(s));
                          })
                   .cache;
    accounts_ = loop_
                    .watch(api::ServiceAccount::static_type(),
                           [this](const client::InformerEvent& e) {
                             // An account that comes or goes decides about its Secrets.
                             for (const auto& o : secrets_->list()) {
                               const auto& s = static_cast<const api::Secret&>(*o);
                               if (s.type == kTokenType &&
                                   s.metadata.namespace_ == e.object->metadata.namespace_ &&
                                   annotation(s.metadata, kNameAnnotation) ==
                                       e.object->metadata.name)
                                 loop_.enqueue(api::object_key(s));
                             }
                           })
                    .cache;
    return loop_.run(shared_from_this());
  }

 private:
  void sync(const std::string& key, ControllerLoop::Finish finish) {
    auto secret = api::as<api::Secret>(secrets_->get(key));
    if (!secret || secret->type != kTokenType || secret->metadata.deletion_timestamp || !issuer_)
      return finish(std::nullopt);
    const auto& meta = secret->metadata;
    const auto account_name = annotation(meta, kNameAnnotation);
    const auto wanted_uid = annotation(meta, kUidAnnotation);
    auto sa = api::as<api::ServiceAccount>(
        accounts_->get(meta.namespace_ + "/" + account_name));
    if (!sa || (!wanted_uid.empty() && wanted_uid != sa->metadata.uid)) {
      // The account is gone: so is its token. The uid precondition spares a Secret that was
      // replaced meanwhile.
      client::DeleteOptions opts;
      opts.precondition_uid = meta.uid;
      return client_.remove<api::Secret>(
          meta.namespace_, meta.name, opts,
          [finish](api::Result<std::shared_ptr<const api::Secret>> r) {
            if (r || is_not_found(r.error()) || is_conflict(r.error())) return finish(std::nullopt);
            finish(r.error());
          });
    }
    api::Secret next = *secret;
    bool changed = false;
    auto set = [&](const std::string& k, const std::string& v) {
      auto& slot = next.data[k];
      if (slot != v) slot = v, changed = true;
    };
    if (has_root_ca_) set("ca.crt", root_ca_);
    if (!next.data.contains("namespace") || next.data["namespace"].empty())
      set("namespace", base64(meta.namespace_));
    if (!next.data.contains("token") || next.data["token"].empty()) {
      tokens::Claims claims;
      claims.legacy = true;
      claims.namespace_ = meta.namespace_;
      claims.service_account = {sa->metadata.name, sa->metadata.uid};
      claims.secret = tokens::BoundObject{meta.name, meta.uid};
      set("token", base64(issuer_->issue(claims)));
    }
    if (wanted_uid.empty()) {
      next.metadata.annotations[kUidAnnotation] = sa->metadata.uid;
      changed = true;
    }
    if (!changed) return finish(std::nullopt);
    client_.update<api::Secret>(next, [finish](api::Result<std::shared_ptr<const api::Secret>> r) {
      // Conflict: the Secret changed meanwhile; its event brings it back here.
      if (r || is_not_found(r.error()) || is_conflict(r.error())) return finish(std::nullopt);
      finish(r.error());
    });
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  std::shared_ptr<const tokens::TokenIssuer> issuer_;
  std::string root_ca_;  ///< base64 of the CA's PEM
  bool has_root_ca_;
  std::shared_ptr<const client::Cache> secrets_, accounts_;
};

}  // namespace

api::Result<caf::actor> spawn_serviceaccount_token_controller(const Context& ctx,
                                                              const ControllerManagerOptions& opts) {
  return spawn_controller<TokensController>(ctx, opts.workers, opts);
}

}  // namespace kactor::actors::controllers
