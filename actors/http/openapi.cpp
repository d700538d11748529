#include "actors/http/openapi.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include "actors/http/kind_descriptions.hpp"
#include "api/registry.hpp"
#include "api/version.hpp"

namespace kactor::http {
namespace {

using nlohmann::json;

constexpr std::string_view kMetaPrefix = "io.k8s.apimachinery.pkg.apis.meta.v1.";

std::string capitalized(std::string_view s) {
  std::string out(s);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

/// Upstream's Go package of a group: "" is core, "coordination.k8s.io" is coordination.
std::string package_of(std::string_view group) {
  if (group.empty()) return "core";
  return std::string(group.substr(0, group.find('.')));
}

/// "io.k8s.api.core.v1.Pod": upstream's schema names, which `kubectl explain` shows.
std::string schema_name(const GroupVersionKind& gvk) {
  return "io.k8s.api." + package_of(gvk.group) + "." + std::string(gvk.version) + "." +
         std::string(gvk.kind);
}

json schema_ref(const std::string& schema) {
  return {{"$ref", "#/components/schemas/" + schema}};
}

json gvk_json(const GroupVersionKind& gvk) {
  return {{"group", std::string(gvk.group)},
          {"version", std::string(gvk.version)},
          {"kind", std::string(gvk.kind)}};
}

json string_property(std::string description) {
  return {{"type", "string"}, {"description", std::move(description)}};
}

json object_property(std::string description) {
  return {{"type", "object"}, {"description", std::move(description)}};
}

/// apiVersion, kind and metadata: what every kind's schema starts with.
json type_and_object_meta(bool list) {
  return {
      {"apiVersion",
       string_property("APIVersion is the versioned schema of this object (\"v1\", \"apps/v1\").")},
      {"kind", string_property("Kind is the type of this object, in CamelCase (\"Pod\").")},
      {"metadata",
       list ? object_property("Standard list metadata: resourceVersion and continue.")
            : json{{"allOf", json::array({schema_ref(std::string(kMetaPrefix) + "ObjectMeta")})},
                   {"default", json::object()},
                   {"description",
                    "Standard object metadata: name, namespace, labels, "
                    "annotations, resourceVersion, ..."}}}};
}

json kind_schema(const GroupVersionKind& gvk, bool has_spec, bool has_status) {
  json properties = type_and_object_meta(false);
  if (has_spec)
    properties["spec"] = object_property("The desired state of the " + std::string(gvk.kind) + ".");
  if (has_status)
    properties["status"] = object_property("The most recently observed state of the " +
                                           std::string(gvk.kind) + ", written by the system.");
  return {{"type", "object"},
          {"description", kind_description(gvk.group, gvk.kind)},
          {"properties", std::move(properties)},
          // A list: upstream's schemas may stand for several group-version-kinds.
          {"x-kubernetes-group-version-kind", json::array({gvk_json(gvk)})}};
}

json list_schema(const GroupVersionKind& item) {
  json properties = type_and_object_meta(true);
  properties["items"] = {{"type", "array"},
                         {"items", schema_ref(schema_name(item))},
                         {"description", "The " + std::string(item.kind) + " objects."}};
  const std::string list_kind = std::string(item.kind) + "List";
  return {{"type", "object"},
          {"description", list_kind + " is a list of " + std::string(item.kind) + " objects."},
          {"required", json::array({"items"})},
          {"properties", std::move(properties)},
          {"x-kubernetes-group-version-kind",
           json::array({gvk_json({item.group, item.version, list_kind})})}};
}

/// The meta.k8s.io types the operations refer to.
void add_meta_schemas(json& schemas) {
  json meta = {
      {"name", string_property("Unique within a namespace (or the cluster, for cluster-scoped "
                               "kinds); cannot be changed.")},
      {"generateName", string_property("Prefix of a name the server completes when no name is "
                                       "given.")},
      {"namespace", string_property("The namespace of a namespaced object.")},
      {"uid", string_property("Unique in time and space; set by the server.")},
      {"resourceVersion", string_property("Version of the object's last change; updates that "
                                          "carry an older one conflict.")},
      {"generation",
       {{"type", "integer"},
        {"format", "int64"},
        {"description",
         "Bumped by the server on every change of the desired "
         "state."}}},
      {"creationTimestamp",
       {{"type", "string"},
        {"format", "date-time"},
        {"description", "When the object was created; set by the server."}}},
      {"deletionTimestamp",
       {{"type", "string"},
        {"format", "date-time"},
        {"description",
         "When the object will be deleted, once its "
         "finalizers are done."}}},
      {"labels",
       {{"type", "object"},
        {"additionalProperties", {{"type", "string"}}},
        {"description", "Keys and values that selectors match."}}},
      {"annotations",
       {{"type", "object"},
        {"additionalProperties", {{"type", "string"}}},
        {"description", "Keys and values for tools; not selectable."}}},
      {"finalizers",
       {{"type", "array"},
        {"items", {{"type", "string"}}},
        {"description", "What must finish before the object is deleted."}}},
      {"ownerReferences",
       {{"type", "array"},
        {"items", {{"type", "object"}}},
        {"description",
         "The objects this one belongs to; garbage collection "
         "follows them."}}},
  };
  schemas[std::string(kMetaPrefix) + "ObjectMeta"] = {
      {"type", "object"},
      {"description", "ObjectMeta is the metadata every stored object has."},
      {"properties", std::move(meta)}};
  schemas[std::string(kMetaPrefix) + "Status"] = {
      {"type", "object"},
      {"description",
       "Status is the answer of an operation that returns no object, and of every "
       "failure."},
      {"properties",
       {{"apiVersion", string_property("v1")},
        {"kind", string_property("Status")},
        {"status", string_property("Success or Failure.")},
        {"message", string_property("What happened, for people.")},
        {"reason", string_property("What happened, for programs (NotFound, Conflict, ...).")},
        {"code", {{"type", "integer"}, {"format", "int32"}, {"description", "HTTP status."}}},
        {"details", object_property("The object concerned and, for Invalid, one cause per "
                                    "field.")}}},
      {"x-kubernetes-group-version-kind", json::array({gvk_json({"", "v1", "Status"})})}};
  schemas[std::string(kMetaPrefix) + "Patch"] = {
      {"type", "object"},
      {"description",
       "A patch: JSON patch (RFC 6902), JSON merge patch (RFC 7386) or a "
       "server-side apply configuration."}};
}

json path_parameter(std::string_view name, std::string description) {
  return {{"name", std::string(name)},
          {"in", "path"},
          {"required", true},
          {"description", std::move(description)},
          {"schema", {{"type", "string"}, {"uniqueItems", true}}}};
}

json query_parameter(std::string_view name, std::string_view type, std::string description) {
  return {{"name", std::string(name)},
          {"in", "query"},
          {"description", std::move(description)},
          {"schema", {{"type", std::string(type)}, {"uniqueItems", true}}}};
}

json field_validation_parameter() {
  return query_parameter("fieldValidation", "string",
                         "What the server does with unknown or duplicate fields in the body: "
                         "Ignore drops them, Warn drops them and answers a warning per field, "
                         "Strict refuses the request naming them.");
}

json list_parameters() {
  return json::array(
      {query_parameter("labelSelector", "string", "Only objects whose labels match."),
       query_parameter("fieldSelector", "string", "Only objects whose fields match."),
       query_parameter("limit", "integer", "At most this many objects per answer."),
       query_parameter("continue", "string", "Where the previous answer stopped."),
       query_parameter("resourceVersion", "string", "Read at least this recent a state."),
       query_parameter("watch", "boolean", "Stream changes after resourceVersion instead."),
       query_parameter("allowWatchBookmarks", "boolean", "Send BOOKMARK events while watching."),
       query_parameter("timeoutSeconds", "integer", "End a list or watch after this long.")});
}

json json_content(const json& schema) {
  return {{"application/json", {{"schema", schema}}}};
}

/// One endpoint operation. `gvk` is what it accepts and answers: kubectl matches it against
/// the kind it sends (x-kubernetes-group-version-kind is one object on operations, unlike on
/// schemas).
struct Operation {
  std::string action;  // x-kubernetes-action: get list watch post put patch delete deletecollection
  std::string operation_id;
  std::string description;
  GroupVersionKind gvk;
  json parameters = json::array();
  json request = nullptr;  // requestBody.content, or null
  json response;           // responses."200".content
};

json to_json(const Operation& op, const std::string& tag) {
  json out = {{"operationId", op.operation_id},
              {"description", op.description},
              {"tags", json::array({tag})},
              {"parameters", op.parameters},
              {"responses",
               {{"200", {{"description", "OK"}, {"content", op.response}}},
                {"401", {{"description", "Unauthorized"}}}}},
              {"x-kubernetes-action", op.action},
              {"x-kubernetes-group-version-kind", gvk_json(op.gvk)}};
  if (!op.request.is_null()) out["requestBody"] = {{"required", true}, {"content", op.request}};
  return out;
}

/// Builds the document of one group-version.
class DocumentBuilder {
 public:
  explicit DocumentBuilder(const GroupVersion& gv)
      : tag_(package_of(gv.group) + "_" + gv.version),
        id_infix_(capitalized(package_of(gv.group)) + capitalized(gv.version)),
        prefix_("/" + gv.path()) {
    add_meta_schemas(schemas_);
  }

  /// Kind `t` as served in `version` (its stored one, or another: api/served_versions.hpp).
  void add(const api::TypeInfo& t, std::string_view version) {
    const GroupVersionKind gvk{t.group, version, t.kind};
    ensure_schema(gvk);
    const auto verbs = resource_verbs(t);
    auto has = [&](std::string_view v) { return std::ranges::find(verbs, v) != verbs.end(); };
    const std::string scope = t.namespaced ? "Namespaced" : "";
    const std::string collection =
        prefix_ + (t.namespaced ? "/namespaces/{namespace}/" : "/") + t.resource;
    const std::string item = collection + "/{name}";
    const std::string kind_ref = schema_name(gvk);
    const std::string noun = id_infix_ + scope + t.kind;

    if (has("list") || has("watch")) {
      std::string list_ref = kind_ref + "List";
      schemas_[list_ref] = list_schema(gvk);
      auto list_op = [&](std::string id) {
        return Operation{.action = "list",
                         .operation_id = std::move(id),
                         .description = "list or watch objects of kind " + t.kind,
                         .gvk = gvk,
                         .parameters = list_parameters(),
                         .response = json_content(schema_ref(list_ref))};
      };
      set(collection, "get", list_op("list" + noun));
      // Namespaced kinds are also listed across all namespaces.
      if (t.namespaced)
        set(prefix_ + "/" + t.resource, "get",
            list_op("list" + id_infix_ + t.kind + "ForAllNamespaces"));
    }
    if (has("create"))
      set(collection, "post",
          write_op("post", "create" + noun, "create a " + t.kind, gvk, kind_ref));
    if (has("deletecollection"))
      set(collection, "delete",
          Operation{.action = "deletecollection",
                    .operation_id = "deleteCollection" + noun,
                    .description = "delete a collection of " + t.kind,
                    .gvk = gvk,
                    .parameters = list_parameters(),
                    .response = json_content(schema_ref(std::string(kMetaPrefix) + "Status"))});
    if (has("get"))
      set(item, "get",
          Operation{.action = "get",
                    .operation_id = "read" + noun,
                    .description = "read the specified " + t.kind,
                    .gvk = gvk,
                    .response = json_content(schema_ref(kind_ref))});
    if (has("update"))
      set(item, "put",
          write_op("put", "replace" + noun, "replace the specified " + t.kind, gvk, kind_ref));
    if (has("patch"))
      set(item, "patch", patch_op("patch" + noun, "the specified " + t.kind, gvk, kind_ref));
    if (has("delete"))
      set(item, "delete",
          Operation{.action = "delete",
                    .operation_id = "delete" + noun,
                    .description = "delete a " + t.kind,
                    .gvk = gvk,
                    .response = json_content(schema_ref(kind_ref))});
    add_path_parameters(collection, t.namespaced, false);
    if (paths_.contains(item)) add_path_parameters(item, t.namespaced, true);

    for (const auto* sub : subresources_of(t)) add_subresource(t, version, *sub, item, noun);
  }

  json finish() && {
    return {{"openapi", "3.0.0"},
            {"info", {{"title", "Kubernetes"}, {"version", kKubernetesVersion}}},
            {"paths", std::move(paths_)},
            {"components", {{"schemas", std::move(schemas_)}}}};
  }

 private:
  void add_subresource(const api::TypeInfo& t, std::string_view version, const SubresourceInfo& sub,
                       const std::string& item, const std::string& noun) {
    const auto gvk = response_kind(sub, t, version);
    ensure_schema(gvk);
    const std::string path = item + "/" + std::string(sub.name);
    const std::string sub_noun = noun + capitalized(sub.name);
    const std::string what = std::string(sub.name) + " of the specified " + t.kind;
    const std::string kind_ref = schema_name(gvk);
    for (auto verb : sub.verbs) {
      if (verb == "get") {
        json body = sub.media_type == "application/json"
                        ? json_content(schema_ref(kind_ref))
                        : json{{std::string(sub.media_type), {{"schema", {{"type", "string"}}}}}};
        set(path, "get",
            Operation{.action = "get",
                      .operation_id = "read" + sub_noun,
                      .description = "read " + what,
                      .gvk = gvk,
                      .response = std::move(body)});
      } else if (verb == "create") {
        set(path, "post", write_op("post", "create" + sub_noun, "create " + what, gvk, kind_ref));
      } else if (verb == "update") {
        set(path, "put", write_op("put", "replace" + sub_noun, "replace " + what, gvk, kind_ref));
      } else if (verb == "patch") {
        set(path, "patch", patch_op("patch" + sub_noun, what, gvk, kind_ref));
      }
    }
    add_path_parameters(path, t.namespaced, true);
  }

  static Operation write_op(std::string action, std::string id, std::string description,
                            const GroupVersionKind& gvk, const std::string& kind_ref) {
    return Operation{.action = std::move(action),
                     .operation_id = std::move(id),
                     .description = std::move(description),
                     .gvk = gvk,
                     .parameters = json::array({field_validation_parameter()}),
                     .request = json_content(schema_ref(kind_ref)),
                     .response = json_content(schema_ref(kind_ref))};
  }

  /// PATCH. The body types deliberately leave out application/strategic-merge-patch+json even
  /// though the server accepts it: kubectl 1.32's client-side apply builds its three-way
  /// strategic merge patch from the OpenAPI v3 schema of any kind whose PATCH lists that type,
  /// and these schemas do not carry the merge keys (containers by name, ...). Not listed, kubectl
  /// falls back to the merge keys compiled into it, which are upstream's.
  static Operation patch_op(std::string id, const std::string& what, const GroupVersionKind& gvk,
                            const std::string& kind_ref) {
    const json patch = {{"schema", schema_ref(std::string(kMetaPrefix) + "Patch")}};
    return Operation{.action = "patch",
                     .operation_id = std::move(id),
                     .description = "partially update " + what,
                     .gvk = gvk,
                     .parameters = json::array({field_validation_parameter()}),
                     .request = {{"application/json-patch+json", patch},
                                 {"application/merge-patch+json", patch},
                                 {"application/apply-patch+yaml", patch}},
                     .response = json_content(schema_ref(kind_ref))};
  }

  void set(const std::string& path, const char* method, const Operation& op) {
    paths_[path][method] = to_json(op, tag_);
  }

  /// name and namespace, declared once on the path as upstream does.
  void add_path_parameters(const std::string& path, bool namespaced, bool named) {
    json params = json::array();
    if (named) params.push_back(path_parameter("name", "name of the object"));
    if (namespaced)
      params.push_back(path_parameter("namespace",
                                      "object name and auth scope, such as for teams "
                                      "and projects"));
    if (!params.empty()) paths_[path]["parameters"] = std::move(params);
  }

  /// The schema of a kind an endpoint answers: a registered kind's from its TypeInfo, another
  /// (autoscaling/v1 Scale, policy/v1 Eviction, ...) with the common fields only.
  void ensure_schema(const GroupVersionKind& gvk) {
    const std::string name = schema_name(gvk);
    if (schemas_.contains(name)) return;
    const std::string api_version = gvk.group.empty()
                                        ? std::string(gvk.version)
                                        : std::string(gvk.group) + "/" + std::string(gvk.version);
    if (const auto* t = api::Registry::builtin().by_kind(api_version, gvk.kind))
      schemas_[name] = kind_schema(gvk, t->tracks_generation, t->has_status);
    else
      schemas_[name] = kind_schema(gvk, false, false);
  }

  std::string tag_;
  std::string id_infix_;
  std::string prefix_;
  json paths_ = json::object();
  json schemas_ = json::object();
};

std::string sha512_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha512(), nullptr);
  std::string hex;
  hex.reserve(size * 2);
  char byte[3];
  for (unsigned int i = 0; i < size; ++i) {
    std::snprintf(byte, sizeof byte, "%02X", digest[i]);
    hex += byte;
  }
  return hex;
}

std::vector<OpenApiV3Document> build_documents() {
  std::vector<OpenApiV3Document> out;
  for (const auto& gv : served_group_versions()) {
    OpenApiV3Document doc{.path = gv.path(), .text = openapi_v3_group_version(gv).dump()};
    doc.hash = sha512_hex(doc.text);
    out.push_back(std::move(doc));
  }
  return out;
}

}  // namespace

json openapi_v3_group_version(const GroupVersion& gv) {
  DocumentBuilder builder(gv);
  for (const auto* t : kinds_of(gv.group, gv.version)) builder.add(*t, gv.version);
  return std::move(builder).finish();
}

const std::vector<OpenApiV3Document>& openapi_v3_documents() {
  // The registry is fixed at build time, so are the documents: build them once, on first use.
  static const std::vector<OpenApiV3Document> documents = build_documents();
  return documents;
}

const OpenApiV3Document* find_openapi_v3_document(std::string_view path) {
  for (const auto& doc : openapi_v3_documents())
    if (doc.path == path) return &doc;
  return nullptr;
}

json openapi_v3_root() {
  json paths = json::object();
  for (const auto& doc : openapi_v3_documents())
    paths[doc.path] = {{"serverRelativeURL", "/openapi/v3/" + doc.path + "?hash=" + doc.hash}};
  return {{"paths", std::move(paths)}};
}

}  // namespace kactor::http
