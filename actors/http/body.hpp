// Request bodies: the media types the API takes, and objects decoded from them with the
// request's field validation (unknown fields an error, a warning, or ignored).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actors/http/request_options.hpp"
#include "api/object.hpp"
#include "api/served_versions.hpp"

namespace kactor::http {

/// "application/json; charset=utf-8" -> "application/json" (lower case, no parameters).
std::string media_type(std::string_view content_type);

/// One media range of an Accept header: its type (lower case) and parameters
/// ("application/json;as=Table;v=v1;g=meta.k8s.io" -> as, v, g).
struct MediaRange {
  std::string type;
  std::map<std::string, std::string, std::less<>> params;
  /// The parameter's value, or "" when absent.
  std::string_view param(std::string_view key) const;
  /// q=0 (also 0.0, 0.000): the client refuses this type (RFC 9110 §12.4.2).
  bool refused() const;
};

/// The media ranges of an Accept header, in order.
std::vector<MediaRange> parse_accept(std::string_view accept);

struct DecodedBody {
  std::unique_ptr<api::Object> object;
  /// With FieldValidation::warn: one line per unknown field, sent as Warning headers.
  std::vector<std::string> warnings;
};

/// Decodes a JSON, YAML or Kubernetes protobuf body as an object of `type` (a missing
/// kind/apiVersion is taken from the endpoint). A protobuf body becomes its JSON document first
/// (protobuf/decode.hpp); its unknown field numbers follow `validation` as unknown JSON names
/// do. Other media types, and protobuf bodies of kinds without a table, are a 415.
/// `served`: the URL names that other version of the kind; a body of that version (or without
/// apiVersion) is converted to the stored one first.
api::Result<DecodedBody> decode_body(const api::TypeInfo& type, std::string_view content_type,
                                     std::string_view body, FieldValidation validation,
                                     const api::ServedVersion* served = nullptr);

/// Parses a JSON, YAML or protobuf body into a JSON value (DeleteOptions, Scale, patches). A
/// protobuf field number without a table entry is an error: there is no fieldValidation here.
api::Result<nlohmann::json> parse_body_json(std::string_view content_type, std::string_view body);

}  // namespace kactor::http
