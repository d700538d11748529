// Where a request goes: the URL of a Kubernetes API call taken apart, as kube-apiserver's
// RequestInfo does. Pure code: fuzzed (tests/fuzz/fuzz_http_route.cpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/status.hpp"

namespace kactor::http {

/// A URL query, percent-decoded. A key given twice keeps its first value (as Go's
/// url.Values.Get reads it).
using Query = std::map<std::string, std::string, std::less<>>;

struct Route {
  enum class Kind {
    version,          // /version
    health,           // /healthz /livez /readyz (and /<check>/<name>)
    metrics,          // /metrics
    openapi_v2,       // /openapi/v2
    openapi_v3,       // /openapi/v3 and /openapi/v3/<group-version path>
    discovery_core,   // /api
    discovery_groups, // /apis
    discovery_group,  // /apis/<group>
    discovery_resources,  // /api/v1, /apis/<group>/<version>
    resource,         // everything under a group-version with a resource
    unknown,
  };
  Kind kind = Kind::unknown;
  std::string path;       // decoded path, without the query
  std::string group;      // "" for the core group
  std::string version;
  std::string namespace_;  // "" for cluster-scoped or all namespaces
  std::string resource;    // plural: "pods"
  std::string name;
  std::string subresource;  // "status", "scale", "log", ...
  // openapi_v3: "api/v1" / "apis/apps/v1"; health: "/ping" and the like; nodes/<n>/proxy/<path>:
  // "<path>" ("stats/summary").
  std::string rest;
  Query query;
};

/// Splits a request target ("/api/v1/namespaces/default/pods?limit=500") into a Route.
/// Malformed percent-encoding or path segments ("..", empty names) are a 400 BadRequest.
api::Result<Route> parse_route(std::string_view target);

/// Upstream's 404 for a path nothing serves: "the server could not find the requested resource".
api::Status route_not_found();

/// Upstream's 405 for a method the path does not take; `method`, when given, is named in
/// parentheses after the message.
api::Status method_not_allowed(std::string_view method = {});

/// Percent-decodes a URL component ('+' is a space only in queries); nullopt when malformed.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace kactor::http
