// The registry of built-in kinds: every kind kactor serves, in one list.
#pragma once

#include <string_view>
#include <vector>

#include "api/object.hpp"

namespace kactor::api {

class Registry {
 public:
  /// The built-in kinds (registered in registry.cpp, one explicit list).
  static const Registry& builtin();

  const std::vector<const TypeInfo*>& all() const { return types_; }
  /// By plural resource name ("pods") within a group ("" for core).
  const TypeInfo* by_resource(std::string_view group, std::string_view resource) const;
  /// By resource name, singular name or short name, in any group ("po", "pod", "pods").
  const TypeInfo* by_any_name(std::string_view name) const;
  /// By apiVersion ("v1", "apps/v1") and kind ("Pod").
  const TypeInfo* by_kind(std::string_view api_version, std::string_view kind) const;

  /// As by_kind, and also the kinds that are never stored but travel as a request's object
  /// (a subresource's body: policy/v1 Eviction, authentication.k8s.io/v1 TokenRequest), which
  /// a request decoded from the wire may carry.
  const TypeInfo* by_request_kind(std::string_view api_version, std::string_view kind) const;

 private:
  explicit Registry(std::vector<const TypeInfo*> types) : types_(std::move(types)) {}
  std::vector<const TypeInfo*> types_;
};

}  // namespace kactor::api
