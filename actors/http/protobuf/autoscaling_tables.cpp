// autoscaling/v1 HorizontalPodAutoscaler: what `kubectl autoscale` posts (as protobuf).
#include "actors/http/protobuf/detail/schema.hpp"

namespace kactor::http::protobuf::detail {

namespace {

const Message& cross_version_object_reference() {
  static constexpr Field fields[] = {
      value(1, "kind", Type::string),
      value(2, "name", Type::string),
      value(3, "apiVersion", Type::string),
  };
  static constexpr Message m{"k8s.io.api.autoscaling.v1.CrossVersionObjectReference", fields};
  return m;
}

const Message& hpa_spec() {
  static constexpr Field fields[] = {
      nested(1, "scaleTargetRef", &cross_version_object_reference),
      pointer(2, "minReplicas", Type::int32),
      value(3, "maxReplicas", Type::int32),
      pointer(4, "targetCPUUtilizationPercentage", Type::int32),
  };
  static constexpr Message m{"k8s.io.api.autoscaling.v1.HorizontalPodAutoscalerSpec", fields};
  return m;
}

const Message& hpa_status() {
  static constexpr Field fields[] = {
      pointer(1, "observedGeneration", Type::int64),
      value(2, "lastScaleTime", Type::time),
      value(3, "currentReplicas", Type::int32),
      value(4, "desiredReplicas", Type::int32),
      pointer(5, "currentCPUUtilizationPercentage", Type::int32),
  };
  static constexpr Message m{"k8s.io.api.autoscaling.v1.HorizontalPodAutoscalerStatus", fields};
  return m;
}

}  // namespace

const Message& horizontal_pod_autoscaler_v1() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &hpa_spec),
      nested(3, "status", &hpa_status),
  };
  static constexpr Message m{"k8s.io.api.autoscaling.v1.HorizontalPodAutoscaler", fields};
  return m;
}

}  // namespace kactor::http::protobuf::detail
