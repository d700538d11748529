#include "actors/tokens/validate.hpp"

#include <algorithm>

#include "actors/tokens/base64url.hpp"

namespace kactor::tokens {
namespace {

api::Status unauthorized(std::string why) {
  api::Status s;
  s.code = 401;
  s.reason = "Unauthorized";
  s.message = std::move(why);
  return s;
}

/// Standard base64 (a Secret's data) of `text`, to compare with the stored data.token.
std::string base64_std(std::string_view text) {
  auto out = base64url_encode(text);
  std::ranges::replace(out, '-', '+');
  std::ranges::replace(out, '_', '/');
  while (out.size() % 4) out.push_back('=');
  return out;
}

}  // namespace

api::Result<ServiceAccountUser> validate(const TokenIssuer& issuer, std::string_view token,
                                         int64_t now_unix,
                                         const std::vector<std::string>& api_audiences,
                                         const ObjectLookup& lookup) {
  auto claims = issuer.verify(token, now_unix);
  if (!claims) return api::fail(claims.error());
  const auto& c = *claims;
  if (!c.legacy) {
    const auto& wanted = api_audiences.empty() ? std::vector<std::string>{issuer.issuer()}
                                                : api_audiences;
    bool meant_for_us = std::ranges::any_of(
        c.audiences, [&](const std::string& a) { return std::ranges::count(wanted, a) > 0; });
    if (!meant_for_us) return api::fail(unauthorized("the token's audience is not this API server"));
  }
  auto sa = lookup.find("serviceaccounts", c.namespace_, c.service_account.name);
  if (!sa || sa->deleting)
    return api::fail(unauthorized("service account " + c.namespace_ + "/" +
                                  c.service_account.name + " has been deleted"));
  if (!c.service_account.uid.empty() && sa->uid != c.service_account.uid)
    return api::fail(unauthorized("service account UID (" + sa->uid +
                                  ") does not match claim (" + c.service_account.uid + ")"));
  if (c.secret) {
    auto secret = lookup.find("secrets", c.namespace_, c.secret->name);
    if (!secret || secret->deleting)
      return api::fail(unauthorized("secret " + c.namespace_ + "/" + c.secret->name +
                                    " has been deleted"));
    if (!c.secret->uid.empty() && secret->uid != c.secret->uid)
      return api::fail(unauthorized("secret UID (" + secret->uid + ") does not match claim (" +
                                    c.secret->uid + ")"));
    // A legacy token stays valid only while its Secret carries it (a rotated or edited
    // Secret revokes the old token), as upstream's legacy validator checks.
    if (c.legacy && secret->token_data != base64_std(token))
      return api::fail(unauthorized("the token does not match the one in secret " +
                                    c.namespace_ + "/" + c.secret->name));
  }
  if (c.pod) {
    auto pod = lookup.find("pods", c.namespace_, c.pod->name);
    if (!pod)
      return api::fail(unauthorized("pod " + c.namespace_ + "/" + c.pod->name +
                                    " has been deleted"));
    if (pod->uid != c.pod->uid)
      return api::fail(unauthorized("pod UID (" + pod->uid + ") does not match claim (" +
                                    c.pod->uid + ")"));
  }
  return ServiceAccountUser{service_account_user(c.namespace_, c.service_account.name),
                            service_account_groups(c.namespace_), sa->uid, c};
}

}  // namespace kactor::tokens
