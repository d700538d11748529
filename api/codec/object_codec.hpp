// Whole-object codecs: JSON documents with apiVersion/kind, msgpack bytes,
// YAML manifests. The kind is looked up in the built-in Registry.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/object.hpp"

namespace kactor::api {

/// Decodes a JSON object whose apiVersion and kind name a registered kind.
/// With `expected`, the document must be of that kind (missing apiVersion/kind
/// are then filled in, as kube-apiserver does for a typed endpoint).
Result<std::unique_ptr<Object>> decode_json(const nlohmann::json& doc, DecodeOptions opts = {},
                                            const TypeInfo* expected = nullptr);
Result<std::unique_ptr<Object>> decode_json(std::string_view text, DecodeOptions opts = {},
                                            const TypeInfo* expected = nullptr);

nlohmann::json encode_json(const Object& obj);
/// The same document as compact text, written directly (no tree): kind and apiVersion first,
/// then the fields in declaration order; invalid UTF-8 in a string becomes U+FFFD.
std::string encode_json_string(const Object& obj);
/// The same, appended to `out`.
void append_json_text(const Object& obj, std::string& out);

std::string encode_msgpack(const Object& obj);
Result<std::unique_ptr<Object>> decode_msgpack(const TypeInfo& type, std::string_view bytes);

/// Loads every document of a (multi-document) YAML or JSON manifest.
Result<std::vector<std::unique_ptr<Object>>> load_manifest(std::string_view text,
                                                           DecodeOptions opts = {});

}  // namespace kactor::api
