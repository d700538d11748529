#include "actors/http/self_reviews.hpp"

#include <string>
#include <vector>

#include "actors/http/body.hpp"
#include "actors/http/request_options.hpp"
#include "actors/http/response.hpp"
#include "api/types/authentication.hpp"
#include "api/types/authorization.hpp"

namespace kactor::http {
namespace {

/// The review kinds, in discovery's order (group, version, resource).
using TypeOf = const api::TypeInfo& (*)();
constexpr TypeOf kKinds[] = {
    &api::SelfSubjectReview::static_type,
    &api::SelfSubjectAccessReview::static_type,
    &api::SelfSubjectRulesReview::static_type,
};

const std::vector<ReviewResource>& resources() {
  static const std::vector<ReviewResource> all = [] {
    std::vector<ReviewResource> out;
    for (auto type_of : kKinds) {
      const auto& t = type_of();
      out.push_back({t.group, t.version, t.resource, t.singular, t.kind, &t});
    }
    return out;
  }();
  return all;
}

const ReviewResource* find_resource(const Route& route) {
  for (const auto& r : resources())
    if (route.group == r.group && route.version == r.version && route.resource == r.name) return &r;
  return nullptr;
}

/// Fills in the answer; a Status when the review cannot be answered.
std::optional<api::Status> answer(api::Object& review, const HttpRequest& request) {
  if (auto* access = api::as<api::SelfSubjectAccessReview>(review)) {
    std::vector<api::StatusCause> causes;
    api::validate(*access, nullptr, causes);
    if (!causes.empty())
      return api::invalid("SelfSubjectAccessReview", "", std::move(causes), "authorization.k8s.io");
    access->status = {.allowed = true, .reason = std::string(kAllowedReason)};
    return std::nullopt;
  }
  if (auto* rules = api::as<api::SelfSubjectRulesReview>(review)) {
    if (rules->spec.namespace_.empty()) return api::bad_request("no namespace on request");
    rules->status = {};
    rules->status.resource_rules.push_back(
        {.verbs = {"*"}, .api_groups = {"*"}, .resources = {"*"}});
    rules->status.non_resource_rules.push_back({.verbs = {"*"}, .non_resource_urls = {"*"}});
    return std::nullopt;
  }
  auto* self = api::as<api::SelfSubjectReview>(review);
  self->status = {};
  auto& info = self->status.user_info;
  if (request.user) {
    info.username = request.user->name;
    info.groups = request.user->groups;
  } else {
    // Only --insecure-http serves a request without a user: upstream's anonymous identity.
    info.username = "system:anonymous";
    info.groups = {"system:unauthenticated"};
  }
  return std::nullopt;
}

}  // namespace

std::span<const ReviewResource> review_resources() { return resources(); }

bool is_review_route(const Route& route) {
  return route.kind == Route::Kind::resource && find_resource(route) != nullptr;
}

void serve_review(const Route& route, const HttpRequest& request, ExchangePtr exchange,
                  TimePoint now) {
  const auto* resource = find_resource(route);
  if (!resource || !route.namespace_.empty() || !route.name.empty() || !route.subresource.empty())
    return exchange->respond(status_response(route_not_found()));
  if (request.method != "POST")
    return exchange->respond(status_response(method_not_allowed(request.method)));
  auto options = parse_request_options(route.query);
  if (!options) return exchange->respond(status_response(options.error()));
  auto decoded = decode_body(*resource->type, request.content_type, request.body,
                             options->field_validation);
  if (!decoded) return exchange->respond(status_response(decoded.error()));
  if (auto refused = answer(*decoded->object, request))
    return exchange->respond(status_response(*refused));
  exchange->respond(object_response(201, *decoded->object, response_format(request.accept, ""),
                                    now, decoded->warnings));
}

}  // namespace kactor::http
