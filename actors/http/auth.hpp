// Authentication: who a request comes from, by bearer token or by verified client certificate.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/ssl.h>

#include "actors/http/exchange.hpp"  // UserInfo
#include "actors/http/openssl_ptr.hpp"
#include "actors/http/pki.hpp"

namespace kactor::http {

/// The group every authenticated user is in, as upstream's authenticator chain adds it.
inline constexpr std::string_view kAuthenticatedGroup = "system:authenticated";

/// A further source of bearer tokens, consulted for a token that is not the admin's: the hook
/// for service-account tokens (a later issue). Given the token, it answers the user, or nullopt
/// when it does not know the token. It is called concurrently from the server's I/O threads, so
/// it must be thread-safe, and should be quick (no calls to the API server on the hot path:
/// validate against a cache or a signature). The Authenticator adds system:authenticated.
using TokenValidator = std::function<std::optional<UserInfo>(std::string_view token)>;

/// Maps credentials to users. Immutable once built, so any number of threads may use one.
class Authenticator {
 public:
  /// Knows the admin token of `pki` and trusts client certificates signed by its CA; `tokens`,
  /// if set, is asked about every other bearer token.
  explicit Authenticator(const ClusterPki& pki, TokenValidator tokens = {});

  /// An "Authorization" header value → its user, as upstream's bearer-token authenticator reads
  /// it: "Bearer" (any case), one space, the token; text after a further space is ignored. The
  /// admin token (compared in constant time) is kactor-admin in system:masters. nullopt for a
  /// missing, empty, non-Bearer ("Basic ...") or unknown token.
  std::optional<UserInfo> from_bearer(std::string_view authorization_header) const;

  /// The client certificate of a TLS connection after its handshake → the user named by its
  /// subject: CN the name, each O a group (as upstream's x509 authenticator). nullopt when the
  /// peer sent none, OpenSSL's verification did not pass, it is not signed by the cluster CA
  /// (whatever the SSL_CTX trusted), or it has no single non-empty CN.
  std::optional<UserInfo> from_peer_certificate(const SSL* ssl) const;

 private:
  /// SHA-256 of the admin token: comparing digests keeps the comparison constant-time and
  /// independent of the presented token's length.
  std::array<unsigned char, 32> admin_token_digest_{};
  X509Ptr ca_;
  TokenValidator tokens_;
};

}  // namespace kactor::http
