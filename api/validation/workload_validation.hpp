// ReplicationController, ReplicaSet and Deployment validation and defaulting.
#pragma once

#include <vector>

#include "api/status.hpp"
#include "api/types/workloads.hpp"

namespace kactor::api {

/// replicas 1; selector and the object's labels default to the template's labels; the
/// template's PodSpec gets pod defaults.
void set_defaults(ReplicationController& rc);
/// replicas >= 0, minReadySeconds >= 0, selector required and matching the template's labels,
/// template required with restartPolicy Always and no activeDeadlineSeconds.
void validate(const ReplicationController& rc, const ReplicationController* old,
              std::vector<StatusCause>& causes);

/// replicas 1; template PodSpec defaults.
void set_defaults(ReplicaSet& rs);
/// As ReplicationController, with a LabelSelector that is immutable on update.
void validate(const ReplicaSet& rs, const ReplicaSet* old, std::vector<StatusCause>& causes);

/// replicas 1, strategy RollingUpdate with maxUnavailable/maxSurge 25%, revisionHistoryLimit
/// 10, progressDeadlineSeconds 600; template PodSpec defaults.
void set_defaults(Deployment& d);
/// As ReplicaSet, plus strategy, revisionHistoryLimit and progressDeadlineSeconds checks.
void validate(const Deployment& d, const Deployment* old, std::vector<StatusCause>& causes);

}  // namespace kactor::api
