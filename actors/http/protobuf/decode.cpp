#include "actors/http/protobuf/decode.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include <fmt/format.h>

#include "actors/http/protobuf/detail/kinds.hpp"
#include "actors/http/protobuf/detail/schema.hpp"
#include "actors/http/protobuf/detail/wire.hpp"
#include "api/codec/limits.hpp"
#include "api/time/rfc3339.hpp"
#include "api/util/base64.hpp"

namespace kactor::http::protobuf {

using nlohmann::json;
using namespace std::string_view_literals;

namespace {

using detail::Field;
using detail::Label;
using detail::Message;
using detail::Tag;
using detail::Type;
using detail::WireReader;
using detail::WireType;

constexpr std::string_view kMagic = "k8s\0"sv;
constexpr std::string_view kUnknownMessage = "k8s.io.apimachinery.pkg.runtime.Unknown";
/// Go's zero time.Time, 0001-01-01T00:00:00Z, in Unix seconds: an unset metav1.Time.
constexpr std::int64_t kGoZeroTimeSeconds = -62135596800;
/// The seconds a TimePoint (int64 nanoseconds) holds either side of 1970.
constexpr std::int64_t kMaxTimeSeconds = 9'223'372'035;

// -- the shapes of the three value types that are messages on the wire but scalars in JSON --

const Message& time_message() {
  static constexpr Field fields[] = {
      detail::pointer(1, "seconds", Type::int64),
      detail::pointer(2, "nanos", Type::int32),
  };
  static constexpr Message m{"k8s.io.apimachinery.pkg.apis.meta.v1.Time", fields};
  return m;
}

const Message& quantity_message() {
  static constexpr Field fields[] = {detail::pointer(1, "string", Type::string)};
  static constexpr Message m{"k8s.io.apimachinery.pkg.api.resource.Quantity", fields};
  return m;
}

const Message& int_or_string_message() {
  static constexpr Field fields[] = {
      detail::pointer(1, "type", Type::int64),
      detail::pointer(2, "intVal", Type::int32),
      detail::pointer(3, "strVal", Type::string),
  };
  static constexpr Message m{"k8s.io.apimachinery.pkg.util.intstr.IntOrString", fields};
  return m;
}

bool is_length_delimited(Type t) {
  return t != Type::boolean && t != Type::int32 && t != Type::int64;
}

std::string_view wire_type_name(WireType t) {
  switch (t) {
    case WireType::varint:
      return "varint";
    case WireType::fixed64:
      return "fixed64";
    case WireType::length_delimited:
      return "length-delimited";
    case WireType::fixed32:
      return "fixed32";
    default:
      return "group";
  }
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i <= n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += n + 1;
  }
  return true;
}

std::string child(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

/// Walks a message's bytes along its table, writing the JSON object. The first error stops
/// the walk; unknown field numbers are skipped and listed.
class Decoder {
 public:
  std::vector<UnknownField> unknown;
  std::optional<api::Status> error;

  bool message(std::string_view bytes, std::size_t base, const Message& m, json& out,
               const std::string& path, int depth) {
    if (depth > api::limits::kMaxDepth)
      return fail(base, fmt::format("messages nested deeper than {}", api::limits::kMaxDepth));
    if (!out.is_object()) out = json::object();
    WireReader r(bytes, base);
    while (!r.done()) {
      const auto at = r.offset();
      const auto tag = r.tag();
      if (!tag) return fail(at, fmt::format("a field key of {} that is not valid", m.name));
      const Field* f = m.find(tag->number);
      if (!f) {
        note_unknown(m, tag->number, path);
        if (!r.skip(tag->type))
          return fail(at, fmt::format("field {} of {} is cut short", tag->number, m.name));
        continue;
      }
      if (!field(r, *tag, *f, m, out, path, depth)) return false;
    }
    return true;
  }

 private:
  bool fail(std::size_t offset, const std::string& what) {
    error = api::bad_request(
        fmt::format("the protobuf body is malformed: {} (at byte {})", what, offset));
    return false;
  }

  void note_unknown(const Message& m, std::uint32_t number, const std::string& path) {
    const bool seen = std::any_of(unknown.begin(), unknown.end(), [&](const UnknownField& u) {
      return u.number == number && u.path == path && u.message == m.name;
    });
    if (!seen) unknown.push_back({std::string(m.name), number, path});
  }

  std::string name_of(const Field& f, const Message& m, const std::string& path) const {
    return fmt::format("field {} ({}) of {} at \"{}\"", f.number, f.json, m.name, path);
  }

  bool field(WireReader& r, Tag tag, const Field& f, const Message& m, json& out,
             const std::string& path, int depth) {
    const auto at = r.offset();
    const auto where = child(path, f.json);
    // A repeated number or bool may come packed: one length-delimited run of varints.
    if (f.label == Label::repeated && !is_length_delimited(f.type) &&
        tag.type == WireType::length_delimited) {
      const auto run = r.length_delimited();
      if (!run) return fail(at, name_of(f, m, path) + " is cut short");
      WireReader packed(*run, at);
      auto& list = out[std::string(f.json)];
      if (!list.is_array()) list = json::array();
      while (!packed.done()) {
        const auto v = packed.varint();
        if (!v) return fail(packed.offset(), name_of(f, m, path) + " holds a bad varint");
        list.push_back(number(f.type, *v));
      }
      return true;
    }
    const auto expected =
        is_length_delimited(f.type) || f.label == Label::map || f.label == Label::inline_message
            ? WireType::length_delimited
            : WireType::varint;
    if (tag.type != expected)
      return fail(at, fmt::format("{} has wire type {}, not {}", name_of(f, m, path),
                                  wire_type_name(tag.type), wire_type_name(expected)));
    switch (f.label) {
      case Label::inline_message: {
        const auto bytes = r.length_delimited();
        if (!bytes) return fail(at, name_of(f, m, path) + " is cut short");
        return message(*bytes, r.offset() - bytes->size(), f.message(), out, path, depth + 1);
      }
      case Label::map:
        return map_entry(r, f, m, out, path, depth);
      case Label::repeated: {
        auto& list = out[std::string(f.json)];
        if (!list.is_array()) list = json::array();
        json element;
        bool zero = false;
        if (!value(r, f, m, element, zero, fmt::format("{}[{}]", where, list.size()), depth))
          return false;
        list.push_back(std::move(element));
        return true;
      }
      case Label::value:
      case Label::pointer: {
        // A message seen twice is merged, as upstream's decoder does; a scalar: last wins.
        json v = f.type == Type::message && out.contains(std::string(f.json))
                     ? out[std::string(f.json)]
                     : json();
        bool zero = false;
        if (!value(r, f, m, v, zero, where, depth)) return false;
        // The zero time is "no time" even in a pointer: Go's JSON prints it as null.
        if (zero && (f.label == Label::value || f.type == Type::time)) {
          out.erase(std::string(f.json));
          return true;
        }
        out[std::string(f.json)] = std::move(v);
        return true;
      }
    }
    return true;
  }

  static json number(Type t, std::uint64_t v) {
    switch (t) {
      case Type::boolean:
        return v != 0;
      // Upstream's decoder keeps the low 32 bits (a negative int32 is sign-extended to 64).
      case Type::int32:
        return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
      default:
        return static_cast<std::int64_t>(v);
    }
  }

  /// One value of field `f` into `v`; `zero` says whether it is its type's zero value.
  bool value(WireReader& r, const Field& f, const Message& m, json& v, bool& zero,
             const std::string& where, int depth) {
    const auto at = r.offset();
    if (!is_length_delimited(f.type)) {
      const auto raw = r.varint();
      if (!raw) return fail(at, name_of(f, m, where) + " holds a bad varint");
      zero = *raw == 0 || (f.type == Type::int32 && static_cast<std::uint32_t>(*raw) == 0);
      v = number(f.type, *raw);
      return true;
    }
    const auto bytes = r.length_delimited();
    if (!bytes) return fail(at, name_of(f, m, where) + " is cut short");
    const auto base = r.offset() - bytes->size();
    switch (f.type) {
      case Type::string:
        if (!valid_utf8(*bytes))
          return fail(base, fmt::format("the string at \"{}\" is not valid UTF-8", where));
        zero = bytes->empty();
        v = std::string(*bytes);
        return true;
      case Type::bytes:
        zero = bytes->empty();
        v = api::base64_encode(*bytes);
        return true;
      case Type::message:
        return message(*bytes, base, f.message(), v, where, depth + 1);
      case Type::time:
        return time(*bytes, base, v, zero, where, depth);
      case Type::quantity: {
        json q;
        if (!message(*bytes, base, quantity_message(), q, where, depth + 1)) return false;
        v = q.value("string", "");
        zero = v.get_ref<const std::string&>().empty();
        return true;
      }
      case Type::int_or_string: {
        json x;
        if (!message(*bytes, base, int_or_string_message(), x, where, depth + 1)) return false;
        if (x.value("type", std::int64_t{0}) == 1) {
          v = x.value("strVal", "");
          zero = v.get_ref<const std::string&>().empty();
        } else {
          v = x.value("intVal", std::int32_t{0});
          zero = v.get<std::int32_t>() == 0;
        }
        return true;
      }
      default:
        return true;
    }
  }

  bool time(std::string_view bytes, std::size_t base, json& v, bool& zero, const std::string& where,
            int depth) {
    json t;
    if (!message(bytes, base, time_message(), t, where, depth + 1)) return false;
    const auto seconds = t.value("seconds", std::int64_t{0});
    const auto nanos = t.value("nanos", std::int32_t{0});
    zero = (seconds == 0 && nanos == 0) || seconds == kGoZeroTimeSeconds;
    if (zero) {
      v = nullptr;
      return true;
    }
    if (seconds < -kMaxTimeSeconds || seconds > kMaxTimeSeconds)
      return fail(base, fmt::format("the time at \"{}\" ({} s after 1970) is {}", where, seconds,
                                    kRfc3339OutsideRange));
    // metav1.Time is whole seconds in JSON; the nanoseconds are dropped as upstream does.
    v = format_rfc3339(TimePoint(std::chrono::seconds(seconds)));
    return true;
  }

  bool map_entry(WireReader& r, const Field& f, const Message& m, json& out,
                 const std::string& path, int depth) {
    const auto at = r.offset();
    const auto bytes = r.length_delimited();
    if (!bytes) return fail(at, name_of(f, m, path) + " is cut short");
    // The entry is a message {key=1 string, value=2 of the map's type}; its name is upstream's.
    const std::string entry_name = fmt::format(
        "{}.{}{}Entry", m.name, static_cast<char>(std::toupper(f.json[0])), f.json.substr(1));
    const Field entry_fields[] = {
        detail::pointer(1, "key", Type::string),
        {2, "value", f.type, Label::pointer, f.message},
    };
    const Message entry{entry_name, entry_fields};
    json e;
    if (!message(*bytes, r.offset() - bytes->size(), entry, e, child(path, f.json), depth + 1))
      return false;
    auto& target = out[std::string(f.json)];
    if (!target.is_object()) target = json::object();
    const std::string key = e.value("key", "");
    if (e.contains("value")) {
      target[key] = std::move(e["value"]);
    } else {
      // A missing value is the zero of its type, as upstream reads it.
      switch (f.type) {
        case Type::quantity:
          target[key] = "0";
          break;
        case Type::message:
          target[key] = json::object();
          break;
        default:
          target[key] = "";
      }
    }
    return true;
  }
};

struct Envelope {
  std::string api_version;
  std::string kind;
  std::string_view raw;
  std::size_t raw_base = 0;
  std::string content_encoding;
};

api::Status malformed(std::size_t at, std::string_view what) {
  return api::bad_request(fmt::format("the protobuf body is malformed: {} (at byte {})", what, at));
}

api::Result<Envelope> read_envelope(std::string_view body, std::vector<UnknownField>& unknown) {
  if (!body.starts_with(kMagic))
    return api::fail(api::bad_request(
        "the protobuf body does not start with the 4 bytes \"k8s\\x00\" of Kubernetes' "
        "protobuf envelope"));
  Envelope env;
  WireReader r(body.substr(kMagic.size()), kMagic.size());
  auto read_string = [&](std::string& out, std::string_view name) -> std::optional<api::Status> {
    const auto at = r.offset();
    const auto s = r.length_delimited();
    if (!s) return malformed(at, fmt::format("the envelope's {} is cut short", name));
    if (!valid_utf8(*s)) return malformed(at, fmt::format("the envelope's {} is not UTF-8", name));
    out = std::string(*s);
    return std::nullopt;
  };
  while (!r.done()) {
    const auto at = r.offset();
    const auto tag = r.tag();
    if (!tag) return api::fail(malformed(at, "a field key of the envelope that is not valid"));
    const bool bytes_field = tag->number >= 1 && tag->number <= 4;
    if (bytes_field && tag->type != WireType::length_delimited)
      return api::fail(malformed(
          at, fmt::format("field {} of {} is not length-delimited", tag->number, kUnknownMessage)));
    if (tag->number == 1) {
      const auto meta = r.length_delimited();
      if (!meta) return api::fail(malformed(at, "the envelope's typeMeta is cut short"));
      WireReader m(*meta, r.offset() - meta->size());
      while (!m.done()) {
        const auto mat = m.offset();
        const auto mt = m.tag();
        if (!mt || (mt->number <= 2 && mt->type != WireType::length_delimited))
          return api::fail(malformed(mat, "the envelope's typeMeta is not valid"));
        std::optional<std::string_view> s;
        if (mt->number <= 2)
          s = m.length_delimited();
        else if (!m.skip(mt->type))
          return api::fail(malformed(mat, "the envelope's typeMeta is cut short"));
        if (mt->number <= 2) {
          if (!s || !valid_utf8(*s))
            return api::fail(malformed(mat, "the envelope's typeMeta is not valid"));
          (mt->number == 1 ? env.api_version : env.kind) = std::string(*s);
        }
      }
    } else if (tag->number == 2) {
      const auto raw = r.length_delimited();
      if (!raw) return api::fail(malformed(at, "the envelope's raw object is cut short"));
      env.raw = *raw;
      env.raw_base = r.offset() - raw->size();
    } else if (tag->number == 3) {
      if (auto e = read_string(env.content_encoding, "contentEncoding")) return api::fail(*e);
    } else if (tag->number == 4) {
      std::string ignored;  // the raw object's media type; upstream's encoder leaves it empty
      if (auto e = read_string(ignored, "contentType")) return api::fail(*e);
    } else {
      if (!r.skip(tag->type)) return api::fail(malformed(at, "the envelope is cut short"));
      unknown.push_back({std::string(kUnknownMessage), tag->number, ""});
    }
  }
  return env;
}

}  // namespace

std::string UnknownField::describe() const {
  return fmt::format("unknown field number {} of {} at \"{}\"", number, message, path);
}

std::string supported_kinds() {
  std::string out;
  for (const auto& t : detail::kind_tables())
    out += fmt::format("{}{}/{}", out.empty() ? "" : ", ", t.api_version, t.kind);
  return out;
}

api::Result<Decoded> protobuf_to_json(std::string_view body) {
  Decoded out;
  auto env = read_envelope(body, out.unknown);
  if (!env) return api::fail(env.error());
  if (!env->content_encoding.empty())
    return api::fail(api::bad_request(
        fmt::format("the protobuf body's contentEncoding \"{}\" is not supported (only none)",
                    env->content_encoding)));
  if (env->kind.empty() || env->api_version.empty())
    return api::fail(api::bad_request(
        "the protobuf body's envelope names no apiVersion and kind (typeMeta, field 1)"));
  const Message* table = detail::find_kind(env->api_version, env->kind);
  if (!table) {
    auto s = api::unsupported_media_type(std::string(kMediaType));
    s.message = fmt::format(
        "the body of the request was in an unknown format - kactor decodes {} bodies only of "
        "{}, not of {}/{}; send application/json or application/yaml",
        kMediaType, supported_kinds(), env->api_version, env->kind);
    return api::fail(std::move(s));
  }
  Decoder decoder;
  if (!decoder.message(env->raw, env->raw_base, *table, out.object, "", 1))
    return api::fail(*decoder.error);
  out.object["apiVersion"] = env->api_version;
  out.object["kind"] = env->kind;
  out.unknown.insert(out.unknown.end(), decoder.unknown.begin(), decoder.unknown.end());
  return out;
}

api::Status unknown_fields_error(const std::vector<UnknownField>& unknown) {
  std::string msg = "strict decoding error: ";
  std::vector<api::StatusCause> causes;
  for (std::size_t i = 0; i < unknown.size(); ++i) {
    msg += (i ? ", " : "") + unknown[i].describe();
    causes.push_back({"FieldValueUnknown", unknown[i].describe(), unknown[i].path});
  }
  auto s = api::bad_request(msg);
  s.details.causes = std::move(causes);
  return s;
}

}  // namespace kactor::http::protobuf
