// JSON codec for described types (Kubernetes field names). Included only by
// .cpp files that instantiate a kind's codecs; it pulls in nlohmann/json.hpp.
#pragma once

#include <charconv>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/describe.hpp"
#include "api/quantity/quantity.hpp"
#include "api/status.hpp"
#include "api/types/values.hpp"

namespace kactor::api::json_codec {

using nlohmann::json;

// -- time formatting ---------------------------------------------------------

std::string format_time(const Time& t);
std::string format_micro_time(const MicroTime& t);
/// Parses an RFC 3339 time into `out`; the error is parse_rfc3339's.
Result<void> parse_time(std::string_view s, TimePoint& out);

// -- integers ------------------------------------------------------------------

/// Go's name for an integer type: "int32", "uint64", ...
template <class T>
constexpr const char* go_int_type() {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  constexpr bool s = std::is_signed_v<T>;
  if constexpr (sizeof(T) == 1) return s ? "int8" : "uint8";
  if constexpr (sizeof(T) == 2) return s ? "int16" : "uint16";
  if constexpr (sizeof(T) == 4) return s ? "int32" : "uint32";
  return s ? "int64" : "uint64";
}

/// The value of the JSON number `j` as a T, if it is a whole number T can hold. Whole floats
/// count ("3.0" from YAML): upstream's YAML-to-JSON step writes them as integers.
template <class T>
std::optional<T> to_integer(const nlohmann::json& j) {
  if (j.is_number_unsigned()) {
    const auto u = j.get<uint64_t>();
    if (std::in_range<T>(u)) return static_cast<T>(u);
  } else if (j.is_number_integer()) {
    const auto i = j.get<int64_t>();
    if (std::in_range<T>(i)) return static_cast<T>(i);
  } else if (j.is_number_float()) {
    // T's minimum and max + 1 are powers of two, so exact doubles; NaN fails both tests.
    const double d = j.get<double>();
    constexpr double lo = static_cast<double>(std::numeric_limits<T>::min());
    const double past_max = static_cast<double>(std::numeric_limits<T>::max()) + 1.0;
    if (d >= lo && d < past_max && d == std::trunc(d)) return static_cast<T>(d);
  }
  return std::nullopt;
}

// -- emptiness (omitempty) ---------------------------------------------------

template <class T>
bool is_empty(const T& v) {
  if constexpr (requires { v.empty(); }) {
    return v.empty();
  } else if constexpr (requires { v.has_value(); }) {
    return !v.has_value();
  } else if constexpr (requires { v.is_set(); }) {
    return !v.is_set();
  } else if constexpr (std::is_arithmetic_v<T>) {
    return v == T{};
  } else if constexpr (std::is_same_v<T, Quantity>) {
    return false;
  } else {
    return v == T{};  // nested structs: omitted when entirely default
  }
}

// -- encoding ------------------------------------------------------------------

template <class T>
json encode(const T& v);

struct Writer {
  json& out;
  template <class T>
  void operator()(const char* name, T& v, uint32_t flags = omit_empty) {
    if (!(flags & keep_zero) && is_empty(v)) return;
    out[name] = encode(v);
  }
};

template <class T>
json encode(const T& v) {
  if constexpr (std::is_same_v<T, std::string> || std::is_arithmetic_v<T>) {
    return json(v);
  } else if constexpr (std::is_same_v<T, Time>) {
    return v.is_set() ? json(format_time(v)) : json(nullptr);
  } else if constexpr (std::is_same_v<T, MicroTime>) {
    return v.is_set() ? json(format_micro_time(v)) : json(nullptr);
  } else if constexpr (std::is_same_v<T, IntOrString>) {
    return v.is_string ? json(v.string_value) : json(v.int_value);
  } else if constexpr (std::is_same_v<T, Quantity>) {
    return json(v.to_string());
  } else if constexpr (std::is_same_v<T, RawJson>) {
    return json::parse(v.text(), nullptr, false);  // valid by construction (decode checks it)
  } else if constexpr (requires { typename T::value_type; v.has_value(); }) {
    return v.has_value() ? encode(*v) : json(nullptr);
  } else if constexpr (requires { typename T::mapped_type; }) {
    json o = json::object();
    for (const auto& [k, e] : v) o[k] = encode(e);
    return o;
  } else if constexpr (requires { typename T::value_type; v.begin(); }) {
    json a = json::array();
    for (const auto& e : v) a.push_back(encode(e));
    return a;
  } else {
    static_assert(Described<T>, "type has no describe()");
    json o = json::object();
    Writer w{o};
    describe(w, const_cast<T&>(v));
    return o;
  }
}

// -- encoding straight to text ----------------------------------------------------
//
// The same document as encode(v).dump(), written without building the tree first: the HTTP
// API answers every GET, LIST and watch event with one, and building and freeing the tree
// took as long as the rest of a GET (bench/README.md, "JSON straight to text"). Fields come
// in declaration order (kind, apiVersion, metadata, spec, status, as upstream writes them);
// the tree sorts its keys. Strings and numbers that need care go through the library, so the
// two encodings cannot drift apart in what they escape or how they print a float.

/// Appends `s` as a JSON string: quoted and escaped as dump() escapes it, invalid UTF-8
/// replaced by U+FFFD (error_handler_t::replace).
void append_json_string(std::string& out, std::string_view s);

template <class T>
void write_text(std::string& out, const T& v);

struct TextWriter {
  std::string& out;
  bool first = true;
  template <class T>
  void operator()(const char* name, T& v, uint32_t flags = omit_empty) {
    if (!(flags & keep_zero) && is_empty(v)) return;
    if (!first) out += ',';
    first = false;
    append_json_string(out, name);
    out += ':';
    write_text(out, v);
  }
};

/// Appends the integer `v` in decimal.
template <std::integral I>
void append_integer(std::string& out, I v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

template <class T>
void write_text(std::string& out, const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    append_json_string(out, v);
  } else if constexpr (std::is_same_v<T, bool>) {
    out += v ? "true" : "false";
  } else if constexpr (std::is_integral_v<T>) {
    append_integer(out, v);
  } else if constexpr (std::is_arithmetic_v<T>) {
    out += json(v).dump();  // floats: the library's shortest round-trip form, as the tree
  } else if constexpr (std::is_same_v<T, Time>) {
    if (v.is_set()) append_json_string(out, format_time(v));
    else out += "null";
  } else if constexpr (std::is_same_v<T, MicroTime>) {
    if (v.is_set()) append_json_string(out, format_micro_time(v));
    else out += "null";
  } else if constexpr (std::is_same_v<T, IntOrString>) {
    if (v.is_string) append_json_string(out, v.string_value);
    else write_text(out, v.int_value);
  } else if constexpr (std::is_same_v<T, Quantity>) {
    append_json_string(out, v.to_string());
  } else if constexpr (std::is_same_v<T, RawJson>) {
    out += v.text();  // compact JSON by construction (the codecs check it)
  } else if constexpr (requires { typename T::value_type; v.has_value(); }) {
    if (v.has_value()) write_text(out, *v);
    else out += "null";
  } else if constexpr (requires { typename T::mapped_type; }) {
    out += '{';
    bool first = true;
    for (const auto& [k, e] : v) {
      if (!first) out += ',';
      first = false;
      append_json_string(out, k);
      out += ':';
      write_text(out, e);
    }
    out += '}';
  } else if constexpr (requires { typename T::value_type; v.begin(); }) {
    out += '[';
    bool first = true;
    for (const auto& e : v) {
      if (!first) out += ',';
      first = false;
      write_text(out, e);
    }
    out += ']';
  } else {
    static_assert(Described<T>, "type has no describe()");
    out += '{';
    TextWriter w{out};
    describe(w, const_cast<T&>(v));
    out += '}';
  }
}

// -- decoding ------------------------------------------------------------------

/// Collects decoding errors with their field paths.
struct DecodeContext {
  bool strict = false;
  std::vector<StatusCause> errors;      // type errors
  std::vector<std::string> unknown;     // unknown fields (strict) as paths
};

std::string type_name(const json& j);
void type_error(DecodeContext& ctx, const std::string& path, const json& j, const char* expected);
/// A time that parse_time refused: a malformed one is a type error, as before; one outside
/// the representable range says so.
void time_error(DecodeContext& ctx, const std::string& path, const json& j, const Status& why);
/// A number that does not fit the field's integer type, worded as Go's decoder words it:
/// "cannot unmarshal number 4294967297 into Go value of type int32".
void range_error(DecodeContext& ctx, const std::string& path, const json& j, const char* type);

/// Decodes an integer field: a whole number in T's range.
template <class T>
void decode_integer(const json& j, T& v, const std::string& path, DecodeContext& ctx) {
  if (const auto n = to_integer<T>(j)) {
    v = *n;
  } else if (j.is_number()) {
    range_error(ctx, path, j, go_int_type<T>());
  } else {
    type_error(ctx, path, j, "integer");
  }
}

template <class T>
void decode(const json& j, T& v, const std::string& path, DecodeContext& ctx);

struct Reader {
  const json& in;
  const std::string& path;
  DecodeContext& ctx;
  std::vector<const char*> seen;
  template <class T>
  void operator()(const char* name, T& v, uint32_t = omit_empty) {
    if (ctx.strict) seen.push_back(name);
    auto it = in.find(name);
    if (it == in.end() || it->is_null()) return;
    decode(*it, v, path.empty() ? std::string(name) : path + "." + name, ctx);
  }
};

template <class T>
void decode(const json& j, T& v, const std::string& path, DecodeContext& ctx) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (j.is_string()) v = j.get_ref<const std::string&>();
    else type_error(ctx, path, j, "string");
  } else if constexpr (std::is_same_v<T, bool>) {
    if (j.is_boolean()) v = j.get<bool>();
    else type_error(ctx, path, j, "boolean");
  } else if constexpr (std::is_integral_v<T>) {
    decode_integer(j, v, path, ctx);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (j.is_number()) v = j.get<T>();
    else type_error(ctx, path, j, "number");
  } else if constexpr (std::is_same_v<T, Time> || std::is_same_v<T, MicroTime>) {
    if (!j.is_string()) {
      type_error(ctx, path, j, "RFC 3339 time");
    } else if (auto parsed = parse_time(j.get_ref<const std::string&>(), v.value); !parsed) {
      time_error(ctx, path, j, parsed.error());
    }
  } else if constexpr (std::is_same_v<T, IntOrString>) {
    if (j.is_string()) {
      v = IntOrString::from_string(j.get<std::string>());
    } else if (j.is_number()) {
      int32_t n = 0;
      decode_integer(j, n, path, ctx);
      v = IntOrString::from_int(n);
    } else {
      type_error(ctx, path, j, "integer or string");
    }
  } else if constexpr (std::is_same_v<T, Quantity>) {
    // A number's own text: dump() prints integers (signed or not) exactly.
    Result<Quantity> q = j.is_string() ? Quantity::parse(j.get_ref<const std::string&>())
                         : j.is_number() ? Quantity::parse(j.dump())
                                         : Result<Quantity>(fail(bad_request("")));
    if (q) v = *q;
    else ctx.errors.push_back(field_invalid(path, j.dump(), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
  } else if constexpr (std::is_same_v<T, RawJson>) {
    if (j.is_object()) v = RawJson(j.dump());
    else type_error(ctx, path, j, "object");
  } else if constexpr (requires { typename T::value_type; v.has_value(); v.emplace(); }) {
    v.emplace();
    decode(j, *v, path, ctx);
  } else if constexpr (requires { typename T::mapped_type; }) {
    if (!j.is_object()) return type_error(ctx, path, j, "object");
    v.clear();
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it->is_null()) continue;
      decode(*it, v[it.key()], path + "[" + it.key() + "]", ctx);
    }
  } else if constexpr (requires { typename T::value_type; v.push_back(std::declval<typename T::value_type>()); }) {
    if (!j.is_array()) return type_error(ctx, path, j, "array");
    v.clear();
    v.resize(j.size());
    for (size_t i = 0; i < j.size(); ++i) decode(j[i], v[i], path + "[" + std::to_string(i) + "]", ctx);
  } else {
    static_assert(Described<T>, "type has no describe()");
    if (!j.is_object()) return type_error(ctx, path, j, "object");
    Reader r{j, path, ctx, {}};
    describe(r, v);
    if (ctx.strict) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        bool known = false;
        for (const char* n : r.seen) {
          if (it.key() == n) { known = true; break; }
        }
        if (!known) ctx.unknown.push_back(path.empty() ? it.key() : path + "." + it.key());
      }
    }
  }
}

}  // namespace kactor::api::json_codec
