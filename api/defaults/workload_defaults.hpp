// Defaulting as the API server applies it on create and update (upstream SetDefaults_*).
#pragma once

#include "api/types/workloads.hpp"

namespace kactor::api {

/// replicas 1; selector and the object's labels default to the template's labels; the
/// template's PodSpec gets pod defaults.
void set_defaults(ReplicationController& rc);
/// replicas 1; template PodSpec defaults.
void set_defaults(ReplicaSet& rs);
/// replicas 1, strategy RollingUpdate with maxUnavailable/maxSurge 25%, revisionHistoryLimit
/// 10, progressDeadlineSeconds 600; template PodSpec defaults.
void set_defaults(Deployment& d);

}  // namespace kactor::api
