// authentication.k8s.io/v1: TokenRequest, the body of serviceaccounts/<name>/token that
// kubectl create token sends (as protobuf from kubectl 1.32), and the SelfSubjectReview
// kubectl auth whoami sends.
#include "actors/http/protobuf/detail/schema.hpp"

namespace kactor::http::protobuf::detail {

namespace {

const Message& bound_object_reference() {
  static constexpr Field fields[] = {
      value(1, "kind", Type::string),
      value(2, "apiVersion", Type::string),
      value(3, "name", Type::string),
      value(4, "uid", Type::string),
  };
  static constexpr Message m{"k8s.io.api.authentication.v1.BoundObjectReference", fields};
  return m;
}

const Message& token_request_spec() {
  static constexpr Field fields[] = {
      list(1, "audiences", Type::string),
      pointer(4, "expirationSeconds", Type::int64),
      nested(3, "boundObjectRef", &bound_object_reference),
  };
  static constexpr Message m{"k8s.io.api.authentication.v1.TokenRequestSpec", fields};
  return m;
}

const Message& token_request_status() {
  static constexpr Field fields[] = {
      value(1, "token", Type::string),
      value(2, "expirationTimestamp", Type::time),
  };
  static constexpr Message m{"k8s.io.api.authentication.v1.TokenRequestStatus", fields};
  return m;
}

const Message& user_info() {
  // extra (4, map<string, ExtraValue>) is left out: a client asking who it is sends no user,
  // and the JSON of an ExtraValue is a bare list the tables cannot describe.
  static constexpr Field fields[] = {
      value(1, "username", Type::string),
      value(2, "uid", Type::string),
      list(3, "groups", Type::string),
  };
  static constexpr Message m{"k8s.io.api.authentication.v1.UserInfo", fields};
  return m;
}

const Message& self_subject_review_status() {
  static constexpr Field fields[] = {
      nested(1, "userInfo", &user_info),
  };
  static constexpr Message m{"k8s.io.api.authentication.v1.SelfSubjectReviewStatus", fields};
  return m;
}

}  // namespace

const Message& self_subject_review() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "status", &self_subject_review_status),
  };
  static constexpr Message m{"k8s.io.api.authentication.v1.SelfSubjectReview", fields};
  return m;
}

const Message& token_request() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &token_request_spec),
      nested(3, "status", &token_request_status),
  };
  static constexpr Message m{"k8s.io.api.authentication.v1.TokenRequest", fields};
  return m;
}

}  // namespace kactor::http::protobuf::detail
