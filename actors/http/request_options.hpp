// The query parameters of a resource request, checked before anything is sent to the API
// server: a malformed value is a 400 naming the parameter. Unknown parameters are ignored, as
// kube-apiserver ignores them.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "actors/http/route.hpp"
#include "api/status.hpp"

namespace kactor::http {

enum class FieldValidation { ignore, warn, strict };

struct RequestOptions {
  // -- list / watch / get --
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 0;
  std::string continue_token;
  std::string resource_version;
  std::string resource_version_match;
  bool watch = false;
  bool allow_bookmarks = false;
  std::optional<std::chrono::seconds> timeout;  // timeoutSeconds
  // -- writes --
  bool dry_run = false;
  /// Upstream's default when the parameter is absent is Warn (kubectl 1.32 sends Strict).
  FieldValidation field_validation = FieldValidation::warn;
  // -- delete --
  std::optional<int64_t> grace_period_seconds;
  std::string propagation_policy;
  // -- Tables --
  std::string include_object;  // "", None, Metadata, Object
};

api::Result<RequestOptions> parse_request_options(const Query& query);

/// A bool query value as Go's strconv.ParseBool reads it ("1", "t", "true", "TRUE", ...).
std::optional<bool> parse_query_bool(std::string_view text);

/// Query parameter `name` as an integer or a bool; nullopt when absent or empty. A malformed
/// value is a 400: `invalid value for query parameter "limit": "ten": not an integer`.
api::Result<std::optional<int64_t>> query_int(const Query& query, std::string_view name);
api::Result<std::optional<bool>> query_bool(const Query& query, std::string_view name);

}  // namespace kactor::http
