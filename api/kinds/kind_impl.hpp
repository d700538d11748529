// make_type_info<T>(): derives a kind's TypeInfo operations from its one
// description. Included only by the .cpp file that defines T::static_type().
#pragma once

#include <type_traits>

#include "api/codec/json_codec.hpp"
#include "api/codec/msgpack_codec.hpp"
#include "api/object.hpp"

namespace kactor::api {

/// The names of a kind, given where it is registered.
struct KindNames {
  std::string group;
  std::string version;
  std::string kind;
  std::string resource;
  std::string singular;
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  std::vector<std::string> selectable_fields;
};

/// Markers for make_type_info: the kind has no defaulting / no validation, by decision (as
/// upstream). Without the marker a kind must have `set_defaults(T&)` and
/// `validate(const T&, const T*, causes)` visible where it is registered, so forgetting an
/// include is a compile error instead of a kind the API server silently accepts unchecked.
struct NoDefaults {};
struct NoValidation {};

namespace detail {

template <class T>
concept HasDefaults = requires(T& x) { set_defaults(x); };
template <class T>
concept HasValidation =
    requires(const T& x, std::vector<StatusCause>& c) { validate(x, &x, c); };

template <class T>
concept HasStatusValidation = requires(const T& x, std::vector<StatusCause>& c) {
  validate_status_update(x, x, c);
};

template <class T>
concept HasStatus = requires(T& x) { x.status; };

/// Fields a kind's top level carries besides its described ones.
inline bool is_type_meta_key(const std::string& k) { return k == "apiVersion" || k == "kind"; }

template <class T>
Result<std::unique_ptr<Object>> from_json(const nlohmann::json& j, DecodeOptions opts) {
  auto obj = std::make_unique<T>();
  json_codec::DecodeContext ctx;
  ctx.strict = opts.strict;
  if (!j.is_object()) return fail(bad_request("expected a JSON object, got " + json_codec::type_name(j)));
  const std::string root;
  json_codec::Reader r{j, root, ctx, {}};
  describe(r, *obj);
  if (opts.strict) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (is_type_meta_key(it.key())) continue;
      bool known = false;
      for (const char* n : r.seen) known = known || it.key() == n;
      if (!known) ctx.unknown.push_back(it.key());
    }
  }
  if (!ctx.errors.empty()) {
    std::string msg;
    for (auto& e : ctx.errors) msg += (msg.empty() ? "" : ", ") + e.field + ": " + e.message;
    auto s = bad_request(T::static_type().kind + " in version \"" + T::static_type().version +
                         "\" cannot be handled as a " + T::static_type().kind + ": " + msg);
    s.details.causes = std::move(ctx.errors);
    return fail(std::move(s));
  }
  if (!ctx.unknown.empty()) {
    std::string msg = "strict decoding error: ";
    Status s;
    for (size_t i = 0; i < ctx.unknown.size(); ++i) {
      msg += (i ? ", " : "") + std::string("unknown field \"") + ctx.unknown[i] + "\"";
      s.details.causes.push_back(field_unknown(ctx.unknown[i]));
    }
    auto causes = std::move(s.details.causes);
    s = bad_request(msg);
    s.details.causes = std::move(causes);
    return fail(std::move(s));
  }
  return std::unique_ptr<Object>(std::move(obj));
}

template <class T>
std::optional<std::string> field_of(const Object& o, std::string_view f) {
  const auto& x = static_cast<const T&>(o);
  if (f == "metadata.name") return x.metadata.name;
  if (f == "metadata.namespace") return x.metadata.namespace_;
  if constexpr (requires { field_value(x, f); }) return field_value(x, f);
  return std::nullopt;
}

}  // namespace detail

template <class T, class... Markers>
TypeInfo make_type_info(KindNames n, Markers...) {
  constexpr bool no_defaults = (std::is_same_v<Markers, NoDefaults> || ...);
  constexpr bool no_validation = (std::is_same_v<Markers, NoValidation> || ...);
  static_assert(detail::HasDefaults<T> != no_defaults,
                "a kind needs set_defaults(T&) in scope, or the NoDefaults marker (not both)");
  static_assert(detail::HasValidation<T> != no_validation,
                "a kind needs validate(const T&, const T*, causes) in scope, or the NoValidation "
                "marker (not both)");
  TypeInfo t;
  t.group = std::move(n.group);
  t.version = std::move(n.version);
  t.kind = std::move(n.kind);
  t.resource = std::move(n.resource);
  t.singular = std::move(n.singular);
  t.namespaced = n.namespaced;
  t.short_names = std::move(n.short_names);
  t.categories = std::move(n.categories);
  t.selectable_fields = std::move(n.selectable_fields);
  t.has_status = detail::HasStatus<T>;
  t.tracks_generation = requires(T& x) { x.spec; };

  t.make = [] { return std::unique_ptr<Object>(std::make_unique<T>()); };
  t.clone = [](const Object& o) {
    return std::unique_ptr<Object>(std::make_unique<T>(static_cast<const T&>(o)));
  };
  t.equal = [](const Object& a, const Object& b) {
    return static_cast<const T&>(a) == static_cast<const T&>(b);
  };
  t.spec_equal = [](const Object& a, const Object& b) {
    T x = static_cast<const T&>(a), y = static_cast<const T&>(b);
    x.metadata = {};
    y.metadata = {};
    if constexpr (detail::HasStatus<T>) {
      x.status = {};
      y.status = {};
    }
    return x == y;
  };
  t.copy_status = [](const Object& from, Object& to) {
    if constexpr (detail::HasStatus<T>) static_cast<T&>(to).status = static_cast<const T&>(from).status;
  };
  t.copy_spec = [](const Object& from, Object& to) {
    auto& dst = static_cast<T&>(to);
    ObjectMeta meta = std::move(dst.metadata);
    if constexpr (detail::HasStatus<T>) {
      auto status = std::move(dst.status);
      dst = static_cast<const T&>(from);
      dst.status = std::move(status);
    } else {
      dst = static_cast<const T&>(from);
    }
    dst.metadata = std::move(meta);
  };
  t.to_json = [](const Object& o, nlohmann::json& out) {
    out = json_codec::encode(static_cast<const T&>(o));
    const TypeInfo& ti = T::static_type();
    out["apiVersion"] = ti.api_version();
    out["kind"] = ti.kind;
  };
  t.to_json_text = [](const Object& o, std::string& out) {
    const TypeInfo& ti = T::static_type();
    out += "{\"kind\":";
    json_codec::append_json_string(out, ti.kind);
    out += ",\"apiVersion\":";
    json_codec::append_json_string(out, ti.api_version());
    json_codec::TextWriter w{out, false};
    describe(w, const_cast<T&>(static_cast<const T&>(o)));
    out += '}';
  };
  t.from_json = &detail::from_json<T>;
  t.to_msgpack = [](const Object& o, std::string& out) {
    msgpack::sbuffer buf;
    msgpack_codec::Packer p(buf);
    msgpack_codec::pack(p, static_cast<const T&>(o));
    out.assign(buf.data(), buf.size());
  };
  t.from_msgpack = [](std::string_view bytes) -> Result<std::unique_ptr<Object>> {
    auto obj = std::make_unique<T>();
    msgpack_codec::DecodeState st;
    try {
      msgpack::object_handle h =
          msgpack::unpack(bytes.data(), bytes.size(), msgpack_codec::reference_input, nullptr,
                          msgpack_codec::unpack_limits(bytes.size()));
      if (!msgpack_codec::unpack(h.get(), *obj, st))
        return fail(bad_request("decoding " + T::static_type().kind + ": " + st.message()));
    } catch (const std::exception& e) {  // msgpack-c reports malformed input by throwing
      return fail(bad_request("decoding " + T::static_type().kind + ": " + e.what()));
    }
    return std::unique_ptr<Object>(std::move(obj));
  };
  t.field = &detail::field_of<T>;
  t.set_defaults = [](Object& o) {
    if constexpr (!no_defaults) set_defaults(static_cast<T&>(o));
  };
  t.validate = [](const Object& o, const Object* old) {
    std::vector<StatusCause> causes;
    if constexpr (!no_validation)
      validate(static_cast<const T&>(o), static_cast<const T*>(old), causes);
    return causes;
  };
  t.validate_status = [](const Object& o, const Object& old) {
    std::vector<StatusCause> causes;
    if constexpr (detail::HasStatusValidation<T>)
      validate_status_update(static_cast<const T&>(o), static_cast<const T&>(old), causes);
    else if constexpr (!no_validation)
      validate(static_cast<const T&>(o), static_cast<const T*>(&old), causes);
    return causes;
  };
  return t;
}

}  // namespace kactor::api
