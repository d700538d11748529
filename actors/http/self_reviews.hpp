// The reviews a user makes about itself, answered where its identity is known:
//  - authorization.k8s.io/v1 selfsubjectaccessreviews: may I do this? (`kubectl auth can-i`)
//  - authorization.k8s.io/v1 selfsubjectrulesreviews: what may I do in this namespace?
//    (`kubectl auth can-i --list`)
//  - authentication.k8s.io/v1 selfsubjectreviews: who am I to the server? (`kubectl auth whoami`)
// Each is created and answered at once (201 with the review and its status), never stored.
//
// kactor has no authorization (docs/http.md, "Security"): every authenticated user may do
// everything. The answers say exactly that: every access review is allowed, and the rules are
// "*" for every verb, group, resource and non-resource URL.
#pragma once

#include <span>
#include <string_view>

#include "actors/http/exchange.hpp"
#include "actors/http/route.hpp"
#include "api/time/clock.hpp"

namespace kactor::api {
struct TypeInfo;
}

namespace kactor::http {

/// A review resource, as discovery lists it (verb create, cluster-scoped): read from the
/// kind's TypeInfo, the one home of its names.
struct ReviewResource {
  std::string_view group;
  std::string_view version;
  std::string_view name;      // "selfsubjectaccessreviews"
  std::string_view singular;  // "selfsubjectaccessreview"
  std::string_view kind;      // "SelfSubjectAccessReview"
  const api::TypeInfo* type = nullptr;
};

/// The review resources, sorted by group, version and name.
std::span<const ReviewResource> review_resources();
inline constexpr std::string_view kReviewVerbs[] = {"create"};

/// The reason every access review gives.
inline constexpr std::string_view kAllowedReason =
    "kactor has no authorization: every authenticated user may do everything";

/// True for a route to one of the review resources.
bool is_review_route(const Route& route);

/// Serves a request to a review resource: POST only (405 otherwise), no namespace or name
/// (404), the body decoded with the request's fieldValidation, answered 201.
void serve_review(const Route& route, const HttpRequest& request, ExchangePtr exchange,
                  TimePoint now);

}  // namespace kactor::http
