#include "api/codec/object_codec.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/codec/json_guard.hpp"
#include "api/registry.hpp"
#include "api/yaml/yaml.hpp"

namespace kactor::api {
namespace {

/// Go's name for a JSON value's kind, for "json: cannot unmarshal X into ..." messages.
std::string_view go_kind(const nlohmann::json& v) {
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  if (v.is_string()) return "string";
  if (v.is_number()) return "number";
  if (v.is_boolean()) return "bool";
  return "null";
}

/// A type-meta field ("kind", "apiVersion") of `doc`: "" when absent or null (Go decodes a
/// null into a string as nothing), a BadRequest naming the field when it is not a string, as
/// upstream's version/kind sniffing answers.
Result<std::string> type_meta(const nlohmann::json& doc, const char* field) {
  const auto it = doc.find(field);
  if (it == doc.end() || it->is_null()) return std::string();
  if (it->is_string()) return it->get<std::string>();
  Status s = bad_request(fmt::format(
      "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go struct "
      "field .{} of type string",
      go_kind(*it), field));
  s.details.causes.push_back(
      {"FieldValueTypeInvalid", fmt::format("expected string, got {}", go_kind(*it)), field});
  return fail(std::move(s));
}

}  // namespace

Result<std::unique_ptr<Object>> decode_json(const nlohmann::json& doc, DecodeOptions opts,
                                            const TypeInfo* expected) {
  if (!doc.is_object()) return fail(bad_request("expected a JSON object"));
  auto api_version = type_meta(doc, "apiVersion");
  if (!api_version) return fail(std::move(api_version.error()));
  auto kind = type_meta(doc, "kind");
  if (!kind) return fail(std::move(kind.error()));
  const TypeInfo* type = expected;
  if (!expected) {
    // Upstream quotes the whole document here; a short excerpt says as much.
    if (kind->empty()) {
      return fail(
          bad_request("Object 'Kind' is missing in '" + json_guard::json_excerpt(doc) + "'"));
    }
    if (api_version->empty()) {
      return fail(
          bad_request("Object 'apiVersion' is missing in '" + json_guard::json_excerpt(doc) + "'"));
    }
    type = Registry::builtin().by_kind(*api_version, *kind);
    if (!type) {
      return fail(bad_request("no kind \"" + json_guard::text_excerpt(*kind) +
                              "\" is registered for version \"" +
                              json_guard::text_excerpt(*api_version) + "\""));
    }
  } else if ((!kind->empty() && *kind != expected->kind) ||
             (!api_version->empty() && *api_version != expected->api_version())) {
    return fail(
        bad_request("the API version in the data (" + json_guard::text_excerpt(*api_version) +
                    ") does not match the expected API version (" + expected->api_version() + ")"));
  }
  return type->from_json(doc, opts);
}

Result<std::unique_ptr<Object>> decode_json(std::string_view text, DecodeOptions opts,
                                            const TypeInfo* expected) {
  // Checked before parsing: everything after the parser may recurse over the value.
  if (const auto at = json_guard::find_excess_depth(text); at != std::string_view::npos) {
    return fail(bad_request(
        fmt::format("json: exceeded max depth of {} at offset {}", limits::kMaxDepth, at)));
  }
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return fail(bad_request("the request body is not valid JSON"));
  return decode_json(doc, opts, expected);
}

nlohmann::json encode_json(const Object& obj) {
  nlohmann::json out;
  obj.type().to_json(obj, out);
  return out;
}

std::string encode_json_string(const Object& obj) {
  std::string out;
  append_json_text(obj, out);
  return out;
}

void append_json_text(const Object& obj, std::string& out) { obj.type().to_json_text(obj, out); }

std::string encode_msgpack(const Object& obj) {
  std::string out;
  obj.type().to_msgpack(obj, out);
  return out;
}

Result<std::unique_ptr<Object>> decode_msgpack(const TypeInfo& type, std::string_view bytes) {
  return type.from_msgpack(bytes);
}

Result<std::vector<std::unique_ptr<Object>>> load_manifest(std::string_view text,
                                                           DecodeOptions opts) {
  auto docs = yaml_to_json(text);
  if (!docs) return fail(docs.error());
  std::vector<std::unique_ptr<Object>> out;
  for (const auto& d : *docs) {
    // A List (kind: List, items: [...]) is flattened, as kubectl does.
    const auto kind = d.is_object() ? type_meta(d, "kind") : Result<std::string>();
    if (!kind) return fail(kind.error());
    if (*kind == "List" && d.contains("items")) {
      const auto& items = d["items"];
      if (!items.is_array()) {
        return fail(bad_request(
            fmt::format("json: cannot unmarshal {} into Go struct field List.items of type "
                        "[]runtime.RawExtension",
                        go_kind(items))));
      }
      for (const auto& item : items) {
        auto o = decode_json(item, opts);
        if (!o) return fail(o.error());
        out.push_back(std::move(*o));
      }
      continue;
    }
    auto o = decode_json(d, opts);
    if (!o) return fail(o.error());
    out.push_back(std::move(*o));
  }
  return out;
}

}  // namespace kactor::api
