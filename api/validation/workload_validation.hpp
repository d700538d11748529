// ReplicationController, ReplicaSet and Deployment validation and defaulting.
#pragma once

#include <vector>

#include "api/status.hpp"
#include "api/types/workloads.hpp"

namespace kactor::api {

/// replicas >= 0, minReadySeconds >= 0, selector required and matching the template's labels,
/// template required with restartPolicy Always and no activeDeadlineSeconds.
void validate(const ReplicationController& rc, const ReplicationController* old,
              std::vector<StatusCause>& causes);

/// As ReplicationController, with a LabelSelector that is immutable on update.
void validate(const ReplicaSet& rs, const ReplicaSet* old, std::vector<StatusCause>& causes);

/// As ReplicaSet, plus strategy, revisionHistoryLimit and progressDeadlineSeconds checks.
void validate(const Deployment& d, const Deployment* old, std::vector<StatusCause>& causes);

}  // namespace kactor::api
