// An HTTP request as the API takes it apart before anything reaches the API server: the
// target (path and query: percent-decoding, namespaces and subresources) and the body (media
// type, JSON or YAML, decoded as the endpoint's kind with field validation). The first byte
// picks the content type and the validation; the rest is split at the first newline into the
// target and the body. Properties: nothing crashes or throws; a parsed route is stable (its
// decoded path, percent-encoded again, parses to the same route); a decoded body re-encodes to
// JSON that decodes to an equal object.
#include <nlohmann/json.hpp>

#include "actors/http/body.hpp"
#include "actors/http/route.hpp"
#include "api/codec/object_codec.hpp"
#include "api/types/all.hpp"
#include "tests/fuzz/fuzz_target.hpp"

using namespace kactor;

namespace {

std::string encode_path(const std::string& path) {
  std::string out;
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace

KACTOR_FUZZ_TARGET(http_request) {
  if (input.empty()) return;
  const unsigned char mode = static_cast<unsigned char>(input[0]);
  input.remove_prefix(1);
  const auto nl = input.find('\n');
  const auto target = input.substr(0, nl);
  const auto body = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);

  // Segments are split before decoding, so an encoded '/' (%2F) stays inside its segment and
  // the decoded path would split differently: only targets without one must round-trip.
  const auto path_part = target.substr(0, target.find('?'));
  const bool encoded_slash = path_part.find("%2F") != std::string_view::npos ||
                             path_part.find("%2f") != std::string_view::npos;
  if (auto route = http::parse_route(target); route && !encoded_slash) {
    auto again = http::parse_route(encode_path(route->path));
    FUZZ_REQUIRE(again.has_value());
    FUZZ_REQUIRE(again->kind == route->kind);
    FUZZ_REQUIRE(again->path == route->path);
    FUZZ_REQUIRE(again->resource == route->resource && again->name == route->name &&
                 again->namespace_ == route->namespace_ && again->subresource == route->subresource);
  }

  static const char* kTypes[] = {"application/json", "application/yaml",
                                 "application/json; charset=utf-8", "application/vnd.kubernetes.protobuf",
                                 "", "text/plain"};
  static const http::FieldValidation kValidation[] = {
      http::FieldValidation::strict, http::FieldValidation::warn, http::FieldValidation::ignore};
  const auto* type = &api::Pod::static_type();
  if (mode & 0x40) type = &api::ConfigMap::static_type();
  auto decoded = http::decode_body(*type, kTypes[mode % 6], body, kValidation[(mode >> 3) % 3]);
  if (!decoded) {
    FUZZ_REQUIRE(decoded.error().code >= 400 && decoded.error().code < 500);
    return;
  }
  FUZZ_REQUIRE(&decoded->object->type() == type);
  auto json = api::encode_json(*decoded->object);
  auto back = api::decode_json(json, {.strict = true}, type);
  FUZZ_REQUIRE(back.has_value());
  FUZZ_REQUIRE(type->equal(**back, *decoded->object));
}
