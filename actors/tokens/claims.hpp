// What a service-account token says (upstream's claims, serviceaccount/claims.go): the
// registered JWT claims and the private "kubernetes.io" claim of bound tokens, or the flat
// "kubernetes.io/serviceaccount/..." claims of legacy Secret tokens.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kactor::tokens {

/// The issuer of TokenRequest tokens (kube-apiserver --service-account-issuer, as kubeadm
/// sets it), and the default audience: the API server accepts tokens meant for it.
inline constexpr std::string_view kDefaultIssuer = "https://kubernetes.default.svc.cluster.local";
/// The issuer of legacy Secret tokens (upstream's LegacyIssuer).
inline constexpr std::string_view kLegacyIssuer = "kubernetes/serviceaccount";
/// "system:serviceaccount:" + namespace + ":" + name is the user a token authenticates as.
inline constexpr std::string_view kUserPrefix = "system:serviceaccount:";
inline constexpr std::string_view kAllGroup = "system:serviceaccounts";

/// An object a token is bound to: it stops being valid when the object goes.
struct BoundObject {
  std::string name;
  std::string uid;
  bool operator==(const BoundObject&) const = default;
};

struct Claims {
  std::string issuer;  ///< iss
  std::string subject; ///< sub: system:serviceaccount:<ns>:<name>
  std::vector<std::string> audiences;  ///< aud (empty for legacy tokens)
  int64_t issued_at = 0;   ///< iat, Unix seconds (0: absent, legacy)
  int64_t not_before = 0;  ///< nbf
  int64_t expires = 0;     ///< exp (0: never, legacy)
  std::string namespace_;
  BoundObject service_account;
  std::optional<BoundObject> pod;
  std::optional<BoundObject> secret;
  std::optional<BoundObject> node;
  /// kubernetes.io.warnafter: set on tokens whose expiry the API server extended (the 3607 s
  /// tokens of the projected volume), the time after which using it is worth a warning.
  std::optional<int64_t> warn_after;
  /// A legacy Secret token (iss kubernetes/serviceaccount, no expiry, no audience).
  bool legacy = false;
  bool operator==(const Claims&) const = default;
};

/// "system:serviceaccount:<ns>:<name>".
std::string service_account_user(std::string_view namespace_, std::string_view name);
/// The groups of a service account's user: system:serviceaccounts and
/// system:serviceaccounts:<ns> (the authenticator adds system:authenticated).
std::vector<std::string> service_account_groups(std::string_view namespace_);

}  // namespace kactor::tokens
