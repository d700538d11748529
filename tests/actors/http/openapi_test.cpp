// The OpenAPI documents (actors/http/openapi.hpp): the v3 index and per group-version
// documents, and the v2 body.
#include "actors/http/openapi.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/http/protobuf/detail/wire.hpp"
#include "api/registry.hpp"

using namespace kactor;
using namespace kactor::http;
using nlohmann::json;

namespace {

json document(std::string_view path) {
  const auto* doc = find_openapi_v3_document(path);
  REQUIRE(doc != nullptr);
  return json::parse(doc->text);
}

bool same_gvk(const json& ext, std::string_view group, std::string_view version,
              std::string_view kind) {
  return ext.is_object() && ext.value("group", "-") == group &&
         ext.value("version", "-") == version && ext.value("kind", "-") == kind;
}

/// kubectl 1.32's test (resource.supportsQueryParamV3): the first PATCH operation, in any path,
/// tagged with the kind decides, and it must list `fieldValidation` in the query. Go iterates
/// the paths in random order, so every such PATCH must pass; returns how many there are.
int patches_with_field_validation(const json& doc, std::string_view group, std::string_view version,
                                  std::string_view kind) {
  int count = 0;
  for (const auto& [path, item] : doc.at("paths").items()) {
    if (!item.contains("patch")) continue;
    const auto& op = item["patch"];
    if (!same_gvk(op.value("x-kubernetes-group-version-kind", json()), group, version, kind))
      continue;
    bool found = false;
    for (const auto& p : op.at("parameters"))
      if (p.value("name", "") == "fieldValidation" && p.value("in", "") == "query") found = true;
    INFO(path);
    CHECK(found);
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("openapi: the v3 index names a document per served group-version with its hash") {
  const auto root = openapi_v3_root();
  REQUIRE(root.contains("paths"));
  CHECK(root["paths"].size() == openapi_v3_documents().size());
  REQUIRE(root["paths"].contains("api/v1"));
  REQUIRE(root["paths"].contains("apis/apps/v1"));
  REQUIRE(root["paths"].contains("apis/coordination.k8s.io/v1"));
  const auto* core = find_openapi_v3_document("api/v1");
  REQUIRE(core);
  CHECK(root["paths"]["api/v1"] ==
        json{{"serverRelativeURL", "/openapi/v3/api/v1?hash=" + core->hash}});
  CHECK(core->hash.size() == 128);  // SHA-512, hex
  CHECK(core->hash.find_first_not_of("0123456789ABCDEF") == std::string::npos);
  CHECK(find_openapi_v3_document("apis/apps/v1")->hash != core->hash);
}

TEST_CASE("openapi: an unknown group-version has no document") {
  CHECK(find_openapi_v3_document("apis/apps/v2") == nullptr);
  CHECK(find_openapi_v3_document("apis/batch/v1") == nullptr);
  CHECK(find_openapi_v3_document("api/v1/") == nullptr);
  CHECK(find_openapi_v3_document("") == nullptr);
}

TEST_CASE("openapi: hashes and texts are stable across calls and rebuilds") {
  const auto* doc = find_openapi_v3_document("api/v1");
  REQUIRE(doc);
  // Built afresh, the document has the same text, hence the same hash.
  CHECK(openapi_v3_group_version({"", "v1"}).dump() == doc->text);
  CHECK(openapi_v3_root() == openapi_v3_root());
  CHECK(openapi_v3_root()["paths"]["api/v1"]["serverRelativeURL"].get<std::string>().ends_with(
      doc->hash));
}

TEST_CASE("openapi: the v1 document advertises fieldValidation on PATCH of pods") {
  const auto doc = document("api/v1");
  CHECK(doc["openapi"] == "3.0.0");
  // pods and pods/status are both Pod: both PATCH operations must pass.
  CHECK(patches_with_field_validation(doc, "", "v1", "Pod") == 2);
  CHECK(patches_with_field_validation(doc, "", "v1", "Node") == 2);
  CHECK(patches_with_field_validation(doc, "", "v1", "ConfigMap") == 1);
  const auto& patch = doc["paths"]["/api/v1/namespaces/{namespace}/pods/{name}"]["patch"];
  CHECK(patch["x-kubernetes-action"] == "patch");
  CHECK(patch["operationId"] == "patchCoreV1NamespacedPod");
}

TEST_CASE("openapi: every kind of every document passes kubectl's fieldValidation check") {
  for (const auto* t : api::Registry::builtin().all()) {
    INFO(t->kind);
    const auto doc = document(GroupVersion{t->group, t->version}.path());
    const bool patchable = t->resource != "bindings";  // create only
    CHECK((patches_with_field_validation(doc, t->group, t->version, t->kind) > 0) == patchable);
  }
}

TEST_CASE("openapi: PATCH does not offer strategic merge patch, so kubectl uses its own keys") {
  const auto doc = document("api/v1");
  for (const auto& [path, item] : doc["paths"].items()) {
    if (!item.contains("patch")) continue;
    INFO(path);
    const auto& content = item["patch"]["requestBody"]["content"];
    CHECK(content.contains("application/merge-patch+json"));
    CHECK(content.contains("application/json-patch+json"));
    CHECK(!content.contains("application/strategic-merge-patch+json"));
  }
}

TEST_CASE("openapi: POST and PUT carry fieldValidation too") {
  const auto doc = document("apis/apps/v1");
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const char* method : {"post", "put", "patch"}) {
      if (!item.contains(method)) continue;
      INFO(path << " " << method);
      bool found = false;
      for (const auto& p : item[method]["parameters"])
        if (p["name"] == "fieldValidation") found = true;
      CHECK(found);
    }
  }
}

TEST_CASE("openapi: the Pod schema has its kind, a description and the top-level fields") {
  const auto doc = document("api/v1");
  const auto& pod = doc["components"]["schemas"]["io.k8s.api.core.v1.Pod"];
  CHECK(pod["type"] == "object");
  CHECK(pod["x-kubernetes-group-version-kind"] ==
        json::parse(R"([{"group": "", "version": "v1", "kind": "Pod"}])"));
  CHECK(pod["description"].get<std::string>().starts_with("Pod is a group of containers"));
  for (const char* field : {"apiVersion", "kind", "metadata", "spec", "status"}) {
    INFO(field);
    REQUIRE(pod["properties"].contains(field));
    CHECK(!pod["properties"][field]["description"].get<std::string>().empty());
  }
  CHECK(pod["properties"]["spec"]["type"] == "object");
  // metadata refers to a schema the document defines.
  const auto& meta_ref = pod["properties"]["metadata"]["allOf"][0]["$ref"].get<std::string>();
  CHECK(doc["components"]["schemas"].contains(meta_ref.substr(meta_ref.rfind('/') + 1)));
  // A kind without spec or status gets neither.
  const auto& cm = doc["components"]["schemas"]["io.k8s.api.core.v1.ConfigMap"];
  CHECK(!cm["properties"].contains("spec"));
  CHECK(!cm["properties"].contains("status"));
}

TEST_CASE("openapi: every $ref points at a schema of the same document") {
  for (const auto& d : openapi_v3_documents()) {
    INFO(d.path);
    const auto doc = json::parse(d.text);
    const auto& schemas = doc["components"]["schemas"];
    const auto flat = doc.flatten();
    int refs = 0;
    for (const auto& [pointer, value] : flat.items()) {
      if (!pointer.ends_with("/$ref")) continue;
      ++refs;
      const auto target = value.get<std::string>();
      INFO(pointer << " -> " << target);
      REQUIRE(target.starts_with("#/components/schemas/"));
      CHECK(schemas.contains(target.substr(std::string("#/components/schemas/").size())));
    }
    CHECK(refs > 0);
  }
}

TEST_CASE("openapi: paths for namespaced and cluster-scoped kinds and subresources") {
  const auto doc = document("api/v1");
  const auto& paths = doc["paths"];
  CHECK(paths.contains("/api/v1/namespaces/{namespace}/pods"));
  CHECK(paths.contains("/api/v1/pods"));  // list across namespaces
  CHECK(paths["/api/v1/pods"].contains("get"));
  CHECK(!paths["/api/v1/pods"].contains("post"));
  CHECK(paths.contains("/api/v1/nodes/{name}"));
  CHECK(!paths.contains("/api/v1/namespaces/{namespace}/nodes"));
  CHECK(
      paths["/api/v1/namespaces/{namespace}/pods/{name}/log"]["get"]["responses"]["200"]["content"]
          .contains("text/plain"));
  const auto& eviction = paths["/api/v1/namespaces/{namespace}/pods/{name}/eviction"]["post"];
  CHECK(same_gvk(eviction["x-kubernetes-group-version-kind"], "policy", "v1", "Eviction"));
  CHECK(doc["components"]["schemas"].contains("io.k8s.api.policy.v1.Eviction"));
  // No deletecollection on namespaces, create only on bindings.
  CHECK(!paths["/api/v1/namespaces"].contains("delete"));
  CHECK(paths["/api/v1/namespaces/{namespace}/bindings"].contains("post"));
  CHECK(!paths.contains("/api/v1/namespaces/{namespace}/bindings/{name}"));

  const auto apps = document("apis/apps/v1");
  const auto& scale =
      apps["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"];
  CHECK(same_gvk(scale["patch"]["x-kubernetes-group-version-kind"], "autoscaling", "v1", "Scale"));
  CHECK(apps["components"]["schemas"].contains("io.k8s.api.autoscaling.v1.Scale"));
}

TEST_CASE("openapi: operation ids are unique within a document") {
  for (const auto& d : openapi_v3_documents()) {
    INFO(d.path);
    std::set<std::string> ids;
    int ops = 0;
    const auto doc = json::parse(d.text);
    for (const auto& [path, item] : doc["paths"].items())
      for (const auto& [method, op] : item.items())
        if (method != "parameters") {
          ++ops;
          ids.insert(op["operationId"].get<std::string>());
        }
    CHECK(ids.size() == static_cast<size_t>(ops));
  }
}

namespace {

/// The length-delimited fields numbered `number` of one message's bytes.
std::vector<std::string_view> fields(std::string_view message, uint32_t number) {
  std::vector<std::string_view> out;
  protobuf::detail::WireReader reader(message);
  while (!reader.done()) {
    auto tag = reader.tag();
    REQUIRE(tag);
    if (tag->number == number && tag->type == protobuf::detail::WireType::length_delimited) {
      auto bytes = reader.length_delimited();
      REQUIRE(bytes);
      out.push_back(*bytes);
    } else {
      REQUIRE(reader.skip(tag->type));
    }
  }
  return out;
}

std::string_view field(std::string_view message, uint32_t number) {
  auto all = fields(message, number);
  REQUIRE(all.size() == 1);
  return all[0];
}

}  // namespace

// kubectl 1.20 runs `diff` and every --dry-run=server only for a kind whose PATCH operation in
// /openapi/v2 names it (one YAML map) and takes a dryRun query parameter.
TEST_CASE("openapi: /openapi/v2 has a PATCH with dryRun for every kind that can be patched") {
  const auto doc = openapi_v2_protobuf();
  CHECK(field(doc, 1) == "2.0");
  CHECK(fields(doc, 9).empty());  // no definitions: kubectl's validation and apply unchanged
  std::map<std::string, std::string, std::less<>> patches;  // path → GVK yaml
  for (auto named : fields(field(doc, 8), 2)) {
    const auto path = std::string(field(named, 1));
    const auto operation = field(field(named, 2), 8);
    for (auto ext : fields(operation, 13))
      if (field(ext, 1) == "x-kubernetes-group-version-kind")
        patches[path] = std::string(field(field(ext, 2), 2));
    bool dry_run = false;
    for (auto item : fields(operation, 8)) {
      const auto query = field(field(field(item, 1), 2), 3);
      dry_run = dry_run || (field(query, 4) == "dryRun" && field(query, 2) == "query");
    }
    INFO(path);
    CHECK(dry_run);
    CHECK(fields(operation, 7).empty());  // no consumes: apply never patches from v2
  }
  CHECK(patches.at("/api/v1/namespaces/{namespace}/pods/{name}") ==
        "group: \"\"\nkind: Pod\nversion: v1\n");
  CHECK(patches.at("/api/v1/nodes/{name}") == "group: \"\"\nkind: Node\nversion: v1\n");
  CHECK(patches.at("/apis/apps/v1/namespaces/{namespace}/deployments/{name}") ==
        "group: \"apps\"\nkind: Deployment\nversion: v1\n");
  CHECK_FALSE(patches.contains("/api/v1/namespaces/{namespace}/bindings/{name}"));  // create only
  CHECK(kOpenApiV2ProtobufAccept == "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
}

// client-go parses every answer's Content-Type with Go's mime.ParseMediaType before anything
// else; '@' is not allowed in a media type, so answering the type kubectl asks for (with its
// '@') fails `kubectl create` of a List with "mime: unexpected content after media subtype".
TEST_CASE("openapi: the /openapi/v2 Content-Type is a valid media type") {
  auto token = [](std::string_view s) {
    return !s.empty() && std::ranges::all_of(s, [](char c) {
      return c > ' ' && c < 127 &&
             std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
    });
  };
  const std::string_view type = kOpenApiV2ProtobufContentType;
  const auto slash = type.find('/');
  REQUIRE(slash != std::string_view::npos);
  CHECK(token(type.substr(0, slash)));
  CHECK(token(type.substr(slash + 1)));
  CHECK(type == "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
}
