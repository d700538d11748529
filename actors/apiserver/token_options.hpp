// How the API server issues service-account tokens through serviceaccounts/<name>/token
// (kube-apiserver's --service-account-* and --api-audiences flags).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kactor::tokens {
class TokenIssuer;
}

namespace kactor::apiserver {

struct TokenOptions {
  /// Signs the tokens; the HTTP API verifies with the same one. Null: the API server makes an
  /// in-memory key at the first TokenRequest (its tokens then verify nowhere else).
  std::shared_ptr<const tokens::TokenIssuer> issuer;
  /// --api-audiences: a token without audiences gets these; empty: the issuer's URL.
  std::vector<std::string> api_audiences;
  /// --service-account-max-token-expiration in seconds: longer requests are shortened (with a
  /// warning in the log); 0: no maximum.
  int64_t max_expiration_seconds = 0;
  /// --service-account-extend-token-expiration: a pod-bound token requested for 3607 s (the
  /// projected volume's) is valid for a year and carries warnafter at 3607 s.
  bool extend_expiration = true;
};

}  // namespace kactor::apiserver
