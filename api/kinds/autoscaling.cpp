// HorizontalPodAutoscaler (autoscaling/v2, stored; autoscaling/v1 is served too: see
// api/served_versions.cpp): type information.
#include "api/defaults/autoscaling_defaults.hpp"
#include "api/kinds/kind_impl.hpp"
#include "api/types/autoscaling.hpp"
#include "api/validation/autoscaling_validation.hpp"

namespace kactor::api {

const TypeInfo& HorizontalPodAutoscaler::static_type() {
  static const TypeInfo info = make_type_info<HorizontalPodAutoscaler>({
      .group = "autoscaling",
      .version = "v2",
      .kind = "HorizontalPodAutoscaler",
      .resource = "horizontalpodautoscalers",
      .singular = "horizontalpodautoscaler",
      .namespaced = true,
      .short_names = {"hpa"},
      .categories = {"all"},
  });
  return info;
}

}  // namespace kactor::api
