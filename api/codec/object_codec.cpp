#include "api/codec/object_codec.hpp"

#include <nlohmann/json.hpp>

#include "api/registry.hpp"
#include "api/yaml/yaml.hpp"

namespace kactor::api {

Result<std::unique_ptr<Object>> decode_json(const nlohmann::json& doc, DecodeOptions opts,
                                            const TypeInfo* expected) {
  if (!doc.is_object()) return fail(bad_request("expected a JSON object"));
  auto api_version = doc.value("apiVersion", std::string());
  auto kind = doc.value("kind", std::string());
  const TypeInfo* type = expected;
  if (!expected) {
    if (kind.empty()) return fail(bad_request("Object 'Kind' is missing in '" + doc.dump() + "'"));
    if (api_version.empty())
      return fail(bad_request("Object 'apiVersion' is missing in '" + doc.dump() + "'"));
    type = Registry::builtin().by_kind(api_version, kind);
    if (!type)
      return fail(bad_request("no kind \"" + kind + "\" is registered for version \"" +
                              api_version + "\""));
  } else if ((!kind.empty() && kind != expected->kind) ||
             (!api_version.empty() && api_version != expected->api_version())) {
    return fail(bad_request("the API version in the data (" + api_version +
                            ") does not match the expected API version (" +
                            expected->api_version() + ")"));
  }
  return type->from_json(doc, opts);
}

Result<std::unique_ptr<Object>> decode_json(std::string_view text, DecodeOptions opts,
                                            const TypeInfo* expected) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return fail(bad_request("the request body is not valid JSON"));
  return decode_json(doc, opts, expected);
}

nlohmann::json encode_json(const Object& obj) {
  nlohmann::json out;
  obj.type().to_json(obj, out);
  return out;
}

std::string encode_json_string(const Object& obj) { return encode_json(obj).dump(); }

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
    if (d.is_object() && d.value("kind", "") == "List" && d.contains("items")) {
      for (const auto& item : d["items"]) {
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
