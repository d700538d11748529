// The replicated workloads: ReplicationController (v1), ReplicaSet and
// Deployment (apps/v1).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/object.hpp"
#include "api/types/pod.hpp"

namespace kactor::api {

/// ReplicaSetCondition / ReplicationControllerCondition (same shape upstream).
struct ReplicaSetCondition {
  std::string type;  // ReplicaFailure
  std::string status;
  Time last_transition_time;
  std::string reason;
  std::string message;
  bool operator==(const ReplicaSetCondition&) const = default;
};
template <class V>
void describe(V& v, ReplicaSetCondition& x) {
  v("type", x.type, keep_zero);
  v("status", x.status, keep_zero);
  v("lastTransitionTime", x.last_transition_time);
  v("reason", x.reason);
  v("message", x.message);
}
using ReplicationControllerCondition = ReplicaSetCondition;

// -- ReplicationController -----------------------------------------------------------

struct ReplicationControllerSpec {
  std::optional<int32_t> replicas;  // default 1
  int32_t min_ready_seconds = 0;
  std::map<std::string, std::string> selector;  // defaults to the template's labels
  std::optional<PodTemplateSpec> template_;
  bool operator==(const ReplicationControllerSpec&) const = default;
};
template <class V>
void describe(V& v, ReplicationControllerSpec& x) {
  v("replicas", x.replicas);
  v("minReadySeconds", x.min_ready_seconds);
  v("selector", x.selector);
  v("template", x.template_);
}

struct ReplicationControllerStatus {
  int32_t replicas = 0;
  int32_t fully_labeled_replicas = 0;
  int32_t ready_replicas = 0;
  int32_t available_replicas = 0;
  int64_t observed_generation = 0;
  std::vector<ReplicationControllerCondition> conditions;
  bool operator==(const ReplicationControllerStatus&) const = default;
};
template <class V>
void describe(V& v, ReplicationControllerStatus& x) {
  v("replicas", x.replicas, keep_zero);
  v("fullyLabeledReplicas", x.fully_labeled_replicas);
  v("readyReplicas", x.ready_replicas);
  v("availableReplicas", x.available_replicas);
  v("observedGeneration", x.observed_generation);
  v("conditions", x.conditions);
}

struct ReplicationController : ObjectBase<ReplicationController> {
  ReplicationControllerSpec spec;
  ReplicationControllerStatus status;
  static const TypeInfo& static_type();
  bool operator==(const ReplicationController&) const = default;
};
template <class V>
void describe(V& v, ReplicationController& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

/// Selectable fields: status.replicas.
std::optional<std::string> field_value(const ReplicationController& rc, std::string_view field);

// -- ReplicaSet ----------------------------------------------------------------------

struct ReplicaSetSpec {
  std::optional<int32_t> replicas;  // default 1
  int32_t min_ready_seconds = 0;
  std::optional<LabelSelector> selector;  // required
  PodTemplateSpec template_;
  bool operator==(const ReplicaSetSpec&) const = default;
};
template <class V>
void describe(V& v, ReplicaSetSpec& x) {
  v("replicas", x.replicas);
  v("minReadySeconds", x.min_ready_seconds);
  v("selector", x.selector);
  v("template", x.template_, keep_zero);
}

struct ReplicaSetStatus {
  int32_t replicas = 0;
  int32_t fully_labeled_replicas = 0;
  int32_t ready_replicas = 0;
  int32_t available_replicas = 0;
  int64_t observed_generation = 0;
  std::vector<ReplicaSetCondition> conditions;
  bool operator==(const ReplicaSetStatus&) const = default;
};
template <class V>
void describe(V& v, ReplicaSetStatus& x) {
  v("replicas", x.replicas, keep_zero);
  v("fullyLabeledReplicas", x.fully_labeled_replicas);
  v("readyReplicas", x.ready_replicas);
  v("availableReplicas", x.available_replicas);
  v("observedGeneration", x.observed_generation);
  v("conditions", x.conditions);
}

struct ReplicaSet : ObjectBase<ReplicaSet> {
  ReplicaSetSpec spec;
  ReplicaSetStatus status;
  static const TypeInfo& static_type();
  bool operator==(const ReplicaSet&) const = default;
};
template <class V>
void describe(V& v, ReplicaSet& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

/// Selectable fields: status.replicas.
std::optional<std::string> field_value(const ReplicaSet& rs, std::string_view field);

// -- Deployment ----------------------------------------------------------------------

struct RollingUpdateDeployment {
  std::optional<IntOrString> max_unavailable;  // default 25%
  std::optional<IntOrString> max_surge;        // default 25%
  bool operator==(const RollingUpdateDeployment&) const = default;
};
template <class V>
void describe(V& v, RollingUpdateDeployment& x) {
  v("maxUnavailable", x.max_unavailable);
  v("maxSurge", x.max_surge);
}

struct DeploymentStrategy {
  std::string type;  // RollingUpdate (default), Recreate
  std::optional<RollingUpdateDeployment> rolling_update;
  bool operator==(const DeploymentStrategy&) const = default;
};
template <class V>
void describe(V& v, DeploymentStrategy& x) {
  v("type", x.type);
  v("rollingUpdate", x.rolling_update);
}

struct DeploymentSpec {
  std::optional<int32_t> replicas;        // default 1
  std::optional<LabelSelector> selector;  // required, immutable
  PodTemplateSpec template_;
  DeploymentStrategy strategy;
  int32_t min_ready_seconds = 0;
  std::optional<int32_t> revision_history_limit;  // default 10
  bool paused = false;
  std::optional<int32_t> progress_deadline_seconds;  // default 600
  bool operator==(const DeploymentSpec&) const = default;
};
template <class V>
void describe(V& v, DeploymentSpec& x) {
  v("replicas", x.replicas);
  v("selector", x.selector);
  v("template", x.template_, keep_zero);
  v("strategy", x.strategy, keep_zero);
  v("minReadySeconds", x.min_ready_seconds);
  v("revisionHistoryLimit", x.revision_history_limit);
  v("paused", x.paused);
  v("progressDeadlineSeconds", x.progress_deadline_seconds);
}

struct DeploymentCondition {
  std::string type;  // Available, Progressing, ReplicaFailure
  std::string status;
  Time last_update_time;
  Time last_transition_time;
  std::string reason;
  std::string message;
  bool operator==(const DeploymentCondition&) const = default;
};
template <class V>
void describe(V& v, DeploymentCondition& x) {
  v("type", x.type, keep_zero);
  v("status", x.status, keep_zero);
  v("lastUpdateTime", x.last_update_time);
  v("lastTransitionTime", x.last_transition_time);
  v("reason", x.reason);
  v("message", x.message);
}

struct DeploymentStatus {
  int64_t observed_generation = 0;
  int32_t replicas = 0;
  int32_t updated_replicas = 0;
  int32_t ready_replicas = 0;
  int32_t available_replicas = 0;
  int32_t unavailable_replicas = 0;
  std::vector<DeploymentCondition> conditions;
  std::optional<int32_t> collision_count;
  bool operator==(const DeploymentStatus&) const = default;
};
template <class V>
void describe(V& v, DeploymentStatus& x) {
  v("observedGeneration", x.observed_generation);
  v("replicas", x.replicas);
  v("updatedReplicas", x.updated_replicas);
  v("readyReplicas", x.ready_replicas);
  v("availableReplicas", x.available_replicas);
  v("unavailableReplicas", x.unavailable_replicas);
  v("conditions", x.conditions);
  v("collisionCount", x.collision_count);
}

struct Deployment : ObjectBase<Deployment> {
  DeploymentSpec spec;
  DeploymentStatus status;
  static const TypeInfo& static_type();
  bool operator==(const Deployment&) const = default;
};
template <class V>
void describe(V& v, Deployment& x) {
  v("metadata", x.metadata, keep_zero);
  v("spec", x.spec, keep_zero);
  v("status", x.status, keep_zero);
}

}  // namespace kactor::api
