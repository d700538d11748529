// Binding (v1): assigns a pod to a node; only created through pods/binding.
#pragma once

#include "api/object.hpp"

namespace kactor::api {

struct Binding : ObjectBase<Binding> {
  ObjectReference target;  // kind Node (or empty), name required
  static const TypeInfo& static_type();
  bool operator==(const Binding&) const = default;
};
template <class V>
void describe(V& v, Binding& x) {
  v("metadata", x.metadata, keep_zero);
  v("target", x.target, keep_zero);
}

}  // namespace kactor::api
