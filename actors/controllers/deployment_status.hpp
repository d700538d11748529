// A Deployment's status and conditions (upstream deployment controller's progress.go,
// sync.go calculateStatus and util's condition helpers, re-expressed): the replica counts,
// Available (MinimumReplicasAvailable/Unavailable), Progressing with its reasons and the
// progress deadline, measured on the Clock. No actors: unit-tested in
// tests/actors/controllers/deployment_status_test.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/time/clock.hpp"
#include "api/types/workloads.hpp"

namespace kactor::actors::controllers::deployment {

// Condition types and reasons, as upstream names them (kubectl and users match on them).
inline constexpr const char* kAvailable = "Available";
inline constexpr const char* kProgressing = "Progressing";
inline constexpr const char* kReplicaFailure = "ReplicaFailure";
inline constexpr const char* kMinimumReplicasAvailable = "MinimumReplicasAvailable";
inline constexpr const char* kMinimumReplicasUnavailable = "MinimumReplicasUnavailable";
inline constexpr const char* kNewReplicaSetCreated = "NewReplicaSetCreated";
inline constexpr const char* kFoundNewReplicaSet = "FoundNewReplicaSet";
inline constexpr const char* kReplicaSetUpdated = "ReplicaSetUpdated";
inline constexpr const char* kNewReplicaSetAvailable = "NewReplicaSetAvailable";
inline constexpr const char* kProgressDeadlineExceeded = "ProgressDeadlineExceeded";
inline constexpr const char* kFailedReplicaSetCreate = "ReplicaSetCreateError";
inline constexpr const char* kDeploymentPaused = "DeploymentPaused";
inline constexpr const char* kDeploymentResumed = "DeploymentResumed";

/// A condition with both times `now` (to the second, as the API keeps them).
api::DeploymentCondition make_condition(const std::string& type, const std::string& status,
                                        const std::string& reason, const std::string& message,
                                        TimePoint now);
const api::DeploymentCondition* get_condition(const api::DeploymentStatus& s,
                                              const std::string& type);
/// Replaces the condition of its type, unless one with the same status and reason is there;
/// keeps lastTransitionTime when the status stays (upstream SetDeploymentCondition).
void set_condition(api::DeploymentStatus& s, api::DeploymentCondition c);
void remove_condition(api::DeploymentStatus& s, const std::string& type);

/// The counts from the ReplicaSets and Available from them (upstream calculateStatus).
api::DeploymentStatus calculate_status(const api::Deployment& d,
                                       const std::vector<api::ReplicaSet*>& all,
                                       const api::ReplicaSet* new_rs, TimePoint now);

/// Every replica is updated and available, and the status is of the current generation.
bool deployment_complete(const api::Deployment& d, const api::DeploymentStatus& s);
/// `next` shows progress over the Deployment's stored status.
bool deployment_progressing(const api::Deployment& d, const api::DeploymentStatus& next);
/// No progress for progressDeadlineSeconds since the Progressing condition last changed.
bool deployment_timed_out(const api::Deployment& d, const api::DeploymentStatus& next,
                          TimePoint now);

/// The ReplicaFailure condition of the new ReplicaSet (else of the first old one that has
/// one) copied into the Deployment's status, or removed when none has one (upstream
/// getReplicaFailures in syncRolloutStatus).
void copy_replica_failure(api::DeploymentStatus& s, const std::vector<api::ReplicaSet*>& all,
                          const api::ReplicaSet* new_rs);

struct RolloutStatus {
  api::DeploymentStatus status;
  /// Look again then: the progress deadline may pass without any event.
  std::optional<Duration> recheck_after;
};
/// The status after a rollout step, with Progressing (upstream syncRolloutStatus).
RolloutStatus rollout_status(const api::Deployment& d, const std::vector<api::ReplicaSet*>& all,
                             const api::ReplicaSet* new_rs, TimePoint now);

/// Progressing Unknown with DeploymentPaused / DeploymentResumed when spec.paused changed
/// (never over ProgressDeadlineExceeded); true if `s` changed.
bool set_paused_condition(const api::Deployment& d, api::DeploymentStatus& s, TimePoint now);

}  // namespace kactor::actors::controllers::deployment
