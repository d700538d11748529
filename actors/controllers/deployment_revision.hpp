// A Deployment's ReplicaSets as revisions (upstream deployment/util, our own code): the pod
// template hash that names a ReplicaSet, which ReplicaSet is the Deployment's "new" one, the
// revision numbers and the annotations the controller keeps on both. No actors: unit-tested
// in tests/actors/controllers/deployment_revision_test.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/types/workloads.hpp"

namespace kactor::actors::controllers::deployment {

/// The label that tells a Deployment's ReplicaSets (and their pods) apart.
inline constexpr const char* kPodTemplateHashLabel = "pod-template-hash";
inline constexpr const char* kRevisionAnnotation = "deployment.kubernetes.io/revision";
inline constexpr const char* kRevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
inline constexpr const char* kDesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
inline constexpr const char* kMaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
/// Upstream's limit on the length of revision-history (--deployment-... has none; 2000).
inline constexpr size_t kMaxRevisionHistoryChars = 2000;

/// The hash of a pod template (and of the Deployment's collisionCount, when it has one),
/// encoded as upstream's (FNV-32a, its decimal digits mapped to "bcdfghjklmnpqrstvwxz2456789").
/// The bytes hashed are the template's JSON (keys sorted), not Go's object dump, so the
/// values differ from a real cluster's for the same template; they are as stable.
std::string pod_template_hash(const api::PodTemplateSpec& tpl, std::optional<int32_t> collision_count);

/// The two templates are equal once the pod-template-hash label is ignored.
bool equal_ignore_hash(const api::PodTemplateSpec& a, const api::PodTemplateSpec& b);

/// A ReplicaSet's revision (its annotation; 0 when absent or not a number).
int64_t revision_of(const api::ReplicaSet& rs);
/// The highest revision among `rss`.
int64_t max_revision(const std::vector<const api::ReplicaSet*>& rss);

/// Oldest first, by creationTimestamp then name (upstream ReplicaSetsByCreationTimestamp).
void sort_by_creation(std::vector<api::ReplicaSet*>& rss);
void sort_by_creation(std::vector<const api::ReplicaSet*>& rss);

/// The ReplicaSet whose template is the Deployment's (the oldest, if several), or null.
const api::ReplicaSet* find_new_replica_set(const api::Deployment& d,
                                            const std::vector<const api::ReplicaSet*>& rss);

/// Brings the annotations of the Deployment's new ReplicaSet up to date (upstream
/// SetNewReplicaSetAnnotations): the Deployment's own annotations (but the controller's and
/// kubectl's bookkeeping), the revision `new_revision` unless it already has a higher one,
/// the revision it had before appended to revision-history (a rollback), and, when the
/// ReplicaSet is about to be created (`exists` false), desired-replicas and max-replicas.
/// True if anything changed.
bool set_new_replica_set_annotations(const api::Deployment& d, api::ReplicaSet& rs,
                                     int64_t new_revision, bool exists);

/// Sets desired-replicas and max-replicas; true if either changed.
bool set_replicas_annotations(api::ReplicaSet& rs, int32_t desired, int32_t max);
/// The ReplicaSet's desired-replicas / max-replicas annotation, if it has a valid one.
std::optional<int32_t> desired_replicas_annotation(const api::ReplicaSet& rs);
std::optional<int32_t> max_replicas_annotation(const api::ReplicaSet& rs);

/// The ReplicaSet a Deployment creates for its current template: named
/// `<deployment>-<hash>`, the hash label in its labels, selector and template, owned by the
/// Deployment (controller, blockOwnerDeletion), replicas 0 (the caller decides).
api::ReplicaSet new_replica_set_for(const api::Deployment& d);

}  // namespace kactor::actors::controllers::deployment
