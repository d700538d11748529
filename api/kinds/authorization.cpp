// SelfSubjectAccessReview and SelfSubjectRulesReview (authorization.k8s.io/v1): type
// information and validation.
#include "api/types/authorization.hpp"

#include "api/kinds/kind_impl.hpp"

namespace kactor::api {

void validate(const SelfSubjectAccessReview& r, const SelfSubjectAccessReview*,
              std::vector<StatusCause>& causes) {
  // Upstream's field.Invalid prints the value it was given; the absent attributes print
  // as "null".
  const auto& spec = r.spec;
  if (spec.resource_attributes && spec.non_resource_attributes)
    causes.push_back(field_invalid("spec.nonResourceAttributes", "{...}",
                                   "cannot be specified in combination with resourceAttributes"));
  if (!spec.resource_attributes && !spec.non_resource_attributes)
    causes.push_back(
        field_invalid("spec.resourceAttributes", "\"null\"",
                      "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
  // A review asks about the user making it: it names no object of its own.
  if (!(r.metadata == ObjectMeta{})) causes.push_back(field_invalid("metadata", "{...}", "must be empty"));
}

const TypeInfo& SelfSubjectAccessReview::static_type() {
  static const TypeInfo info = make_type_info<SelfSubjectAccessReview>({
      .group = "authorization.k8s.io",
      .version = "v1",
      .kind = "SelfSubjectAccessReview",
      .resource = "selfsubjectaccessreviews",
      .singular = "selfsubjectaccessreview",
      .namespaced = false,
  }, NoDefaults{});
  return info;
}

const TypeInfo& SelfSubjectRulesReview::static_type() {
  // Upstream validates nothing here; the handler refuses a review without a namespace.
  static const TypeInfo info = make_type_info<SelfSubjectRulesReview>({
      .group = "authorization.k8s.io",
      .version = "v1",
      .kind = "SelfSubjectRulesReview",
      .resource = "selfsubjectrulesreviews",
      .singular = "selfsubjectrulesreview",
      .namespaced = false,
  }, NoValidation{}, NoDefaults{});
  return info;
}

}  // namespace kactor::api
