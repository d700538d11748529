// Service-account JWTs: issuing (RS256, signed with the cluster's SigningKey) and verifying.
// Verification here is cryptographic and temporal only; validate.hpp adds the cluster checks
// (the service account and bound objects still exist) and is what authentication calls.
#pragma once

#include <mutex>
#include <optional>

#include <string>
#include <string_view>

#include "actors/tokens/claims.hpp"
#include "actors/tokens/signing_key.hpp"
#include "api/status.hpp"

namespace kactor::tokens {

class TokenIssuer {
 public:
  explicit TokenIssuer(SigningKey key, std::string issuer = std::string(kDefaultIssuer))
      : key_(std::move(key)), issuer_(std::move(issuer)) {}
  /// An issuer whose key is generated the first time it is needed (a cluster without a data
  /// directory: generating an RSA key costs ~100 ms, and most such clusters — tests,
  /// embedded ones — never sign or check a token). Thread-safe; a failed generation throws
  /// (the callers' exception boundaries answer 500).
  explicit TokenIssuer(std::string issuer = std::string(kDefaultIssuer))
      : issuer_(std::move(issuer)) {}
  TokenIssuer(const TokenIssuer&) = delete;
  TokenIssuer& operator=(const TokenIssuer&) = delete;

  const std::string& issuer() const { return issuer_; }
  const SigningKey& key() const;

  /// The signed compact JWT of `claims` (header {"alg":"RS256","kid":...}). Bound tokens get
  /// this issuer as iss unless `claims.issuer` is set; legacy claims are written in upstream's
  /// flat legacy form.
  std::string issue(const Claims& claims) const;

  /// The claims of `token` when it is a well-formed RS256 JWT signed by this key, of this
  /// issuer (or the legacy one), and valid at `now_unix` (nbf ≤ now < exp). Anything else is
  /// an Unauthorized Status whose message says why (alg "none" and every other algorithm are
  /// refused, whatever the header claims).
  api::Result<Claims> verify(std::string_view token, int64_t now_unix) const;

 private:
  mutable std::once_flag generated_;
  mutable std::optional<SigningKey> key_;
  std::string issuer_;
};

}  // namespace kactor::tokens
