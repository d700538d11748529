// What the HTTP API serves for each kind: its verbs and its subresources. One table that
// discovery, the OpenAPI documents and the router all read, so what kubectl is told exists
// and what the server answers cannot drift apart.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/object.hpp"

namespace kactor::http {

/// A group and version as the HTTP API serves them ("" group: the core group at /api).
struct GroupVersion {
  std::string group;
  std::string version;
  bool operator==(const GroupVersion&) const = default;
  /// "v1" or "apps/v1".
  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  /// The path below the server root: "api/v1" or "apis/apps/v1" (no leading slash).
  std::string path() const {
    return group.empty() ? "api/" + version : "apis/" + group + "/" + version;
  }
};

/// The group, version and kind of what an endpoint answers ("" group: core).
struct GroupVersionKind {
  std::string_view group;
  std::string_view version;
  std::string_view kind;
  bool operator==(const GroupVersionKind&) const = default;
};

/// A subresource, served at `<resource>/<name>/<subresource>`.
struct SubresourceInfo {
  /// Its name under the parent: "status", "scale", "log".
  std::string_view name;
  /// The parent resource it belongs to (group "" for core). Ignored when
  /// `every_kind_with_status` is set.
  std::string_view parent_group;
  std::string_view parent_resource;
  /// True for `status`, which every kind with a status has (TypeInfo::has_status).
  bool every_kind_with_status = false;
  /// What it accepts and answers; an empty kind means the parent's own kind.
  GroupVersionKind response;
  /// Kubernetes' verbs, sorted as upstream lists them.
  std::span<const std::string_view> verbs;
  /// What a successful answer carries: the log is plain text, the rest JSON objects.
  std::string_view media_type = "application/json";
};

/// The group-versions served, in discovery's order: the core group first, then the named groups
/// sorted by name; a group's versions in the registry's order (its first is the preferred one),
/// a kind's other served versions (api/served_versions.hpp) after its stored one.
std::vector<GroupVersion> served_group_versions();

/// The kinds of one group-version (stored in it, or also served in it), sorted by resource
/// name; empty when it is not served.
std::vector<const api::TypeInfo*> kinds_of(std::string_view group, std::string_view version);

/// A resource's verbs (create delete deletecollection get list patch update watch, less what the
/// kind does not allow: `bindings` is create only, `namespaces` has no deletecollection).
std::span<const std::string_view> resource_verbs(const api::TypeInfo& type);

/// `type`'s subresources, sorted by name.
std::vector<const SubresourceInfo*> subresources_of(const api::TypeInfo& type);

/// `type`'s subresource `name`, or nullptr when it has none by that name (the router answers 404).
const SubresourceInfo* find_subresource(const api::TypeInfo& type, std::string_view name);

/// The kind a subresource accepts and answers: its own, or its parent's (in `version` when
/// given: the parent served in another of its versions).
GroupVersionKind response_kind(const SubresourceInfo& sub, const api::TypeInfo& parent,
                               std::string_view version = {});

}  // namespace kactor::http
