#include "api/validation/namespace_validation.hpp"

#include <algorithm>

#include "api/validation/object_meta_validation.hpp"

namespace kactor::api {

using namespace validation;

void validate(const Namespace& ns, const Namespace* old, std::vector<StatusCause>& causes) {
  if (old) {
    validate_object_meta_update(ns.metadata, old->metadata, "metadata", causes);
  } else {
    validate_object_meta(ns.metadata, false, name_is_dns_label, "metadata", causes);
  }
  for (const auto& f : ns.spec.finalizers) validate_finalizer_name(f, "spec.finalizers", causes);
}

}  // namespace kactor::api
