// The OpenAPI documents kubectl fetches: `/openapi/v3` (an index of group-versions),
// `/openapi/v3/<api/v1|apis/<g>/<v>>` (one OpenAPI 3.0 document per group-version) and
// `/openapi/v2` (a protobuf document of paths only, in openapi_v2.cpp). Pure functions of the registry and of
// served_resources.hpp; docs/http.md says what kubectl does with each.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/http/served_resources.hpp"

namespace kactor::http {

/// One group-version's OpenAPI v3 document as served: its exact text and the hash that names
/// this text in the index's URL (clients cache by URL).
struct OpenApiV3Document {
  /// "api/v1" or "apis/apps/v1": the index key, and the URL below /openapi/v3/.
  std::string path;
  /// The JSON text, compact, keys sorted: the same bytes on every call.
  std::string text;
  /// Upper-case hex SHA-512 of `text` (what upstream puts in ?hash=).
  std::string hash;
};

/// The OpenAPI 3.0 document of one group-version: components.schemas with a schema per kind
/// (x-kubernetes-group-version-kind; apiVersion, kind, metadata, and spec / status where the
/// kind has them) and a path per endpoint, each operation tagged with its group-version-kind.
/// Every POST, PUT and PATCH lists the `fieldValidation` query parameter: kubectl 1.32 reads it
/// on PATCH to leave validation to the server (--validate=strict sends fieldValidation=Strict).
nlohmann::json openapi_v3_group_version(const GroupVersion& gv);

/// The documents of every served group-version, in served_group_versions() order; built once.
const std::vector<OpenApiV3Document>& openapi_v3_documents();

/// The document at `path` ("api/v1", "apis/apps/v1"), or nullptr (404).
const OpenApiV3Document* find_openapi_v3_document(std::string_view path);

/// `/openapi/v3`: {paths: {"api/v1": {serverRelativeURL: "/openapi/v3/api/v1?hash=<hash>"}, ...}}.
nlohmann::json openapi_v3_root();

/// What kubectl asks /openapi/v2 for (its Accept header).
inline constexpr std::string_view kOpenApiV2ProtobufAccept =
    "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
/// The Content-Type of the answer (as upstream's: '.' for '@'). client-go parses a Content-Type
/// as a media type first, and '@' is not allowed in one: echoing the Accept fails the request.
inline constexpr std::string_view kOpenApiV2ProtobufContentType =
    "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

/// The body of `/openapi/v2`: a gnostic openapi_v2.Document in protobuf with `paths` only, no
/// definitions. Each kind that can be patched has its item path with a PATCH operation that
/// names its group-version-kind and takes `dryRun`: kubectl 1.20 checks exactly that before
/// `kubectl diff` and any `--dry-run=server` ("doesn't support dry-run" otherwise). Without
/// definitions every schema lookup misses, so kubectl's client-side validation and its
/// OpenAPI-driven patching still skip every kind (docs/http.md says why).
std::string_view openapi_v2_protobuf();

}  // namespace kactor::http
