#include "actors/http/kubelet_authz.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "actors/http/pki.hpp"

namespace kactor::http {
namespace {

/// `path` is `prefix` or below it (upstream's isSubpath: "/stats" and "/stats/summary" are,
/// "/statsfoo" is not).
bool is_subpath(std::string_view path, std::string_view prefix) {
  return path == prefix ||
         (path.size() > prefix.size() && path.starts_with(prefix) && path[prefix.size()] == '/');
}

/// system:kubelet-api-admin's subresources of nodes (every verb on each).
constexpr std::array<std::string_view, 5> kKubeletApiAdminSubresources = {
    "proxy", "stats", "metrics", "log", "spec"};

}  // namespace

std::string kubelet_api_verb(std::string_view method) {
  if (method == "GET" || method == "HEAD") return "get";
  if (method == "POST") return "create";
  if (method == "PUT") return "update";
  if (method == "PATCH") return "patch";
  if (method == "DELETE") return "delete";
  return "";
}

std::string kubelet_api_subresource(std::string_view path) {
  if (is_subpath(path, "/stats")) return "stats";
  if (is_subpath(path, "/metrics")) return "metrics";
  if (is_subpath(path, "/logs")) return "log";
  if (is_subpath(path, "/checkpoint")) return "checkpoint";
  return "proxy";
}

KubeletRequestAttributes kubelet_request_attributes(const UserInfo& user,
                                                    std::string_view method,
                                                    std::string_view path,
                                                    const std::string& node) {
  KubeletRequestAttributes a;
  a.user = user.name;
  a.verb = kubelet_api_verb(method);
  a.name = node;
  a.subresource = kubelet_api_subresource(path);
  return a;
}

std::string kubelet_forbidden_message(const KubeletRequestAttributes& a) {
  return fmt::format("Forbidden (user={}, verb={}, resource={}, subresource={})", a.user, a.verb,
                     a.resource, a.subresource);
}

bool static_kubelet_authorizer(const UserInfo& user, const KubeletRequestAttributes& a) {
  const auto& groups = user.groups;
  if (std::find(groups.begin(), groups.end(), kAdminGroup) != groups.end()) return true;
  // Its rule is verb "*", which matches any verb, none included.
  if (user.name == kKubeletClientCommonName && a.resource == "nodes")
    return std::find(kKubeletApiAdminSubresources.begin(), kKubeletApiAdminSubresources.end(),
                     a.subresource) != kKubeletApiAdminSubresources.end();
  return false;
}

}  // namespace kactor::http
