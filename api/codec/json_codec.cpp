#include "api/codec/json_codec.hpp"

#include "api/time/rfc3339.hpp"

#include <fmt/format.h>


namespace kactor::api::json_codec {

std::string format_time(const Time& t) { return format_rfc3339(t.value); }

std::string format_micro_time(const MicroTime& t) { return format_rfc3339_micro(t.value); }

bool parse_time(std::string_view s, TimePoint& out) {
  auto r = parse_rfc3339(s);
  if (!r) return false;
  out = *r;
  return true;
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

}  // namespace kactor::api::json_codec
