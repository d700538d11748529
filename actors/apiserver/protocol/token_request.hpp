// serviceaccounts/<name>/token as a Request: a create of the unstored kind TokenRequest
// (authentication.k8s.io/v1, resource "tokenrequests") named after the service account, which
// the API server answers with the TokenRequest and its token (core_token.cpp). A create, as
// upstream's TokenRequest REST storage is a creater; no Verb of its own, so the protocol and
// its wire values stay as they are.
#pragma once

#include <string>

#include "actors/apiserver/protocol/protocol.hpp"

namespace kactor::apiserver {

inline constexpr const char* kTokenRequestGroup = "authentication.k8s.io";
inline constexpr const char* kTokenRequestResource = "tokenrequests";

/// The request for a token of service account `namespace_`/`service_account`; `token_request`
/// is an api::TokenRequest (its spec: audiences, expirationSeconds, boundObjectRef).
inline Request token_request(std::string namespace_, std::string service_account,
                             api::ObjectPtr token_request) {
  Request r;
  r.verb = Verb::create;
  r.group = kTokenRequestGroup;
  r.resource = kTokenRequestResource;
  r.namespace_ = std::move(namespace_);
  r.name = std::move(service_account);
  r.object = std::move(token_request);
  return r;
}

inline bool is_token_request(const Request& r) {
  return r.verb == Verb::create && r.group == kTokenRequestGroup &&
         r.resource == kTokenRequestResource;
}

}  // namespace kactor::apiserver
