// msgpack codec for described types: the store's and the wire's format.
// Structs are maps keyed by the JSON field names (so stored data survives
// added fields); empty fields are omitted as in JSON. Times are int64
// nanoseconds since the epoch, quantities their canonical strings, RawJson its
// text or, for an interned one, an ext of type kInternedJsonExt holding its number.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <msgpack.hpp>

#include "api/codec/json_codec.hpp"  // is_empty
#include "api/codec/limits.hpp"
#include "api/describe.hpp"
#include "api/object.hpp"
#include "api/quantity/quantity.hpp"
#include "api/registry.hpp"
#include "api/types/interned_json.hpp"
#include "api/types/values.hpp"

namespace kactor::api::msgpack_codec {

using Packer = msgpack::packer<msgpack::sbuffer>;
using json_codec::is_empty;

/// The msgpack extension type of an interned RawJson: one byte, its number
/// (interned_json.hpp). Part of the store's format.
inline constexpr int8_t kInternedJsonExt = 1;

template <class T>
void pack(Packer& p, const T& v);

/// First pass over a struct: how many fields will be written.
struct Counter {
  uint32_t n = 0;
  template <class T>
  void operator()(const char*, T& v, uint32_t flags = omit_empty) {
    if ((flags & keep_zero) || !is_empty(v)) ++n;
  }
};

struct Writer {
  Packer& p;
  template <size_t N, class T>
  void operator()(const char (&name)[N], T& v, uint32_t flags = omit_empty) {
    if (!(flags & keep_zero) && is_empty(v)) return;
    p.pack_str(static_cast<uint32_t>(N - 1));
    p.pack_str_body(name, static_cast<uint32_t>(N - 1));
    pack(p, v);
  }
};

inline void pack_string(Packer& p, std::string_view s) {
  p.pack_str(static_cast<uint32_t>(s.size()));
  p.pack_str_body(s.data(), static_cast<uint32_t>(s.size()));
}

/// A polymorphic object on the wire: [apiVersion, kind, bytes] or nil.
void pack_object(Packer& p, const Object* obj);
bool unpack_object(const msgpack::object& o, ObjectPtr& out, std::string& error);

template <class T>
void pack(Packer& p, const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    pack_string(p, v);
  } else if constexpr (std::is_same_v<T, bool>) {
    v ? p.pack_true() : p.pack_false();
  } else if constexpr (std::is_arithmetic_v<T>) {
    p.pack(v);
  } else if constexpr (std::is_same_v<T, Time> || std::is_same_v<T, MicroTime>) {
    p.pack(static_cast<int64_t>(v.value.time_since_epoch().count()));
  } else if constexpr (std::is_same_v<T, IntOrString>) {
    if (v.is_string) pack_string(p, v.string_value);
    else p.pack(v.int_value);
  } else if constexpr (std::is_same_v<T, Quantity>) {
    pack_string(p, v.to_string());
  } else if constexpr (std::is_same_v<T, RawJson>) {
    if (const auto number = interned_json_number(v)) {
      // An interned text goes as its number (interned_json.hpp): 3 bytes, not ~300.
      const char body = static_cast<char>(*number);
      p.pack_ext(1, kInternedJsonExt);
      p.pack_ext_body(&body, 1);
    } else {
      pack_string(p, v.text());
    }
  } else if constexpr (std::is_same_v<T, ObjectPtr>) {
    pack_object(p, v.get());
  } else if constexpr (requires { typename T::value_type; v.has_value(); }) {
    if (v.has_value()) pack(p, *v);
    else p.pack_nil();
  } else if constexpr (requires { typename T::mapped_type; }) {
    p.pack_map(static_cast<uint32_t>(v.size()));
    for (const auto& [k, e] : v) {
      pack_string(p, k);
      pack(p, e);
    }
  } else if constexpr (requires { typename T::value_type; v.begin(); }) {
    p.pack_array(static_cast<uint32_t>(v.size()));
    for (const auto& e : v) pack(p, e);
  } else {
    static_assert(Described<T>, "type has no describe()");
    Counter c;
    describe(c, const_cast<T&>(v));
    p.pack_map(c.n);
    Writer w{p};
    describe(w, const_cast<T&>(v));
  }
}

// -- decoding ------------------------------------------------------------------

/// msgpack-c's limits for unpacking `input_size` bytes: no collection or string can declare
/// more elements than the input has bytes (msgpack-c allocates what a header declares before
/// reading the elements), and nesting stops at limits::kMaxDepth.
inline msgpack::unpack_limit unpack_limits(std::size_t input_size) {
  const auto n = static_cast<std::size_t>(std::min<std::size_t>(input_size, UINT32_MAX));
  return msgpack::unpack_limit(n, n / 2, n, n, n, limits::kMaxDepth);
}

/// For msgpack::unpack: strings and binaries stay in the input instead of being copied into
/// the object's zone. Safe wherever the input outlives the msgpack::object, as in every
/// decode here (unpack() copies what it keeps into the decoded value).
inline bool reference_input(msgpack::type::object_type, std::size_t, void*) { return true; }

/// Decoding stops at the first malformed value: `error` says what is wrong and `path` where
/// (filled in from the innermost field outwards as the failure unwinds).
struct DecodeState {
  std::string error;
  std::string path;

  /// Prefixes `path` with the field `name` ("spec" + "replicas" -> "spec.replicas").
  void inside_field(std::string_view name) {
    path = path.empty() || path[0] == '[' ? std::string(name) + path
                                          : std::string(name) + "." + path;
  }
  /// Prefixes `path` with an index or map key: "[3]", "[cpu]" ("[0]" + "name" -> "[0].name").
  void inside_element(std::string_view element) {
    path = "[" + std::string(element) + "]" + (path.empty() || path[0] == '[' ? path : "." + path);
  }
  /// "spec.replicas: <error>", or the error alone at the top level.
  std::string message() const { return path.empty() ? error : path + ": " + error; }
};

/// The integer in `o` as a T, if it is one T can hold.
template <class T>
std::optional<T> to_integer(const msgpack::object& o) {
  if (o.type == msgpack::type::POSITIVE_INTEGER && std::in_range<T>(o.via.u64)) {
    return static_cast<T>(o.via.u64);
  }
  if (o.type == msgpack::type::NEGATIVE_INTEGER && std::in_range<T>(o.via.i64)) {
    return static_cast<T>(o.via.i64);
  }
  return std::nullopt;
}

template <class T>
bool unpack(const msgpack::object& o, T& v, DecodeState& st);

/// Whether the msgpack key `key` is the field name `name` (a literal: its length is known
/// at compile time, so most keys are told apart by their size alone).
template <size_t N>
bool key_is(std::string_view key, const char (&name)[N]) {
  return key.size() == N - 1 && std::char_traits<char>::compare(key.data(), name, N - 1) == 0;
}

/// Assigns one field from its msgpack value (nil leaves the field as it is); a failure's
/// path names the field.
template <size_t N, class T>
bool unpack_field(const msgpack::object& value, const char (&name)[N], T& v, DecodeState& st) {
  if (value.type == msgpack::type::NIL || unpack(value, v, st)) return true;
  st.inside_field(name);
  return false;
}

/// Second-level visitor: assigns the one field whose name matches `key`.
struct FieldSetter {
  std::string_view key;
  const msgpack::object& value;
  DecodeState& st;
  bool found = false;
  bool ok = true;
  template <size_t N, class T>
  void operator()(const char (&name)[N], T& v, uint32_t = omit_empty) {
    if (found || !key_is(key, name)) return;
    found = true;
    ok = unpack_field(value, name, v, st);
  }
};

/// First visitor over a struct's map: the writer packs fields in describe() order, so one
/// walk over the fields meets the keys in order and assigns each as it passes it. Keys it
/// does not meet (another order, duplicates, unknown keys from a newer writer) are left from
/// `next` on, for FieldSetter one by one.
struct OrderedFieldReader {
  const msgpack::object_kv* keys;
  uint32_t size;
  DecodeState& st;
  uint32_t next = 0;
  bool ok = true;
  template <size_t N, class T>
  void operator()(const char (&name)[N], T& v, uint32_t = omit_empty) {
    if (!ok || next == size) return;
    const auto& kv = keys[next];
    if (kv.key.type != msgpack::type::STR ||
        !key_is(std::string_view(kv.key.via.str.ptr, kv.key.via.str.size), name))
      return;
    ++next;
    ok = unpack_field(kv.val, name, v, st);
  }
};

template <class T>
bool unpack(const msgpack::object& o, T& v, DecodeState& st) {
  using msgpack::type::object_type;
  auto bad = [&](const char* what) {
    st.error = what;
    return false;
  };
  if constexpr (std::is_same_v<T, std::string>) {
    if (o.type != object_type::STR) return bad("expected string");
    v.assign(o.via.str.ptr, o.via.str.size);
  } else if constexpr (std::is_same_v<T, bool>) {
    if (o.type != object_type::BOOLEAN) return bad("expected boolean");
    v = o.via.boolean;
  } else if constexpr (std::is_integral_v<T>) {
    if (o.type != object_type::POSITIVE_INTEGER && o.type != object_type::NEGATIVE_INTEGER) {
      return bad("expected integer");
    }
    const auto n = to_integer<T>(o);
    if (!n) {
      st.error = "integer " +
                 (o.type == object_type::POSITIVE_INTEGER ? std::to_string(o.via.u64)
                                                          : std::to_string(o.via.i64)) +
                 " does not fit the field's type " + json_codec::go_int_type<T>();
      return false;
    }
    v = *n;
  } else if constexpr (std::is_floating_point_v<T>) {
    if (o.type == object_type::FLOAT64 || o.type == object_type::FLOAT32) v = static_cast<T>(o.via.f64);
    else if (o.type == object_type::POSITIVE_INTEGER) v = static_cast<T>(o.via.u64);
    else if (o.type == object_type::NEGATIVE_INTEGER) v = static_cast<T>(o.via.i64);
    else return bad("expected number");
  } else if constexpr (std::is_same_v<T, Time> || std::is_same_v<T, MicroTime>) {
    int64_t ns = 0;
    if (!unpack(o, ns, st)) return false;
    v.value = TimePoint(std::chrono::nanoseconds(ns));
  } else if constexpr (std::is_same_v<T, IntOrString>) {
    if (o.type == object_type::STR) v = IntOrString::from_string(std::string(o.via.str.ptr, o.via.str.size));
    else {
      int32_t i = 0;
      if (!unpack(o, i, st)) return false;
      v = IntOrString::from_int(i);
    }
  } else if constexpr (std::is_same_v<T, ObjectPtr>) {
    return unpack_object(o, v, st.error);
  } else if constexpr (std::is_same_v<T, Quantity>) {
    if (o.type != object_type::STR) return bad("expected quantity string");
    auto q = Quantity::parse(std::string_view(o.via.str.ptr, o.via.str.size));
    if (!q) return bad("malformed quantity");
    v = *q;
  } else if constexpr (std::is_same_v<T, RawJson>) {
    if (o.type == object_type::EXT) {
      if (o.via.ext.type() != kInternedJsonExt || o.via.ext.size != 1)
        return bad("expected JSON text or an interned text's number");
      auto interned = interned_json(static_cast<uint8_t>(o.via.ext.data()[0]));
      if (!interned) return bad("unknown interned JSON text");
      v = std::move(*interned);
      return true;
    }
    if (o.type != object_type::STR) return bad("expected JSON text");
    std::string_view text(o.via.str.ptr, o.via.str.size);
    // An interned text is known to be valid; checking it would parse every pod's projection.
    if (RawJson::interned(text)) {
      v = RawJson(text);
      return true;
    }
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object()) return bad("malformed JSON object");
    // Kept compact, as the JSON decoder keeps it: the JSON text writer copies it into answers
    // as it is, and a peer's line breaks or repeated keys must not reach a watch stream.
    v = RawJson(j.dump());
  } else if constexpr (requires { typename T::value_type; v.has_value(); v.emplace(); }) {
    if (o.type == object_type::NIL) {
      v.reset();
      return true;
    }
    v.emplace();
    return unpack(o, *v, st);
  } else if constexpr (requires { typename T::mapped_type; }) {
    if (o.type != object_type::MAP) return bad("expected map");
    v.clear();
    for (uint32_t i = 0; i < o.via.map.size; ++i) {
      const auto& kv = o.via.map.ptr[i];
      if (kv.key.type != object_type::STR) return bad("expected string key");
      const std::string key(kv.key.via.str.ptr, kv.key.via.str.size);
      if (!unpack(kv.val, v[key], st)) {
        st.inside_element(key);
        return false;
      }
    }
  } else if constexpr (requires { typename T::value_type; v.begin(); v.resize(0); }) {
    if (o.type != object_type::ARRAY) return bad("expected array");
    v.clear();
    v.resize(o.via.array.size);
    for (uint32_t i = 0; i < o.via.array.size; ++i) {
      if (!unpack(o.via.array.ptr[i], v[i], st)) {
        st.inside_element(std::to_string(i));
        return false;
      }
    }
  } else {
    static_assert(Described<T>, "type has no describe()");
    if (o.type != object_type::MAP) return bad("expected map");
    OrderedFieldReader in_order{o.via.map.ptr, o.via.map.size, st};
    describe(in_order, v);
    if (!in_order.ok) return false;
    for (uint32_t i = in_order.next; i < o.via.map.size; ++i) {
      const auto& kv = o.via.map.ptr[i];
      if (kv.key.type != object_type::STR) return bad("expected string key");
      FieldSetter s{std::string_view(kv.key.via.str.ptr, kv.key.via.str.size), kv.val, st};
      describe(s, v);
      if (!s.ok) return false;
      // Unknown keys (from a newer writer) are skipped.
    }
  }
  return true;
}

}  // namespace kactor::api::msgpack_codec
