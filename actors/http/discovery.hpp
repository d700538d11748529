// The discovery documents kubectl reads before anything else (/api, /apis, /api/v1,
// /apis/<group>/<version>), in both formats: the legacy one (APIVersions, APIGroupList,
// APIResourceList; kubectl 1.20) and the aggregated one (apidiscovery.k8s.io/v2
// APIGroupDiscoveryList; kubectl 1.26+). Pure functions of the registry of built-in kinds and
// of served_resources.hpp, plus metrics.k8s.io/v1beta1 (metrics_api.hpp): metrics-server's
// aggregated group, listed among the others by name.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace kactor::http {

/// The Content-Type of an aggregated discovery answer. kubectl decides which format it got by
/// this header alone: plain application/json means legacy.
inline constexpr std::string_view kAggregatedDiscoveryContentType =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/// True when an Accept header offers aggregated discovery v2 (a media range with
/// g=apidiscovery.k8s.io, v=v2, as=APIGroupDiscoveryList and no q=0).
bool accepts_aggregated_discovery(std::string_view accept);

/// `/api`: {kind: APIVersions, versions: ["v1"], serverAddressByClientCIDRs: [{clientCIDR:
/// "0.0.0.0/0", serverAddress}]}; `server_address` is "host:port" as clients reach the server.
nlohmann::json api_versions(std::string_view server_address);

/// `/apis`: APIGroupList of the named groups, sorted by name.
nlohmann::json api_group_list();

/// `/api/v1` (group "") and `/apis/<group>/<version>`: APIResourceList, resources and
/// subresources sorted by name; nullopt for a group-version that is not served (404).
std::optional<nlohmann::json> api_resource_list(std::string_view group, std::string_view version);

/// `/api` (core = true) or `/apis` (core = false) in the aggregated format: APIGroupDiscoveryList
/// with every resource's responseKind, scope, singularResource, verbs, shortNames, categories and
/// subresources, every version "Current".
nlohmann::json aggregated_discovery(bool core);

}  // namespace kactor::http
