// Field tables of apps/v1 (k8s.io/api/apps/v1/generated.proto), scheduling.k8s.io/v1 and
// autoscaling/v1 messages.
#include "actors/http/protobuf/detail/schema.hpp"

namespace kactor::http::protobuf::detail {

namespace {

// -- Deployment --

const Message& rolling_update_deployment() {
  static constexpr Field fields[] = {
      pointer(1, "maxUnavailable", Type::int_or_string),
      pointer(2, "maxSurge", Type::int_or_string),
  };
  static constexpr Message m{"k8s.io.api.apps.v1.RollingUpdateDeployment", fields};
  return m;
}

const Message& deployment_strategy() {
  static constexpr Field fields[] = {
      value(1, "type", Type::string),
      nested(2, "rollingUpdate", &rolling_update_deployment),
  };
  static constexpr Message m{"k8s.io.api.apps.v1.DeploymentStrategy", fields};
  return m;
}

const Message& deployment_spec() {
  static constexpr Field fields[] = {
      pointer(1, "replicas", Type::int32),       nested(2, "selector", &label_selector),
      nested(3, "template", &pod_template_spec), nested(4, "strategy", &deployment_strategy),
      value(5, "minReadySeconds", Type::int32),  pointer(6, "revisionHistoryLimit", Type::int32),
      value(7, "paused", Type::boolean),         pointer(9, "progressDeadlineSeconds", Type::int32),
  };
  static constexpr Message m{"k8s.io.api.apps.v1.DeploymentSpec", fields};
  return m;
}

const Message& deployment_condition() {
  static constexpr Field fields[] = {
      value(1, "type", Type::string),         value(2, "status", Type::string),
      value(4, "reason", Type::string),       value(5, "message", Type::string),
      value(6, "lastUpdateTime", Type::time), value(7, "lastTransitionTime", Type::time),
  };
  static constexpr Message m{"k8s.io.api.apps.v1.DeploymentCondition", fields};
  return m;
}

const Message& deployment_status() {
  static constexpr Field fields[] = {
      value(1, "observedGeneration", Type::int64),  value(2, "replicas", Type::int32),
      value(3, "updatedReplicas", Type::int32),     value(4, "availableReplicas", Type::int32),
      value(5, "unavailableReplicas", Type::int32), list(6, "conditions", &deployment_condition),
      value(7, "readyReplicas", Type::int32),       pointer(8, "collisionCount", Type::int32),
  };
  static constexpr Message m{"k8s.io.api.apps.v1.DeploymentStatus", fields};
  return m;
}

// -- ReplicaSet --

const Message& replica_set_spec() {
  static constexpr Field fields[] = {
      pointer(1, "replicas", Type::int32),
      nested(2, "selector", &label_selector),
      nested(3, "template", &pod_template_spec),
      value(4, "minReadySeconds", Type::int32),
  };
  static constexpr Message m{"k8s.io.api.apps.v1.ReplicaSetSpec", fields};
  return m;
}

const Message& replica_set_condition() {
  static constexpr Field fields[] = {
      value(1, "type", Type::string),
      value(2, "status", Type::string),
      value(3, "lastTransitionTime", Type::time),
      value(4, "reason", Type::string),
      value(5, "message", Type::string),
  };
  static constexpr Message m{"k8s.io.api.apps.v1.ReplicaSetCondition", fields};
  return m;
}

const Message& replica_set_status() {
  static constexpr Field fields[] = {
      value(1, "replicas", Type::int32),           value(2, "fullyLabeledReplicas", Type::int32),
      value(3, "observedGeneration", Type::int64), value(4, "readyReplicas", Type::int32),
      value(5, "availableReplicas", Type::int32),  list(6, "conditions", &replica_set_condition),
  };
  static constexpr Message m{"k8s.io.api.apps.v1.ReplicaSetStatus", fields};
  return m;
}

// -- Scale --

const Message& scale_spec() {
  // Kept even when 0: scaling to zero is the point of some requests.
  static constexpr Field fields[] = {pointer(1, "replicas", Type::int32)};
  static constexpr Message m{"k8s.io.api.autoscaling.v1.ScaleSpec", fields};
  return m;
}

const Message& scale_status() {
  static constexpr Field fields[] = {
      value(1, "replicas", Type::int32),
      value(2, "selector", Type::string),
  };
  static constexpr Message m{"k8s.io.api.autoscaling.v1.ScaleStatus", fields};
  return m;
}

}  // namespace

const Message& deployment() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &deployment_spec),
      nested(3, "status", &deployment_status),
  };
  static constexpr Message m{"k8s.io.api.apps.v1.Deployment", fields};
  return m;
}

const Message& replica_set() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &replica_set_spec),
      nested(3, "status", &replica_set_status),
  };
  static constexpr Message m{"k8s.io.api.apps.v1.ReplicaSet", fields};
  return m;
}

const Message& priority_class() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),          value(2, "value", Type::int32),
      value(3, "globalDefault", Type::boolean),     value(4, "description", Type::string),
      pointer(5, "preemptionPolicy", Type::string),
  };
  static constexpr Message m{"k8s.io.api.scheduling.v1.PriorityClass", fields};
  return m;
}

const Message& scale() {
  static constexpr Field fields[] = {
      nested(1, "metadata", &object_meta),
      nested(2, "spec", &scale_spec),
      nested(3, "status", &scale_status),
  };
  static constexpr Message m{"k8s.io.api.autoscaling.v1.Scale", fields};
  return m;
}

}  // namespace kactor::http::protobuf::detail
