// Bearer tokens that are service-account JWTs → the account's user, through the one validation
// in actors/tokens/validate.hpp. The objects a token names (the account, a bound pod or Secret)
// are looked up through the ApiBackend; a successful answer is cached for a few seconds, as
// upstream caches token reviews, so a client's burst of requests costs one lookup.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "actors/http/auth.hpp"
#include "actors/http/backend.hpp"
#include "actors/tokens/jwt.hpp"
#include "api/time/clock.hpp"

namespace kactor::http {

struct ServiceAccountAuthOptions {
  /// The API server's audiences (kube-apiserver --api-audiences); empty: the issuer's URL.
  std::vector<std::string> api_audiences;
  /// How long a validated token is trusted without looking its objects up again.
  std::chrono::seconds cache_ttl{10};
  /// How long a lookup may take before the token counts as unknown.
  std::chrono::seconds lookup_timeout{5};
};

/// The TokenValidator for Authenticator: the user system:serviceaccount:<ns>:<name> in
/// system:serviceaccounts and system:serviceaccounts:<ns> for a valid token, nullopt for
/// anything else (not a JWT, another signer, expired, its account or bound object gone). It
/// blocks the calling I/O thread for the lookups of an uncached token (a few hundred
/// microseconds in-process); the backend's callbacks run on other threads.
TokenValidator service_account_token_validator(std::shared_ptr<const tokens::TokenIssuer> issuer,
                                               std::shared_ptr<ApiBackend> backend,
                                               const Clock& clock,
                                               ServiceAccountAuthOptions options = {});

}  // namespace kactor::http
