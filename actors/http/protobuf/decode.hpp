// Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf), as kubectl's typed
// commands send them, decoded into the JSON document the same object has in JSON, so the
// request then goes on exactly as a JSON one.
//
// The body is upstream's protobuf envelope: the magic "k8s\0", then a runtime.Unknown
// {typeMeta{apiVersion=1, kind=2}=1, raw=2, contentEncoding=3, contentType=4} whose raw is the
// typed object's protobuf. Field numbers and JSON names come from one table per message
// (detail/schema.hpp), for the kinds kinds.cpp lists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/status.hpp"

namespace kactor::http::protobuf {

/// The media type of Kubernetes protobuf bodies.
inline constexpr std::string_view kMediaType = "application/vnd.kubernetes.protobuf";

/// A field number a message's table does not know: a field of a newer Kubernetes, or one of
/// the fields kactor's tables leave out.
struct UnknownField {
  std::string message;  // the upstream message name, "k8s.io.api.core.v1.PodSpec"
  std::uint32_t number;
  std::string path;  // where in the object's JSON, "spec.template.spec"

  /// `unknown field number 99 of k8s.io.api.core.v1.PodSpec at "spec.template.spec"`
  std::string describe() const;
};

struct Decoded {
  nlohmann::json object;              // with apiVersion and kind from the envelope
  std::vector<UnknownField> unknown;  // skipped; the caller decides what they mean
};

/// Decodes a protobuf body. A malformed body is a BadRequest saying what and where; a kind
/// without a table is a 415 UnsupportedMediaType naming it. Unknown field numbers are
/// skipped and listed, for the caller to refuse, warn about or ignore as fieldValidation asks.
api::Result<Decoded> protobuf_to_json(std::string_view body);

/// The BadRequest for unknown field numbers under fieldValidation=Strict, one cause each
/// (reason FieldValueUnknown), worded as the JSON path's "strict decoding error".
api::Status unknown_fields_error(const std::vector<UnknownField>& unknown);

/// The kinds with tables, "v1/Namespace, v1/ConfigMap, ..." (for error messages and docs).
std::string supported_kinds();

}  // namespace kactor::http::protobuf
