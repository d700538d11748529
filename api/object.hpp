// The polymorphic API object and the per-kind type information.
//
// Every kind (Pod, Node, ...) derives from Object through ObjectBase<T> and is
// described once (describe()); TypeInfo holds the type-erased operations that
// generic code (the API server, codecs, kubectl gateway) needs, all derived from
// that description by make_type_info<T>() in api/kind_impl.hpp.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/status.hpp"
#include "api/types/meta.hpp"

namespace kactor::api {

struct Object;
struct TypeInfo;

/// Immutable, shared snapshot of an object: decoded once, read by many.
using ObjectPtr = std::shared_ptr<const Object>;

struct Object {
  virtual ~Object() = default;
  ObjectMeta metadata;

  /// The kind's type information (names and operations).
  virtual const TypeInfo& type() const = 0;

  /// Compares metadata only; kinds compare their own fields on top (defaulted ==).
  bool operator==(const Object& o) const { return metadata == o.metadata; }

 protected:
  Object() = default;
  Object(const Object&) = default;
  Object& operator=(const Object&) = default;
};

/// JSON decoding options.
struct DecodeOptions {
  /// Unknown fields are an error (fieldValidation=Strict) instead of being dropped.
  bool strict = false;
};

/// Names of a kind and the operations generic code performs on it.
struct TypeInfo {
  // -- names ---------------------------------------------------------------
  std::string group;     // "" for the core group, "apps", "coordination.k8s.io", ...
  std::string version;   // "v1"
  std::string kind;      // "Pod"
  std::string resource;  // "pods"
  std::string singular;  // "pod"
  bool namespaced = true;
  /// Has a status subresource: update ignores status, update_status ignores the rest.
  bool has_status = false;
  /// metadata.generation is bumped on every change outside metadata and status.
  bool tracks_generation = false;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  /// Field selector names beyond metadata.name / metadata.namespace.
  std::vector<std::string> selectable_fields;

  /// "v1" or "apps/v1".
  std::string api_version() const { return group.empty() ? version : group + "/" + version; }

  // -- operations ----------------------------------------------------------
  std::unique_ptr<Object> (*make)() = nullptr;
  std::unique_ptr<Object> (*clone)(const Object&) = nullptr;
  bool (*equal)(const Object&, const Object&) = nullptr;
  /// Everything except metadata and status equal (decides generation bumps).
  bool (*spec_equal)(const Object&, const Object&) = nullptr;
  /// Overwrites `to`'s status with `from`'s (no-op for kinds without status).
  void (*copy_status)(const Object& from, Object& to) = nullptr;
  /// Overwrites everything but metadata and status of `to` with `from`'s.
  void (*copy_spec)(const Object& from, Object& to) = nullptr;

  void (*to_json)(const Object&, nlohmann::json& out) = nullptr;
  /// Appends the same document as text, fields in declaration order (json_codec::write_text).
  void (*to_json_text)(const Object&, std::string& out) = nullptr;
  /// Decodes a whole object (apiVersion/kind are checked by the caller).
  Result<std::unique_ptr<Object>> (*from_json)(const nlohmann::json&, DecodeOptions) = nullptr;
  void (*to_msgpack)(const Object&, std::string& out) = nullptr;
  Result<std::unique_ptr<Object>> (*from_msgpack)(std::string_view) = nullptr;

  /// The value of a selectable field, e.g. "spec.nodeName"; nullopt if unknown.
  std::optional<std::string> (*field)(const Object&, std::string_view) = nullptr;
  /// Fills defaults as the API server does on create and update.
  void (*set_defaults)(Object&) = nullptr;
  /// Validates a new object (old == nullptr) or an update; causes carry field paths.
  std::vector<StatusCause> (*validate)(const Object& obj, const Object* old) = nullptr;
  /// Validates an update through the status subresource, whose spec and metadata are the
  /// stored ones. A kind with `validate_status_update(const T&, const T& old, causes)` checks
  /// only what such an update can change (a pod's status, as upstream's
  /// ValidatePodStatusUpdate); any other kind is validated as on a full update.
  std::vector<StatusCause> (*validate_status)(const Object& obj, const Object& old) = nullptr;
};

/// Base of every kind: implements type() from T::static_type().
template <class T>
struct ObjectBase : Object {
  const TypeInfo& type() const override { return T::static_type(); }
};

/// Downcast helper: the object as kind T, or nullptr.
template <class T>
const T* as(const Object& o) {
  return &o.type() == &T::static_type() ? static_cast<const T*>(&o) : nullptr;
}
template <class T>
T* as(Object& o) {
  return &o.type() == &T::static_type() ? static_cast<T*>(&o) : nullptr;
}
template <class T>
std::shared_ptr<const T> as(const ObjectPtr& o) {
  if (!o || &o->type() != &T::static_type()) return nullptr;
  return std::static_pointer_cast<const T>(o);
}

/// "namespace/name" or "name": the key controllers queue and informers index by.
std::string object_key(const Object& o);

}  // namespace kactor::api
