// `/openapi/v2` as kubectl 1.20 reads it: the PATCH operation of every kind that can be
// patched, with its group-version-kind and a `dryRun` parameter, in the protobuf encoding of
// gnostic's openapi_v2.Document. Field numbers are gnostic's openapiv2/OpenAPIv2.proto.
#include <algorithm>
#include <string>

#include "actors/http/openapi.hpp"
#include "actors/http/protobuf/wire_writer.hpp"
#include "api/registry.hpp"
#include "api/version.hpp"

namespace kactor::http {
namespace {

using protobuf::bytes_field;

// Document
constexpr uint32_t kDocumentSwagger = 1, kDocumentInfo = 2, kDocumentPaths = 8;
constexpr uint32_t kInfoTitle = 1, kInfoVersion = 2;
// Paths → NamedPathItem{name, value: PathItem}
constexpr uint32_t kPathsPath = 2, kNamedName = 1, kNamedValue = 2;
constexpr uint32_t kPathItemPatch = 8;
// Operation
constexpr uint32_t kOperationParameters = 8, kOperationVendorExtension = 13;
// ParametersItem.parameter → Parameter.non_body_parameter → NonBodyParameter.query_…
constexpr uint32_t kParametersItemParameter = 1, kParameterNonBody = 2, kNonBodyQuery = 3;
constexpr uint32_t kQueryIn = 2, kQueryName = 4, kQueryType = 6;
// NamedAny{name, value: Any{yaml}}
constexpr uint32_t kAnyYaml = 2;

std::string query_parameter(std::string_view name) {
  const auto query = bytes_field(kQueryIn, "query") + bytes_field(kQueryName, name) +
                     bytes_field(kQueryType, "string");
  return bytes_field(
      kOperationParameters,
      bytes_field(kParametersItemParameter,
                  bytes_field(kParameterNonBody, bytes_field(kNonBodyQuery, query))));
}

/// The operation's x-kubernetes-group-version-kind: one YAML map (definitions carry a list).
std::string group_version_kind(const GroupVersionKind& gvk) {
  const std::string yaml = "group: \"" + std::string(gvk.group) +
                           "\"\nkind: " + std::string(gvk.kind) +
                           "\nversion: " + std::string(gvk.version) + "\n";
  return bytes_field(kOperationVendorExtension,
                     bytes_field(kNamedName, "x-kubernetes-group-version-kind") +
                         bytes_field(kNamedValue, bytes_field(kAnyYaml, yaml)));
}

/// The PATCH of one kind's item path. No `consumes`: kubectl ≥ 1.2x computes an apply's patch
/// from the v2 definitions only when the operation lists strategic merge patch there, and
/// this document has none.
std::string patch_path(const GroupVersion& gv, const api::TypeInfo& t) {
  const std::string path =
      "/" + gv.path() + (t.namespaced ? "/namespaces/{namespace}/" : "/") + t.resource + "/{name}";
  const auto operation =
      group_version_kind({t.group, gv.version, t.kind}) + query_parameter("dryRun");
  return bytes_field(kPathsPath,
                     bytes_field(kNamedName, path) +
                         bytes_field(kNamedValue, bytes_field(kPathItemPatch, operation)));
}

std::string build_document() {
  std::string paths;
  for (const auto& gv : served_group_versions())
    for (const auto* t : kinds_of(gv.group, gv.version)) {
      const auto verbs = resource_verbs(*t);
      if (std::ranges::find(verbs, std::string_view("patch")) != verbs.end())
        paths += patch_path(gv, *t);
    }
  return bytes_field(kDocumentSwagger, "2.0") +
         bytes_field(kDocumentInfo, bytes_field(kInfoTitle, "Kubernetes") +
                                        bytes_field(kInfoVersion, kKubernetesVersion)) +
         bytes_field(kDocumentPaths, paths);
}

}  // namespace

std::string_view openapi_v2_protobuf() {
  // The registry is fixed at build time: built once, on first use.
  static const std::string document = build_document();
  return document;
}

}  // namespace kactor::http
