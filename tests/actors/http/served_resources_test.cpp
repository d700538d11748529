// The table of verbs and subresources (actors/http/served_resources.hpp) that discovery, the
// OpenAPI documents and the router share.
#include "actors/http/served_resources.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "api/registry.hpp"
#include "api/served_versions.hpp"

using namespace kactor;
using namespace kactor::http;

namespace {

const api::TypeInfo& type(std::string_view group, std::string_view resource) {
  const auto* t = api::Registry::builtin().by_resource(group, resource);
  REQUIRE(t != nullptr);
  return *t;
}

std::vector<std::string> names(std::span<const std::string_view> verbs) {
  return {verbs.begin(), verbs.end()};
}

}  // namespace

TEST_CASE("served resources: every kind has all verbs but bindings and namespaces") {
  using V = std::vector<std::string>;
  const V every = {"create", "delete", "deletecollection", "get",
                   "list",   "patch",  "update",           "watch"};
  CHECK(names(resource_verbs(type("", "pods"))) == every);
  CHECK(names(resource_verbs(type("", "events"))) == every);
  CHECK(names(resource_verbs(type("coordination.k8s.io", "leases"))) == every);
  CHECK(names(resource_verbs(type("", "bindings"))) == V{"create"});
  CHECK(names(resource_verbs(type("", "namespaces"))) ==
        V{"create", "delete", "get", "list", "patch", "update", "watch"});
}

TEST_CASE("served resources: pods have binding, eviction, log and status with their kinds") {
  const auto& pods = type("", "pods");
  std::vector<std::string> subs;
  for (const auto* s : subresources_of(pods)) subs.emplace_back(s->name);
  CHECK(subs == std::vector<std::string>{"binding", "eviction", "log", "status"});

  const auto* eviction = find_subresource(pods, "eviction");
  REQUIRE(eviction);
  CHECK(response_kind(*eviction, pods) == GroupVersionKind{"policy", "v1", "Eviction"});
  CHECK(names(eviction->verbs) == std::vector<std::string>{"create"});
  const auto* binding = find_subresource(pods, "binding");
  REQUIRE(binding);
  CHECK(response_kind(*binding, pods) == GroupVersionKind{"", "v1", "Binding"});
  const auto* log = find_subresource(pods, "log");
  REQUIRE(log);
  CHECK(response_kind(*log, pods) == GroupVersionKind{"", "v1", "Pod"});
  CHECK(log->media_type == "text/plain");
  const auto* status = find_subresource(pods, "status");
  REQUIRE(status);
  CHECK(response_kind(*status, pods) == GroupVersionKind{"", "v1", "Pod"});
  CHECK(names(status->verbs) == std::vector<std::string>{"get", "patch", "update"});
}

TEST_CASE("served resources: scale is autoscaling/v1 Scale on rc, replicasets and deployments") {
  for (auto [group, resource] :
       {std::pair{"", "replicationcontrollers"}, std::pair{"apps", "replicasets"},
        std::pair{"apps", "deployments"}}) {
    INFO(resource);
    const auto& t = type(group, resource);
    const auto* scale = find_subresource(t, "scale");
    REQUIRE(scale);
    CHECK(response_kind(*scale, t) == GroupVersionKind{"autoscaling", "v1", "Scale"});
    CHECK(names(scale->verbs) == std::vector<std::string>{"get", "patch", "update"});
  }
  // The same name on another kind is not served.
  CHECK(find_subresource(type("", "pods"), "scale") == nullptr);
  CHECK(find_subresource(type("", "services"), "scale") == nullptr);
}

TEST_CASE("served resources: status exactly for the kinds with a status") {
  for (const auto* t : api::Registry::builtin().all()) {
    INFO(t->resource);
    CHECK((find_subresource(*t, "status") != nullptr) == t->has_status);
  }
  CHECK(find_subresource(type("", "namespaces"), "finalize") != nullptr);
  const auto& sa = type("", "serviceaccounts");
  const auto* token = find_subresource(sa, "token");
  REQUIRE(token);
  CHECK(response_kind(*token, sa) ==
        GroupVersionKind{"authentication.k8s.io", "v1", "TokenRequest"});
  CHECK(find_subresource(type("", "pods"), "exec") == nullptr);
}

TEST_CASE("served resources: group-versions are core first, then groups by name") {
  const auto gvs = served_group_versions();
  REQUIRE(!gvs.empty());
  CHECK(gvs.front() == GroupVersion{"", "v1"});
  CHECK(std::ranges::is_sorted(gvs, {}, &GroupVersion::group));
  CHECK(std::ranges::find(gvs, GroupVersion{"apps", "v1"}) != gvs.end());
  // Every registered kind is in one served group-version, and once more per other version it
  // is served in (autoscaling/v1 HorizontalPodAutoscalers), listed after its stored one.
  size_t kinds = 0, others = 0;
  for (const auto& gv : gvs) kinds += kinds_of(gv.group, gv.version).size();
  for (const auto* t : api::Registry::builtin().all()) others += api::other_versions(*t).size();
  CHECK(others == 1);
  CHECK(kinds == api::Registry::builtin().all().size() + others);
  const auto v2 = std::ranges::find(gvs, GroupVersion{"autoscaling", "v2"});
  const auto v1 = std::ranges::find(gvs, GroupVersion{"autoscaling", "v1"});
  REQUIRE(v2 != gvs.end());
  REQUIRE(v1 != gvs.end());
  CHECK(v2 < v1);  // v2 is the preferred version
  CHECK(kinds_of("autoscaling", "v1") == kinds_of("autoscaling", "v2"));
  CHECK(kinds_of("apps", "v2").empty());
  CHECK(GroupVersion{"apps", "v1"}.path() == "apis/apps/v1");
  CHECK(GroupVersion{"", "v1"}.path() == "api/v1");
}
