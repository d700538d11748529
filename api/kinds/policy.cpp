// ResourceQuota, LimitRange and PriorityClass: type information.
#include "api/types/policy.hpp"

#include "api/defaults/policy_defaults.hpp"
#include "api/kinds/kind_impl.hpp"
#include "api/validation/policy_validation.hpp"

namespace kactor::api {

const TypeInfo& ResourceQuota::static_type() {
  static const TypeInfo info = make_type_info<ResourceQuota>({
      .group = "",
      .version = "v1",
      .kind = "ResourceQuota",
      .resource = "resourcequotas",
      .singular = "resourcequota",
      .namespaced = true,
      .short_names = {"quota"},
  }, NoDefaults{});
  return info;
}

const TypeInfo& LimitRange::static_type() {
  static const TypeInfo info = make_type_info<LimitRange>({
      .group = "",
      .version = "v1",
      .kind = "LimitRange",
      .resource = "limitranges",
      .singular = "limitrange",
      .namespaced = true,
      .short_names = {"limits"},
  });
  return info;
}

const TypeInfo& PriorityClass::static_type() {
  static const TypeInfo info = make_type_info<PriorityClass>({
      .group = "scheduling.k8s.io",
      .version = "v1",
      .kind = "PriorityClass",
      .resource = "priorityclasses",
      .singular = "priorityclass",
      .namespaced = false,
      .short_names = {"pc"},
  });
  return info;
}

}  // namespace kactor::api
