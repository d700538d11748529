// The discovery documents (actors/http/discovery.hpp), legacy and aggregated.
#include "actors/http/discovery.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "api/registry.hpp"

using namespace kactor;
using namespace kactor::http;
using nlohmann::json;

namespace {

const json& entry(const json& list, std::string_view name) {
  for (const auto& r : list.at("resources"))
    if (r.at("name") == name) return r;
  FAIL("no resource " << name << " in " << list.at("groupVersion"));
  static const json none;
  return none;
}

json core_list() {
  auto list = api_resource_list("", "v1");
  REQUIRE(list.has_value());
  return *list;
}

}  // namespace

TEST_CASE("discovery: /api is APIVersions with v1 and the server address") {
  const auto doc = api_versions("10.0.0.1:6443");
  CHECK(doc == json::parse(R"({
    "kind": "APIVersions", "apiVersion": "v1", "versions": ["v1"],
    "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "10.0.0.1:6443"}]
  })"));
}

TEST_CASE("discovery: /apis lists the named groups sorted, each with its preferred version") {
  const auto doc = api_group_list();
  CHECK(doc["kind"] == "APIGroupList");
  CHECK(doc["apiVersion"] == "v1");
  std::vector<std::string> names;
  for (const auto& g : doc["groups"]) names.push_back(g["name"]);
  CHECK(std::ranges::is_sorted(names));
  CHECK(std::ranges::find(names, "") == names.end());
  CHECK(std::ranges::find(names, "apps") != names.end());
  CHECK(std::ranges::find(names, "coordination.k8s.io") != names.end());
  for (const auto& g : doc["groups"]) {
    if (g["name"] != "apps") continue;
    CHECK(g == json::parse(R"({"name": "apps",
      "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
      "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}})"));
  }
}

TEST_CASE("discovery: /api/v1 is an APIResourceList sorted by name") {
  const auto list = core_list();
  CHECK(list["kind"] == "APIResourceList");
  CHECK(list["apiVersion"] == "v1");
  CHECK(list["groupVersion"] == "v1");
  std::vector<std::string> names;
  for (const auto& r : list["resources"]) names.push_back(r["name"]);
  CHECK(std::ranges::is_sorted(names));
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
  // Only core kinds: no deployments here.
  CHECK(std::ranges::find(names, "deployments") == names.end());
}

TEST_CASE("discovery: pods have short name po, category all and every verb") {
  CHECK(entry(core_list(), "pods") == json::parse(R"({
    "name": "pods", "singularName": "pod", "namespaced": true, "kind": "Pod",
    "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
    "shortNames": ["po"], "categories": ["all"]})"));
}

TEST_CASE("discovery: subresources carry their own group, version and kind where they differ") {
  const auto core = core_list();
  CHECK(entry(core, "pods/status") == json::parse(R"({"name": "pods/status", "singularName": "",
    "namespaced": true, "kind": "Pod", "verbs": ["get", "patch", "update"]})"));
  CHECK(entry(core, "pods/binding") == json::parse(R"({"name": "pods/binding", "singularName": "",
    "namespaced": true, "kind": "Binding", "verbs": ["create"]})"));
  CHECK(entry(core, "pods/eviction") == json::parse(R"({"name": "pods/eviction",
    "singularName": "", "namespaced": true, "group": "policy", "version": "v1",
    "kind": "Eviction", "verbs": ["create"]})"));
  CHECK(entry(core, "pods/log") == json::parse(R"({"name": "pods/log", "singularName": "",
    "namespaced": true, "kind": "Pod", "verbs": ["get"]})"));
  CHECK(entry(core, "namespaces/finalize") == json::parse(R"({"name": "namespaces/finalize",
    "singularName": "", "namespaced": false, "kind": "Namespace", "verbs": ["update"]})"));
  CHECK(entry(core, "replicationcontrollers/scale") == json::parse(R"({
    "name": "replicationcontrollers/scale", "singularName": "", "namespaced": true,
    "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]})"));
  CHECK(entry(core, "serviceaccounts/token") == json::parse(R"({"name": "serviceaccounts/token",
    "singularName": "", "namespaced": true, "group": "authentication.k8s.io", "version": "v1",
    "kind": "TokenRequest", "verbs": ["create"]})"));

  auto apps = api_resource_list("apps", "v1");
  REQUIRE(apps);
  CHECK((*apps)["groupVersion"] == "apps/v1");
  CHECK(entry(*apps, "deployments/scale")["kind"] == "Scale");
  CHECK(entry(*apps, "deployments/scale")["group"] == "autoscaling");
  CHECK(entry(*apps, "deployments")["shortNames"] == json::array({"deploy"}));
  CHECK(entry(*apps, "replicasets/status")["kind"] == "ReplicaSet");
}

TEST_CASE("discovery: nodes and namespaces are cluster-scoped, bindings create only") {
  const auto core = core_list();
  CHECK(entry(core, "nodes")["namespaced"] == false);
  CHECK(entry(core, "nodes")["shortNames"] == json::array({"no"}));
  CHECK(entry(core, "nodes/status")["namespaced"] == false);
  CHECK(entry(core, "namespaces")["namespaced"] == false);
  CHECK(entry(core, "persistentvolumes")["namespaced"] == false);
  CHECK(entry(core, "bindings")["verbs"] == json::array({"create"}));
  CHECK(!entry(core, "configmaps").contains("categories"));  // omitted when empty, as upstream
}

TEST_CASE("discovery: a group-version that is not served has no resource list") {
  CHECK(!api_resource_list("apps", "v2").has_value());
  CHECK(!api_resource_list("batch", "v1").has_value());
  CHECK(!api_resource_list("", "v2").has_value());
  CHECK(!api_resource_list("v1", "").has_value());
  CHECK(!api_resource_list("", "").has_value());
}

TEST_CASE("discovery: aggregated /api has the core group with pods in full") {
  const auto doc = aggregated_discovery(true);
  CHECK(doc["kind"] == "APIGroupDiscoveryList");
  CHECK(doc["apiVersion"] == "apidiscovery.k8s.io/v2");
  REQUIRE(doc["items"].size() == 1);
  const auto& core = doc["items"][0];
  CHECK(core["metadata"] == json::object());
  REQUIRE(core["versions"].size() == 1);
  const auto& v1 = core["versions"][0];
  CHECK(v1["version"] == "v1");
  CHECK(v1["freshness"] == "Current");
  const json* pods = nullptr;
  for (const auto& r : v1["resources"])
    if (r["resource"] == "pods") pods = &r;
  REQUIRE(pods);
  CHECK(*pods == json::parse(R"({
    "resource": "pods", "responseKind": {"group": "", "version": "v1", "kind": "Pod"},
    "scope": "Namespaced", "singularResource": "pod",
    "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
    "shortNames": ["po"], "categories": ["all"],
    "subresources": [
      {"subresource": "binding", "responseKind": {"group": "", "version": "v1", "kind": "Binding"},
       "verbs": ["create"]},
      {"subresource": "eviction",
       "responseKind": {"group": "policy", "version": "v1", "kind": "Eviction"},
       "verbs": ["create"]},
      {"subresource": "log", "responseKind": {"group": "", "version": "v1", "kind": "Pod"},
       "verbs": ["get"]},
      {"subresource": "status", "responseKind": {"group": "", "version": "v1", "kind": "Pod"},
       "verbs": ["get", "patch", "update"]}]})"));
}

TEST_CASE("discovery: aggregated /apis has the named groups, nodes' scope is Cluster in /api") {
  const auto apis = aggregated_discovery(false);
  std::vector<std::string> names;
  for (const auto& item : apis["items"]) names.push_back(item["metadata"]["name"]);
  // (Documents held in variables: a loop over a member of a temporary would dangle.)
  const auto groups = api_group_list();
  std::vector<std::string> legacy;
  for (const auto& g : groups["groups"]) legacy.push_back(g["name"]);
  CHECK(names == legacy);
  const auto core = aggregated_discovery(true);
  int nodes = 0;
  for (const auto& r : core["items"][0]["versions"][0]["resources"])
    if (r["resource"] == "nodes") {
      CHECK(r["scope"] == "Cluster");
      ++nodes;
    }
  CHECK(nodes == 1);
}

// client-go turns the aggregated document into legacy lists (SplitGroupsAndResources): a
// subresource becomes "<resource>/<sub>" with the parent's scope. Done here the same way, both
// formats must give the same resources, kinds, scopes and verbs.
TEST_CASE("discovery: the aggregated documents list the same resources as the legacy ones") {
  using Key = std::string;  // "<groupVersion> <name>"
  std::map<Key, json> legacy, aggregated;
  auto comparable = [](const json& r, bool sub) {
    json out = {{"namespaced", r["namespaced"]},
                {"kind", r["kind"]},
                {"verbs", r["verbs"]},
                {"group", r.value("group", "")},
                {"version", r.value("version", "")},
                {"shortNames", r.value("shortNames", json::array())},
                {"categories", r.value("categories", json::array())}};
    if (!sub) out["singularName"] = r["singularName"];
    return out;
  };
  for (bool core : {true, false}) {
    const auto doc = aggregated_discovery(core);
    for (const auto& item : doc["items"]) {
      const std::string group = item["metadata"].value("name", "");
      for (const auto& version : item["versions"]) {
        const std::string v = version["version"];
        const std::string gv = group.empty() ? v : group + "/" + v;
        auto list = api_resource_list(group, v);
        REQUIRE(list);
        for (const auto& r : (*list)["resources"]) {
          const std::string name = r["name"];
          json c = comparable(r, name.find('/') != std::string::npos);
          // Legacy entries leave out group and version when they are the list's own.
          if (c["group"] == "" && c["version"] == "") {
            c["group"] = group;
            c["version"] = v;
          }
          legacy[gv + " " + name] = c;
        }
        for (const auto& r : version["resources"]) {
          const bool namespaced = r["scope"] == "Namespaced";
          const auto& kind = r["responseKind"];
          aggregated[gv + " " + r["resource"].get<std::string>()] =
              comparable({{"namespaced", namespaced},
                          {"kind", kind["kind"]},
                          {"group", kind["group"]},
                          {"version", kind["version"]},
                          {"verbs", r["verbs"]},
                          {"singularName", r["singularResource"]},
                          {"shortNames", r.value("shortNames", json::array())},
                          {"categories", r.value("categories", json::array())}},
                         false);
          for (const auto& s : r.value("subresources", json::array())) {
            const auto& sk = s["responseKind"];
            aggregated[gv + " " + r["resource"].get<std::string>() + "/" +
                       s["subresource"].get<std::string>()] =
                comparable({{"namespaced", namespaced},
                            {"kind", sk["kind"]},
                            {"group", sk["group"]},
                            {"version", sk["version"]},
                            {"verbs", s["verbs"]}},
                           true);
          }
        }
      }
    }
  }
  CHECK(legacy.size() > api::Registry::builtin().all().size());  // kinds and subresources
  for (const auto& [key, value] : legacy) {
    INFO(key);
    REQUIRE(aggregated.contains(key));
    CHECK(aggregated.at(key) == value);
  }
  CHECK(aggregated.size() == legacy.size());
}

TEST_CASE("discovery: the aggregated format is chosen only when the Accept header offers it") {
  // kubectl 1.32's header.
  CHECK(accepts_aggregated_discovery(
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
      "application/json;q=0.9"));
  CHECK(accepts_aggregated_discovery(
      "application/json ; g=apidiscovery.k8s.io ; as=APIGroupDiscoveryList ; v=v2"));
  CHECK(!accepts_aggregated_discovery("application/json, */*"));
  CHECK(!accepts_aggregated_discovery(""));
  CHECK(!accepts_aggregated_discovery(
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"));
  CHECK(!accepts_aggregated_discovery(
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0"));
  CHECK(!accepts_aggregated_discovery(
      "application/yaml;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"));
}

TEST_CASE("discovery: documents are the same on every call") {
  CHECK(aggregated_discovery(true).dump() == aggregated_discovery(true).dump());
  CHECK(api_group_list().dump() == api_group_list().dump());
  CHECK(core_list().dump() == core_list().dump());
}
