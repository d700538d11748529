// JSON patch, merge patch and the content-type dispatch of the PATCH verb.
#include "api/patch/patch.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/codec/json_guard.hpp"
#include "api/codec/limits.hpp"
#include "api/patch/detail/errors.hpp"

namespace kactor::api::patch {
namespace {

using nlohmann::json;

constexpr std::string_view kJsonPatch = "application/json-patch+json";
constexpr std::string_view kMergePatch = "application/merge-patch+json";
constexpr std::string_view kStrategicMergePatch = "application/strategic-merge-patch+json";

/// The media type without parameters, lower-cased: "Application/JSON-Patch+json; charset=utf-8"
/// -> "application/json-patch+json".
std::string media_type(std::string_view content_type) {
  std::string_view bare = content_type.substr(0, content_type.find(';'));
  while (!bare.empty() && std::isspace(static_cast<unsigned char>(bare.back()))) {
    bare.remove_suffix(1);
  }
  while (!bare.empty() && std::isspace(static_cast<unsigned char>(bare.front()))) {
    bare.remove_prefix(1);
  }
  std::string out(bare);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// Upstream decodes the patched JSON into the kind's Go struct; anything but an object fails
/// there with an Invalid error on field "patch".
Result<json> require_object(Result<json> patched, std::string_view kind) {
  if (!patched || patched->is_object()) return patched;
  const std::string dumped = detail::dump_for_message(*patched);
  return fail(invalid("", "",
                      {field_invalid("patch", detail::dump_for_message(json(dumped)),
                                     fmt::format("json: cannot unmarshal {} into Go value of "
                                                 "type v1.{}",
                                                 detail::go_kind(*patched), kind))}));
}

}  // namespace

Result<nlohmann::json> apply_merge_patch(const nlohmann::json& doc, const nlohmann::json& patch) {
  // nlohmann's merge recurses as deep as the patch.
  if (json_guard::measure(patch).depth > limits::kMaxDepth) return fail(detail::too_deep());
  try {
    json result = doc;
    result.merge_patch(patch);
    return result;
  } catch (const std::exception& e) {
    return fail(internal_error(e.what()));
  }
}

Result<nlohmann::json> apply_patch(std::string_view content_type, const nlohmann::json& doc,
                                   std::string_view patch_body, std::string_view kind) {
  const std::string type = media_type(content_type);
  if (type != kJsonPatch && type != kMergePatch && type != kStrategicMergePatch) {
    return fail(unsupported_media_type(json_guard::text_excerpt(content_type)));
  }
  // The cost of one request is bounded before anything is parsed: its size, then its depth
  // (the engines recurse as deep as the patch), then per engine its operations.
  if (patch_body.size() > limits::kMaxRequestBodyBytes) return fail(detail::body_too_large());
  if (json_guard::find_excess_depth(patch_body) != std::string_view::npos) {
    return fail(detail::too_deep());
  }

  json patch;
  try {
    patch = json::parse(patch_body);
  } catch (const json::exception& e) {
    // A syntax error, or a number beyond a double ("1e400", out_of_range 406).
    // evanphx/json-patch reports any undecodable merge patch as ErrBadJSONPatch.
    if (type == kMergePatch) return fail(bad_request("Invalid JSON Patch"));
    // The parser's message can quote a whole string token of the body.
    return fail(
        bad_request(fmt::format("error decoding patch: {}", json_guard::text_excerpt(e.what()))));
  }

  if (type == kJsonPatch) return require_object(apply_json_patch(doc, patch), kind);
  if (type == kMergePatch) {
    // Upstream's MergePatch refuses a null or scalar patch (a list still replaces the object,
    // and then fails to decode).
    if (!patch.is_object() && !patch.is_array()) return fail(bad_request("Invalid JSON Patch"));
    return require_object(apply_merge_patch(doc, patch), kind);
  }
  return require_object(apply_strategic_merge_patch(doc, patch, kind), kind);
}

}  // namespace kactor::api::patch
