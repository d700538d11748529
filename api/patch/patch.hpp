// Applying PATCH request bodies to the JSON form of an object, as kube-apiserver does.
#pragma once

#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "api/status.hpp"

namespace kactor::api::patch {

/// RFC 6902 JSON patch (`application/json-patch+json`).
/// A patch that is not an array of objects answers 400 BadRequest; an operation that cannot be
/// applied (missing path, failed `test`, unknown op) answers what kube-apiserver answers:
/// 422 Invalid "the server rejected our request due to an error in our request".
Result<nlohmann::json> apply_json_patch(const nlohmann::json& doc, const nlohmann::json& patch);

/// RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge recursively, `null`
/// deletes a key, anything that is not an object replaces the target whole.
Result<nlohmann::json> apply_merge_patch(const nlohmann::json& doc, const nlohmann::json& patch);

/// Kubernetes' strategic merge patch (`application/strategic-merge-patch+json`) for an object of
/// `kind` ("Pod", "Deployment", ...). Lists with a merge key (see api/patch/detail/schema.hpp) are merged
/// entry by entry, other lists are replaced whole, maps merge recursively and the directives
/// `$patch`, `$retainKeys`, `$deleteFromPrimitiveList/<f>` and `$setElementOrder/<f>` are honoured.
/// A malformed patch (not an object, unknown `$patch`, bad directive) answers 400 BadRequest.
Result<nlohmann::json> apply_strategic_merge_patch(const nlohmann::json& doc,
                                                   const nlohmann::json& patch,
                                                   std::string_view kind);

/// The PATCH handler's entry point: parses `patch_body` and applies it according to
/// `content_type` (parameters such as "; charset=utf-8" are ignored). Unsupported types
/// (e.g. `application/apply-patch+yaml`) answer 415; an unparsable body answers 400; a result
/// that is not a JSON object answers 422 Invalid, as the decode step upstream would.
Result<nlohmann::json> apply_patch(std::string_view content_type, const nlohmann::json& doc,
                                   std::string_view patch_body, std::string_view kind);

}  // namespace kactor::api::patch
