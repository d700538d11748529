// Core: serviceaccounts/<name>/token — a TokenRequest answered with a signed, bound token, as
// upstream's token REST storage (pkg/registry/core/serviceaccount/storage/token.go).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "actors/apiserver/core.hpp"
#include "actors/tokens/jwt.hpp"
#include "api/types/all.hpp"
#include "api/types/authentication.hpp"

namespace kactor::apiserver {
namespace {

/// The projected volume's token lifetime (admission/service_account.cpp), which marks a
/// kubelet-refreshed token, and the lifetime such a token really gets (upstream's
/// WarnOnlyBoundTokenExpirationSeconds and ExpirationExtensionSeconds).
constexpr int64_t kWarnOnlyExpirationSeconds = 3607;
constexpr int64_t kExtendedExpirationSeconds = 24 * 365 * 60 * 60;

api::Status invalid_token_request(const std::string& name, std::vector<api::StatusCause> causes) {
  return api::invalid("TokenRequest", name, std::move(causes), "authentication.k8s.io");
}

}  // namespace

Response Core::token(const Request& req) {
  const auto* asked = req.object ? api::as<api::TokenRequest>(*req.object) : nullptr;
  if (!asked) return error_response(api::bad_request("a TokenRequest object is required"));
  auto tr = std::make_shared<api::TokenRequest>(*asked);
  const std::string& name = req.name;
  const std::string& ns = req.namespace_;
  if (!tr->metadata.name.empty() && tr->metadata.name != name)
    return error_response(invalid_token_request(
        name, {api::field_invalid("metadata.name", "\"" + tr->metadata.name + "\"",
                                  "must match the service account name if specified")}));
  if (!tr->metadata.namespace_.empty() && tr->metadata.namespace_ != ns)
    return error_response(invalid_token_request(
        name, {api::field_invalid("metadata.namespace", "\"" + tr->metadata.namespace_ + "\"",
                                  "must match the service account namespace if specified")}));
  auto sa_obj = tables_.find(api::ServiceAccount::static_type(), ns, name);
  if (!sa_obj) return error_response(api::not_found("serviceaccounts", name));

  if (!tokens_.issuer) {
    // A standalone API server (tests, embedding programs) signs with a key of its own.
    auto key = tokens::SigningKey::generate();
    if (!key) return error_response(key.error());
    tokens_.issuer = std::make_shared<tokens::TokenIssuer>(std::move(*key));
  }
  const auto& issuer = *tokens_.issuer;
  const auto api_audiences = tokens_.api_audiences.empty()
                                 ? std::vector<std::string>{issuer.issuer()}
                                 : tokens_.api_audiences;
  if (tr->spec.audiences.empty()) tr->spec.audiences = api_audiences;
  tr->metadata.name = name;
  tr->metadata.namespace_ = ns;
  const auto now = clock_.now();
  tr->metadata.creation_timestamp = now_seconds();
  tr->status = {};
  api::set_defaults(*tr);
  std::vector<api::StatusCause> causes;
  api::validate(*tr, nullptr, causes);
  if (!causes.empty()) return error_response(invalid_token_request("", std::move(causes)));

  tokens::Claims claims;
  claims.namespace_ = ns;
  claims.service_account = {name, sa_obj->metadata.uid};
  claims.audiences = tr->spec.audiences;
  bool pod_bound = false;
  if (const auto& ref = tr->spec.bound_object_ref) {
    const api::TypeInfo* type = nullptr;
    if (ref->api_version == "v1" && ref->kind == "Pod") type = &api::Pod::static_type();
    if (ref->api_version == "v1" && ref->kind == "Secret") type = &api::Secret::static_type();
    if (!type)
      return error_response(api::bad_request(
          "cannot bind token for serviceaccount \"" + name + "\" to object of type " +
          (ref->api_version.empty() ? "" : ref->api_version + ", ") + "Kind=" + ref->kind +
          " (only v1 Pod and v1 Secret)"));
    auto bound = tables_.find(*type, ns, ref->name);
    if (!bound) return error_response(api::not_found(type->resource, ref->name));
    if (!ref->uid.empty() && ref->uid != bound->metadata.uid)
      return error_response(api::conflict(
          ref->kind, ref->name,
          "the UID in the bound object reference (" + ref->uid +
              ") does not match the UID in record. The object might have been deleted and then "
              "recreated"));
    tokens::BoundObject object{ref->name, bound->metadata.uid};
    if (const auto* pod = api::as<api::Pod>(*bound)) {
      if (pod->spec.service_account_name != name)
        return error_response(api::bad_request("cannot bind token for serviceaccount \"" + name +
                                               "\" to pod running with different serviceaccount "
                                               "name."));
      claims.pod = object;
      pod_bound = true;
      // The pod's node, when it has one (upstream's ServiceAccountTokenPodNodeInfo).
      if (!pod->spec.node_name.empty())
        if (auto node = tables_.find(api::Node::static_type(), "", pod->spec.node_name))
          claims.node = tokens::BoundObject{node->metadata.name, node->metadata.uid};
    } else {
      claims.secret = object;
    }
  }
  int64_t requested = *tr->spec.expiration_seconds;
  if (tokens_.max_expiration_seconds > 0 && requested > tokens_.max_expiration_seconds) {
    spdlog::warn("requested expiration of {} seconds shortened to {} seconds", requested,
                 tokens_.max_expiration_seconds);
    requested = tokens_.max_expiration_seconds;
    tr->spec.expiration_seconds = requested;
  }
  const int64_t now_unix =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  int64_t lifetime = requested;
  const bool kube_audiences = std::ranges::all_of(tr->spec.audiences, [&](const std::string& a) {
    return std::ranges::count(api_audiences, a) > 0;
  });
  if (tokens_.extend_expiration && pod_bound && requested == kWarnOnlyExpirationSeconds &&
      kube_audiences) {
    claims.warn_after = now_unix + requested;
    lifetime = kExtendedExpirationSeconds;
  }
  claims.issued_at = claims.not_before = now_unix;
  claims.expires = now_unix + lifetime;
  tr->status.token = issuer.issue(claims);
  // The requested expiry, not the extended one: what the client asked for (as upstream).
  tr->status.expiration_timestamp =
      api::Time{std::chrono::floor<std::chrono::seconds>(now) + std::chrono::seconds(requested)};
  Response r;
  r.object = std::move(tr);
  return r;
}

}  // namespace kactor::apiserver
