// authentication.k8s.io/v1: TokenRequest, a request for a service account's token, created
// through serviceaccounts/<name>/token and answered with the token; SelfSubjectReview, a user
// asking who the server takes it for (`kubectl auth whoami`). Never stored, so they are not in
// the registry of kinds; their TypeInfo serves the codecs, defaulting and validation.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/object.hpp"

namespace kactor::api {

/// The object a token is bound to: it is valid only while that object exists with this uid.
struct BoundObjectReference {
  std::string kind;  ///< Pod or Secret
  std::string api_version;
  std::string name;
  std::string uid;
  bool operator==(const BoundObjectReference&) const = default;
};
template <class V>
void describe(V& v, BoundObjectReference& x) {
  v("kind", x.kind);
  v("apiVersion", x.api_version);
  v("name", x.name);
  v("uid", x.uid);
}

struct TokenRequestSpec {
  /// Who may accept the token; empty: the API server's own audiences.
  std::vector<std::string> audiences;
  /// Requested lifetime; defaulted to 3600, at least 600.
  std::optional<int64_t> expiration_seconds;
  std::optional<BoundObjectReference> bound_object_ref;
  bool operator==(const TokenRequestSpec&) const = default;
};
template <class V>
void describe(V& v, TokenRequestSpec& x) {
  v("audiences", x.audiences, keep_zero);
  v("expirationSeconds", x.expiration_seconds);
  v("boundObjectRef", x.bound_object_ref);
}

struct TokenRequestStatus {
  std::string token;
  Time expiration_timestamp;
  bool operator==(const TokenRequestStatus&) const = default;
};
template <class V>
void describe(V& v, TokenRequestStatus& x) {
  v("token", x.token, keep_zero);
  v("expirationTimestamp", x.expiration_timestamp, keep_zero);
}

struct TokenRequest : ObjectBase<TokenRequest> {
  TokenRequestSpec spec;
  TokenRequestStatus status;
  static const TypeInfo& static_type();
  bool operator==(const TokenRequest&) const = default;
};
template <class V>
void describe(V& v, TokenRequest& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

/// Who a request was authenticated as.
struct UserInfo {
  std::string username;
  std::string uid;
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;
  bool operator==(const UserInfo&) const = default;
};
template <class V>
void describe(V& v, UserInfo& x) {
  v("username", x.username);
  v("uid", x.uid);
  v("groups", x.groups);
  v("extra", x.extra);
}

struct SelfSubjectReviewStatus {
  UserInfo user_info;
  bool operator==(const SelfSubjectReviewStatus&) const = default;
};
template <class V>
void describe(V& v, SelfSubjectReviewStatus& x) {
  v("userInfo", x.user_info, keep_zero);
}

/// Has no spec: the answer is about the request itself.
struct SelfSubjectReview : ObjectBase<SelfSubjectReview> {
  SelfSubjectReviewStatus status;
  static const TypeInfo& static_type();
  bool operator==(const SelfSubjectReview&) const = default;
};
template <class V>
void describe(V& v, SelfSubjectReview& x) {
  v("metadata", x.metadata, keep_zero);
  v("status", x.status, keep_zero);
}

/// expirationSeconds 3600 when unset (upstream's SetDefaults_TokenRequestSpec).
void set_defaults(TokenRequest& r);
/// expirationSeconds between 10 minutes and 2^32 seconds, upstream's messages.
void validate(const TokenRequest& r, const TokenRequest* old, std::vector<StatusCause>& causes);

}  // namespace kactor::api
