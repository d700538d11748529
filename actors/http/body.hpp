// Request bodies: the media types the API takes, and objects decoded from them with the
// request's field validation (unknown fields an error, a warning, or ignored).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actors/http/request_options.hpp"
#include "api/object.hpp"

namespace kactor::http {

/// "application/json; charset=utf-8" -> "application/json" (lower case, no parameters).
std::string media_type(std::string_view content_type);

struct DecodedBody {
  std::unique_ptr<api::Object> object;
  /// With FieldValidation::warn: one line per unknown field, sent as Warning headers.
  std::vector<std::string> warnings;
};

/// Decodes a JSON or YAML body as an object of `type` (a missing kind/apiVersion is taken from
/// the endpoint). Protobuf and other media types are a 415 UnsupportedMediaType.
api::Result<DecodedBody> decode_body(const api::TypeInfo& type, std::string_view content_type,
                                     std::string_view body, FieldValidation validation);

/// Parses a JSON or YAML body into a JSON value (DeleteOptions, Scale, patches).
api::Result<nlohmann::json> parse_body_json(std::string_view content_type, std::string_view body);

}  // namespace kactor::http
