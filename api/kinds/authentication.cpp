// TokenRequest and SelfSubjectReview (authentication.k8s.io/v1): type information, defaulting
// and validation.
#include "api/types/authentication.hpp"

#include "api/kinds/kind_impl.hpp"

namespace kactor::api {

void set_defaults(TokenRequest& r) {
  if (!r.spec.expiration_seconds) r.spec.expiration_seconds = 3600;
}

void validate(const TokenRequest& r, const TokenRequest*, std::vector<StatusCause>& causes) {
  const int64_t seconds = r.spec.expiration_seconds.value_or(3600);
  if (seconds < 600)
    causes.push_back(field_invalid("spec.expirationSeconds", std::to_string(seconds),
                                   "may not specify a duration less than 10 minutes"));
  if (seconds > (int64_t{1} << 32))
    causes.push_back(field_invalid("spec.expirationSeconds", std::to_string(seconds),
                                   "may not specify a duration larger than 2^32 seconds"));
}

const TypeInfo& TokenRequest::static_type() {
  static const TypeInfo info = make_type_info<TokenRequest>({
      .group = "authentication.k8s.io",
      .version = "v1",
      .kind = "TokenRequest",
      .resource = "tokenrequests",
      .singular = "tokenrequest",
      .namespaced = true,
  });
  return info;
}

const TypeInfo& SelfSubjectReview::static_type() {
  // Nothing to default or validate: the request carries no data of its own.
  static const TypeInfo info = make_type_info<SelfSubjectReview>({
      .group = "authentication.k8s.io",
      .version = "v1",
      .kind = "SelfSubjectReview",
      .resource = "selfsubjectreviews",
      .singular = "selfsubjectreview",
      .namespaced = false,
  }, NoValidation{}, NoDefaults{});
  return info;
}

}  // namespace kactor::api
