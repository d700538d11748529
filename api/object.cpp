#include "api/object.hpp"

namespace kactor::api {

std::string object_key(const Object& o) {
  return o.metadata.namespace_.empty() ? o.metadata.name
                                       : o.metadata.namespace_ + "/" + o.metadata.name;
}

const OwnerReference* ObjectMeta::controller_ref() const {
  for (const auto& r : owner_references)
    if (r.controller.value_or(false)) return &r;
  return nullptr;
}

}  // namespace kactor::api
