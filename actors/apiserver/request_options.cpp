#include "actors/apiserver/request_options.hpp"

#include <fmt/format.h>

namespace kactor::apiserver {
namespace {

/// The group of the option kinds (metav1.DeleteOptions, ListOptions).
constexpr const char* kMetaGroup = "meta.k8s.io";

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

std::optional<api::Status> check_delete_options(const Request& req) {
  const auto& policy = req.propagation_policy;
  if (policy.empty() || policy == "Foreground" || policy == "Background" || policy == "Orphan")
    return std::nullopt;
  // Upstream lists "nil" among the supported values: leaving the policy out is allowed.
  return api::invalid("DeleteOptions", "",
                      {api::field_not_supported("propagationPolicy", quoted(policy),
                                                {"Foreground", "Background", "Orphan", "nil"})},
                      kMetaGroup);
}

std::optional<api::Status> check_list_options(const Request& req) {
  const auto& match = req.resource_version_match;
  if (match.empty()) return std::nullopt;
  std::vector<api::StatusCause> causes;
  const char* field = "resourceVersionMatch";
  if (req.resource_version.empty())
    causes.push_back(api::field_forbidden(
        field, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
  if (!req.continue_token.empty())
    causes.push_back(
        api::field_forbidden(field, "resourceVersionMatch is forbidden when continue is provided"));
  if (match != "Exact" && match != "NotOlderThan")
    causes.push_back(api::field_not_supported(field, quoted(match), {"Exact", "NotOlderThan", ""}));
  if (match == "Exact" && req.resource_version == "0")
    causes.push_back(api::field_forbidden(
        field, "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
  if (causes.empty()) return std::nullopt;
  return api::invalid("ListOptions", "", std::move(causes), kMetaGroup);
}

}  // namespace

api::Status request_entity_too_large(const std::string& detail) {
  api::Status s;
  s.code = 413;
  s.reason = "RequestEntityTooLarge";
  s.message = "Request entity too large: " + detail;
  return s;
}

std::optional<api::Status> check_request_options(const Request& req) {
  switch (req.verb) {
    case Verb::patch:
    case Verb::patch_status:
      if (req.patch_body.size() > api::limits::kMaxRequestBodyBytes)
        return request_entity_too_large(
            fmt::format("limit is {}", api::limits::kMaxRequestBodyBytes));
      return std::nullopt;
    case Verb::remove:
      return check_delete_options(req);
    case Verb::list:
      return check_list_options(req);
    default:
      return std::nullopt;
  }
}

}  // namespace kactor::apiserver
