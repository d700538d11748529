// The one validation of a service-account token, as authentication uses it: the signature and
// times (TokenIssuer::verify), the audience, and that the service account — and the pod or
// Secret the token is bound to — still exist with the uids the token names (upstream's
// serviceaccount validator). The cluster is reached through ObjectLookup, so the HTTP layer
// (or a test) decides how objects are looked up.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/tokens/jwt.hpp"

namespace kactor::tokens {

/// The current uid of an object ("serviceaccounts", "pods" or "secrets" in the core group), or
/// nullopt when it does not exist. A Secret's `token_data` is its data.token (base64 text as
/// stored) so legacy tokens can be checked against the Secret that carries them.
struct LookedUp {
  std::string uid;
  std::string token_data;
  bool deleting = false;  ///< metadata.deletionTimestamp is set
};
class ObjectLookup {
 public:
  virtual ~ObjectLookup() = default;
  virtual std::optional<LookedUp> find(std::string_view resource, std::string_view namespace_,
                                       std::string_view name) const = 0;
};

/// Who a valid token authenticates as.
struct ServiceAccountUser {
  std::string name;  ///< system:serviceaccount:<ns>:<name>
  std::vector<std::string> groups;  ///< system:serviceaccounts, system:serviceaccounts:<ns>
  std::string uid;  ///< the service account's uid
  Claims claims;
};

/// `token` → its user, or an Unauthorized Status saying why not. `api_audiences` are the
/// audiences the API server answers to (kube-apiserver --api-audiences; default: the issuer):
/// a bound token must name one of them. Legacy tokens carry no audience and are accepted while
/// their Secret still holds them.
api::Result<ServiceAccountUser> validate(const TokenIssuer& issuer, std::string_view token,
                                         int64_t now_unix,
                                         const std::vector<std::string>& api_audiences,
                                         const ObjectLookup& lookup);

}  // namespace kactor::tokens
