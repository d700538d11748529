#include "actors/http/served_resources.hpp"

#include <algorithm>

#include "api/registry.hpp"
#include "api/served_versions.hpp"

namespace kactor::http {
namespace {

using Verbs = std::span<const std::string_view>;

constexpr std::string_view kEveryVerb[] = {"create", "delete", "deletecollection", "get",
                                           "list",   "patch",  "update",           "watch"};
// Deleting every namespace at once is refused upstream too.
constexpr std::string_view kNamespaceVerbs[] = {"create", "delete", "get",  "list",
                                                "patch",  "update", "watch"};
constexpr std::string_view kCreate[] = {"create"};
constexpr std::string_view kGet[] = {"get"};
constexpr std::string_view kUpdate[] = {"update"};
constexpr std::string_view kGetPatchUpdate[] = {"get", "patch", "update"};

/// Resources whose verbs are not every verb.
struct VerbException {
  std::string_view group;
  std::string_view resource;
  Verbs verbs;
};
constexpr VerbException kVerbExceptions[] = {
    // A Binding is an instruction to the API server (bind a pod), never stored or read back.
    {"", "bindings", kCreate},
    {"", "namespaces", kNamespaceVerbs},
};

constexpr GroupVersionKind kParentKind{};
constexpr GroupVersionKind kScale{"autoscaling", "v1", "Scale"};

/// Every subresource the HTTP API knows, sorted by parent and name. A row whose parent kind is
/// not registered is simply not served.
const SubresourceInfo kSubresources[] = {
    {.name = "status",
     .every_kind_with_status = true,
     .response = kParentKind,
     .verbs = kGetPatchUpdate},
    {.name = "finalize",
     .parent_resource = "namespaces",
     .response = kParentKind,
     .verbs = kUpdate},
    {.name = "binding",
     .parent_resource = "pods",
     .response = {"", "v1", "Binding"},
     .verbs = kCreate},
    {.name = "eviction",
     .parent_resource = "pods",
     .response = {"policy", "v1", "Eviction"},
     .verbs = kCreate},
    // The log is plain text; discovery names the parent kind, as upstream does.
    {.name = "log",
     .parent_resource = "pods",
     .response = kParentKind,
     .verbs = kGet,
     .media_type = "text/plain"},
    {.name = "scale",
     .parent_resource = "replicationcontrollers",
     .response = kScale,
     .verbs = kGetPatchUpdate},
    {.name = "token",
     .parent_resource = "serviceaccounts",
     .response = {"authentication.k8s.io", "v1", "TokenRequest"},
     .verbs = kCreate},
    {.name = "scale",
     .parent_group = "apps",
     .parent_resource = "deployments",
     .response = kScale,
     .verbs = kGetPatchUpdate},
    {.name = "scale",
     .parent_group = "apps",
     .parent_resource = "replicasets",
     .response = kScale,
     .verbs = kGetPatchUpdate},
};

bool belongs_to(const SubresourceInfo& sub, const api::TypeInfo& type) {
  if (sub.every_kind_with_status) return type.has_status;
  return sub.parent_group == type.group && sub.parent_resource == type.resource;
}

}  // namespace

std::vector<GroupVersion> served_group_versions() {
  std::vector<GroupVersion> out;
  for (const auto* t : api::Registry::builtin().all()) {
    GroupVersion gv{t->group, t->version};
    if (std::ranges::find(out, gv) == out.end()) out.push_back(std::move(gv));
    for (const auto* other : api::other_versions(*t)) {
      GroupVersion ogv{t->group, other->version};
      if (std::ranges::find(out, ogv) == out.end()) out.push_back(std::move(ogv));
    }
  }
  // Stable: versions keep the registry's order within their group.
  std::ranges::stable_sort(out, {}, &GroupVersion::group);
  return out;
}

std::vector<const api::TypeInfo*> kinds_of(std::string_view group, std::string_view version) {
  std::vector<const api::TypeInfo*> out;
  for (const auto* t : api::Registry::builtin().all())
    if (t->group == group && (t->version == version || api::other_version(*t, version))) out.push_back(t);
  std::ranges::sort(out, {}, &api::TypeInfo::resource);
  return out;
}

std::span<const std::string_view> resource_verbs(const api::TypeInfo& type) {
  for (const auto& e : kVerbExceptions)
    if (e.group == type.group && e.resource == type.resource) return e.verbs;
  return kEveryVerb;
}

std::vector<const SubresourceInfo*> subresources_of(const api::TypeInfo& type) {
  std::vector<const SubresourceInfo*> out;
  for (const auto& sub : kSubresources)
    if (belongs_to(sub, type)) out.push_back(&sub);
  std::ranges::sort(out, {}, &SubresourceInfo::name);
  return out;
}

const SubresourceInfo* find_subresource(const api::TypeInfo& type, std::string_view name) {
  for (const auto& sub : kSubresources)
    if (sub.name == name && belongs_to(sub, type)) return &sub;
  return nullptr;
}

GroupVersionKind response_kind(const SubresourceInfo& sub, const api::TypeInfo& parent,
                               std::string_view version) {
  if (!sub.response.kind.empty()) return sub.response;
  return {parent.group, version.empty() ? std::string_view(parent.version) : version, parent.kind};
}

}  // namespace kactor::http
