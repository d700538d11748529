#include "actors/tokens/jwt.hpp"

#include <stdexcept>

#include <openssl/err.h>
#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "actors/tokens/base64url.hpp"

namespace kactor::tokens {
namespace {

using nlohmann::json;

// Upstream's legacy claim names (serviceaccount/legacy.go).
constexpr const char* kLegacyNamespace = "kubernetes.io/serviceaccount/namespace";
constexpr const char* kLegacySecretName = "kubernetes.io/serviceaccount/secret.name";
constexpr const char* kLegacyAccountName = "kubernetes.io/serviceaccount/service-account.name";
constexpr const char* kLegacyAccountUid = "kubernetes.io/serviceaccount/service-account.uid";

api::Status unauthorized(std::string why) {
  api::Status s;
  s.code = 401;
  s.reason = "Unauthorized";
  s.message = std::move(why);
  return s;
}

struct DigestCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using DigestCtx = std::unique_ptr<EVP_MD_CTX, DigestCtxFree>;

std::string sign_rs256(EVP_PKEY* key, std::string_view input) {
  DigestCtx ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1) {
    ERR_clear_error();
    return {};
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    ERR_clear_error();
    return {};
  }
  sig.resize(len);
  return sig;
}

bool verify_rs256(EVP_PKEY* key, std::string_view input, std::string_view sig) {
  DigestCtx ctx(EVP_MD_CTX_new());
  bool ok = ctx &&
            EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()),
                             sig.size(), reinterpret_cast<const unsigned char*>(input.data()),
                             input.size()) == 1;
  ERR_clear_error();
  return ok;
}

/// A string member, "" when absent or of another type (json::value would throw).
std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json bound(const BoundObject& o) { return {{"name", o.name}, {"uid", o.uid}}; }

std::optional<BoundObject> read_bound(const json& private_claim, const char* key) {
  auto it = private_claim.find(key);
  if (it == private_claim.end() || !it->is_object()) return std::nullopt;
  return BoundObject{text(*it, "name"), text(*it, "uid")};
}

json claims_json(const Claims& c, const std::string& issuer) {
  json j;
  if (c.legacy) {
    j["iss"] = kLegacyIssuer;
    j[kLegacyNamespace] = c.namespace_;
    j[kLegacySecretName] = c.secret ? c.secret->name : "";
    j[kLegacyAccountName] = c.service_account.name;
    j[kLegacyAccountUid] = c.service_account.uid;
    j["sub"] = service_account_user(c.namespace_, c.service_account.name);
    return j;
  }
  j["iss"] = c.issuer.empty() ? issuer : c.issuer;
  j["sub"] = service_account_user(c.namespace_, c.service_account.name);
  j["aud"] = c.audiences;
  j["iat"] = c.issued_at;
  j["nbf"] = c.not_before;
  j["exp"] = c.expires;
  json k{{"namespace", c.namespace_}, {"serviceaccount", bound(c.service_account)}};
  if (c.pod) k["pod"] = bound(*c.pod);
  if (c.secret) k["secret"] = bound(*c.secret);
  if (c.node) k["node"] = bound(*c.node);
  if (c.warn_after) k["warnafter"] = *c.warn_after;
  j["kubernetes.io"] = std::move(k);
  return j;
}

/// The claims of a payload, or why it is not a service-account token.
api::Result<Claims> read_claims(const json& j, const std::string& issuer) {
  if (!j.is_object()) return api::fail(unauthorized("the token's claims are not a JSON object"));
  Claims c;
  c.issuer = text(j, "iss");
  c.subject = text(j, "sub");
  if (c.issuer == kLegacyIssuer) {
    c.legacy = true;
    c.namespace_ = text(j, kLegacyNamespace);
    c.service_account = {text(j, kLegacyAccountName), text(j, kLegacyAccountUid)};
    c.secret = BoundObject{text(j, kLegacySecretName), ""};
  } else if (c.issuer == issuer) {
    auto aud = j.find("aud");
    if (aud != j.end() && aud->is_string()) c.audiences.push_back(aud->get<std::string>());
    if (aud != j.end() && aud->is_array())
      for (const auto& a : *aud)
        if (a.is_string()) c.audiences.push_back(a.get<std::string>());
    auto number = [&](const char* key) -> int64_t {
      auto it = j.find(key);
      return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
    };
    c.issued_at = number("iat");
    c.not_before = number("nbf");
    c.expires = number("exp");
    auto k = j.find("kubernetes.io");
    if (k == j.end() || !k->is_object())
      return api::fail(unauthorized("the token has no kubernetes.io claim"));
    c.namespace_ = text(*k, "namespace");
    if (auto sa = read_bound(*k, "serviceaccount")) c.service_account = *sa;
    c.pod = read_bound(*k, "pod");
    c.secret = read_bound(*k, "secret");
    c.node = read_bound(*k, "node");
    if (auto w = k->find("warnafter"); w != k->end() && w->is_number_integer())
      c.warn_after = w->get<int64_t>();
  } else {
    return api::fail(unauthorized("the token's issuer is not this cluster's"));
  }
  if (c.namespace_.empty() || c.service_account.name.empty())
    return api::fail(unauthorized("the token names no service account"));
  if (c.subject != service_account_user(c.namespace_, c.service_account.name))
    return api::fail(unauthorized("the token's subject does not match its service account"));
  return c;
}

}  // namespace

const SigningKey& TokenIssuer::key() const {
  std::call_once(generated_, [this] {
    if (key_) return;  // given at construction
    auto fresh = SigningKey::generate();
    if (!fresh) throw std::runtime_error("service-account signing key: " + fresh.error().message);
    key_.emplace(std::move(*fresh));
  });
  return *key_;
}

std::string TokenIssuer::issue(const Claims& claims) const {
  json header{{"alg", "RS256"}, {"kid", key().key_id()}};
  std::string input =
      base64url_encode(header.dump()) + "." + base64url_encode(claims_json(claims, issuer_).dump());
  auto sig = sign_rs256(key().get(), input);
  return input + "." + base64url_encode(sig);
}

api::Result<Claims> TokenIssuer::verify(std::string_view token, int64_t now_unix) const {
  auto first = token.find('.');
  auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return api::fail(unauthorized("not a JWT (three dot-separated parts)"));
  auto header_text = base64url_decode(token.substr(0, first));
  auto payload_text = base64url_decode(token.substr(first + 1, second - first - 1));
  auto sig = base64url_decode(token.substr(second + 1));
  if (!header_text || !payload_text || !sig)
    return api::fail(unauthorized("a part of the token is not base64url"));
  auto header = json::parse(*header_text, nullptr, false);
  // Only RS256: a token may not choose its own algorithm ("none", HS256 keyed with the public
  // key, ...), the classic JWT mistakes.
  if (!header.is_object() || text(header, "alg") != "RS256")
    return api::fail(unauthorized("the token is not signed with RS256"));
  if (!verify_rs256(key().get(), token.substr(0, second), *sig))
    return api::fail(unauthorized("the token's signature is invalid"));
  auto payload = json::parse(*payload_text, nullptr, false);
  auto claims = read_claims(payload, issuer_);
  if (!claims || claims->legacy) return claims;
  if (claims->expires == 0 || now_unix >= claims->expires)
    return api::fail(unauthorized("the token has expired"));
  if (now_unix < claims->not_before)
    return api::fail(unauthorized("the token is not valid yet"));
  return claims;
}

}  // namespace kactor::tokens
