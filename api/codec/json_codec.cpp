#include "api/codec/json_codec.hpp"

#include <fmt/format.h>

#include "api/time/rfc3339.hpp"

namespace kactor::api::json_codec {

std::string format_time(const Time& t) { return format_rfc3339(t.value); }

std::string format_micro_time(const MicroTime& t) { return format_rfc3339_micro(t.value); }

Result<void> parse_time(std::string_view s, TimePoint& out) {
  auto r = parse_rfc3339(s);
  if (!r) return fail(std::move(r.error()));
  out = *r;
  return {};
}

void append_json_string(std::string& out, std::string_view s) {
  // Nearly every string of an object is printable ASCII with nothing to escape: copied as it
  // is. Anything else (controls, quotes, backslashes, UTF-8, invalid bytes) is rare and goes
  // through the library's serializer, so the escaping is the tree's to the byte.
  bool plain = true;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (!plain) {
    out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

std::string type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "object";
    case json::value_t::array: return "array";
    case json::value_t::string: return "string";
    case json::value_t::boolean: return "bool";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "number";
    case json::value_t::number_float: return "number";
    default: return "unknown";
  }
}

void type_error(DecodeContext& ctx, const std::string& path, const json& j, const char* expected) {
  ctx.errors.push_back({"FieldValueTypeInvalid",
                        fmt::format("expected {}, got {}", expected, type_name(j)), path});
}

void time_error(DecodeContext& ctx, const std::string& path, const json& j, const Status& why) {
  if (!why.message.ends_with(kRfc3339OutsideRange)) return type_error(ctx, path, j, "RFC 3339 time");
  ctx.errors.push_back({"FieldValueInvalid", why.message, path});
}

void range_error(DecodeContext& ctx, const std::string& path, const json& j, const char* type) {
  ctx.errors.push_back(
      {"FieldValueInvalid",
       fmt::format("cannot unmarshal number {} into Go value of type {}", j.dump(), type), path});
}

}  // namespace kactor::api::json_codec
