#include "actors/http/body.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "actors/http/protobuf/decode.hpp"
#include "api/codec/json_guard.hpp"
#include "api/codec/object_codec.hpp"
#include "api/yaml/yaml.hpp"

namespace kactor::http {

std::string media_type(std::string_view content_type) {
  auto end = content_type.find(';');
  auto t = content_type.substr(0, end);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  std::string out(t);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Calls `f` on each piece of `text` between `sep`s.
template <class F>
void for_each_piece(std::string_view text, char sep, F f) {
  size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    f(text.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace

std::string_view MediaRange::param(std::string_view key) const {
  auto it = params.find(key);
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

bool MediaRange::refused() const {
  auto q = param("q");
  return !q.empty() && q.find_first_not_of("0.") == std::string_view::npos;
}

std::vector<MediaRange> parse_accept(std::string_view accept) {
  std::vector<MediaRange> out;
  for_each_piece(accept, ',', [&](std::string_view range) {
    MediaRange r;
    bool first = true;
    for_each_piece(range, ';', [&](std::string_view part) {
      part = trim(part);
      if (first) {
        r.type = media_type(part);
        first = false;
      } else if (auto eq = part.find('='); eq != std::string_view::npos) {
        r.params.emplace(std::string(trim(part.substr(0, eq))), std::string(trim(part.substr(eq + 1))));
      }
    });
    out.push_back(std::move(r));
  });
  return out;
}

namespace {

api::Status unsupported(std::string_view content_type) {
  return api::unsupported_media_type(std::string(content_type));
}

}  // namespace

api::Result<nlohmann::json> parse_body_json(std::string_view content_type, std::string_view body) {
  const auto type = media_type(content_type);
  if (type == protobuf::kMediaType) {
    // No fieldValidation applies to these bodies (DeleteOptions, Scale): a field number the
    // tables do not know is refused rather than dropped unseen.
    auto decoded = protobuf::protobuf_to_json(body);
    if (!decoded) return api::fail(decoded.error());
    if (!decoded->unknown.empty())
      return api::fail(protobuf::unknown_fields_error(decoded->unknown));
    return std::move(decoded->object);
  }
  if (type == "application/yaml") {
    auto docs = api::yaml_to_json(body);
    if (!docs) return api::fail(docs.error());
    if (docs->size() != 1)
      return api::fail(api::bad_request("the request body must hold exactly one YAML document"));
    return std::move(docs->front());
  }
  if (!type.empty() && type != "application/json" && type.find("+json") == std::string::npos)
    return api::fail(unsupported(content_type));
  if (const auto at = api::json_guard::find_excess_depth(body); at != std::string_view::npos)
    return api::fail(api::bad_request("json: exceeded max depth of " +
                                      std::to_string(api::limits::kMaxDepth) + " at offset " +
                                      std::to_string(at)));
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded()) return api::fail(api::bad_request("the request body is not valid JSON"));
  return doc;
}

api::Result<DecodedBody> decode_body(const api::TypeInfo& type, std::string_view content_type,
                                     std::string_view body, FieldValidation validation,
                                     const api::ServedVersion* served) {
  const auto mt = media_type(content_type);
  DecodedBody out;
  api::Result<nlohmann::json> doc;
  if (mt == protobuf::kMediaType) {
    // Field numbers the tables do not know are what unknown field names are in JSON: an
    // error with Strict, a warning with Warn, nothing with Ignore.
    auto decoded = protobuf::protobuf_to_json(body);
    if (!decoded) return api::fail(decoded.error());
    if (!decoded->unknown.empty() && validation == FieldValidation::strict)
      return api::fail(protobuf::unknown_fields_error(decoded->unknown));
    if (validation == FieldValidation::warn)
      for (const auto& u : decoded->unknown) out.warnings.push_back(u.describe());
    doc = std::move(decoded->object);
  } else if (!mt.empty() && mt != "application/json" && mt != "application/yaml") {
    return api::fail(unsupported(content_type));
  } else {
    doc = parse_body_json(content_type, body);
  }
  if (!doc) return api::fail(doc.error());
  if (served && doc->is_object()) {
    // A body of the stored version is taken as it is (upstream decodes any version of the
    // group-kind at any of its endpoints).
    const auto it = doc->find("apiVersion");
    if (it == doc->end() || *it == served->api_version())
      if (auto converted = served->to_stored(*doc); !converted) return api::fail(converted.error());
  }
  if (validation == FieldValidation::ignore) {
    auto obj = api::decode_json(*doc, {.strict = false}, &type);
    if (!obj) return api::fail(obj.error());
    out.object = std::move(*obj);
    return out;
  }
  auto obj = api::decode_json(*doc, {.strict = true}, &type);
  if (obj) {
    out.object = std::move(*obj);
    return out;
  }
  const auto& causes = obj.error().details.causes;
  const bool only_unknown =
      !causes.empty() && std::all_of(causes.begin(), causes.end(), [](const api::StatusCause& c) {
        return c.reason == "FieldValueUnknown";
      });
  if (validation == FieldValidation::strict || !only_unknown) return api::fail(obj.error());
  // Warn: the unknown fields become warnings, the rest of the object is taken.
  for (const auto& c : causes) out.warnings.push_back(c.message);
  auto lenient = api::decode_json(*doc, {.strict = false}, &type);
  if (!lenient) return api::fail(lenient.error());
  out.object = std::move(*lenient);
  return out;
}

}  // namespace kactor::http
