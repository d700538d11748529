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

/// Decodes a JSON, YAML or Kubernetes protobuf body as an object of `type` (a missing
/// kind/apiVersion is taken from the endpoint). A protobuf body becomes its JSON document first
/// (protobuf/decode.hpp); its unknown field numbers follow `validation` as unknown JSON names
/// do. Other media types, and protobuf bodies of kinds without a table, are a 415.
api::Result<DecodedBody> decode_body(const api::TypeInfo& type, std::string_view content_type,
                                     std::string_view body, FieldValidation validation);

/// Parses a JSON, YAML or protobuf body into a JSON value (DeleteOptions, Scale, patches). A
/// protobuf field number without a table entry is an error: there is no fieldValidation here.
api::Result<nlohmann::json> parse_body_json(std::string_view content_type, std::string_view body);

}  // namespace kactor::http
