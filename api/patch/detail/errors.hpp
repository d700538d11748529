// The Status values the patch code answers with, worded as kube-apiserver words them.
// Internal to api/patch*.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/codec/json_guard.hpp"
#include "api/codec/limits.hpp"
#include "api/status.hpp"

namespace kactor::api::patch::detail {

/// Upstream turns a patch that decodes but cannot be applied into
/// NewGenericServerResponse(422, ...): reason Invalid, a fixed message, and what went wrong
/// (if anything is said) as the one cause.
inline Status patch_rejected(std::string why = {}) {
  Status s;
  s.code = 422;
  s.reason = "Invalid";
  s.message = "the server rejected our request due to an error in our request";
  if (!why.empty()) s.details.causes.push_back({"UnexpectedServerResponse", std::move(why), ""});
  return s;
}

/// A patch nested deeper than limits::kMaxDepth (the body, or a JSON patch's result).
inline Status too_deep() {
  Status s = patch_rejected();
  s.message += fmt::format(": the patch exceeded max depth of {}", limits::kMaxDepth);
  return s;
}

/// A patch body over limits::kMaxRequestBodyBytes, worded as kube-apiserver's body limit.
inline Status body_too_large() {
  Status s;
  s.code = 413;
  s.reason = "RequestEntityTooLarge";
  s.message = fmt::format("Request entity too large: limit is {}", limits::kMaxRequestBodyBytes);
  return s;
}

inline Status too_many_operations(std::size_t got) {
  Status s;
  s.code = 413;
  s.reason = "RequestEntityTooLarge";
  s.message = fmt::format(
      "Request entity too large: The allowed maximum operations in a JSON patch is {}, got {}",
      limits::kMaxJsonPatchOperations, got);
  return s;
}

/// JSON text of (the start of) a value for an error message: never the whole of a large
/// value, never throws on invalid UTF-8, never recurses.
inline std::string dump_for_message(const nlohmann::json& v) {
  return json_guard::json_excerpt(v);
}

/// Go's name for a JSON value's kind, for "json: cannot unmarshal X into ..." messages.
inline std::string_view go_kind(const nlohmann::json& v) {
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  if (v.is_string()) return "string";
  if (v.is_number()) return "number";
  if (v.is_boolean()) return "bool";
  return "null";
}

// -- strategic merge patch format errors (k8s.io/apimachinery/pkg/util/mergepatch) --

inline Status bad_patch_type(const nlohmann::json& directive, const nlohmann::json& map) {
  const std::string value = directive.is_string()
                                ? json_guard::text_excerpt(directive.get_ref<const std::string&>())
                                : dump_for_message(directive);
  return bad_request(
      fmt::format("unknown patch type: {} in map: {}", value, dump_for_message(map)));
}
inline Status no_merge_key(const nlohmann::json& map, std::string_view key) {
  return bad_request(fmt::format("map: {} does not contain declared merge key: {}",
                                 dump_for_message(map), json_guard::text_excerpt(key)));
}
inline Status bad_primitive_list() {
  return bad_request("invalid patch format of primitive list");
}
inline Status bad_retain_keys() {
  return bad_request("invalid patch format of retainKeys");
}
inline Status bad_set_element_order() {
  return bad_request("invalid patch format of setElementOrder list");
}

}  // namespace kactor::api::patch::detail
