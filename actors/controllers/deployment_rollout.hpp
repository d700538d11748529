// The arithmetic of a Deployment's rollout (upstream deployment controller's rolling.go,
// recreate.go, sync.go and util, re-expressed): how far the new ReplicaSet may grow and the
// old ones shrink under maxSurge/maxUnavailable, Recreate's order, proportional scaling when
// the Deployment is resized mid-rollout, and which old ReplicaSets history cleanup removes.
// The steps change the ReplicaSets (copies) in place through a Scaler, which remembers what
// to write; the controller writes it. No actors: unit-tested in
// tests/actors/controllers/deployment_rollout_test.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/types/workloads.hpp"

namespace kactor::actors::controllers::deployment {

/// spec.replicas (defaulted by the API server; 1 when absent, as its default).
int32_t replicas_of(const api::Deployment& d);
int32_t replicas_of(const api::ReplicaSet& rs);

/// An int, or a percentage of `total` rounded up or down (upstream
/// GetScaledValueFromIntOrPercent); nullopt for a string that is no percentage.
std::optional<int32_t> scaled_value(const api::IntOrString& v, int32_t total, bool round_up);

struct Fenceposts {
  int32_t surge = 0;
  int32_t unavailable = 0;
};
/// maxSurge (rounded up) and maxUnavailable (rounded down) for `desired` replicas; both 0
/// would deadlock a rollout, so maxUnavailable is then 1 (upstream ResolveFenceposts).
Fenceposts resolve_fenceposts(const std::optional<api::IntOrString>& max_surge,
                              const std::optional<api::IntOrString>& max_unavailable,
                              int32_t desired);
/// The Deployment's surge (0 unless RollingUpdate).
int32_t max_surge(const api::Deployment& d);
/// The Deployment's unavailable allowance (0 unless RollingUpdate or with 0 replicas; at
/// most replicas).
int32_t max_unavailable(const api::Deployment& d);

/// The Deployment's ReplicaSets in one sync: copies, changed in place by the steps below.
struct ReplicaSets {
  api::ReplicaSet* new_rs = nullptr;  ///< its template is the Deployment's; null: none yet
  std::vector<api::ReplicaSet*> old;  ///< every other ReplicaSet it owns
  std::vector<api::ReplicaSet*> all() const;
};

/// Those with spec.replicas > 0.
std::vector<api::ReplicaSet*> filter_active(const std::vector<api::ReplicaSet*>& rss);
int32_t sum_spec_replicas(const std::vector<api::ReplicaSet*>& rss);
int32_t sum_status_replicas(const std::vector<api::ReplicaSet*>& rss);
int32_t sum_available_replicas(const std::vector<api::ReplicaSet*>& rss);
int32_t sum_ready_replicas(const std::vector<api::ReplicaSet*>& rss);

/// A change of size the sync decided, for the ScalingReplicaSet event.
struct Scaling {
  std::string replica_set;
  int32_t from = 0;
  int32_t to = 0;
  /// "Scaled up replica set X from A to B" (upstream's message).
  std::string message() const;
};

/// Applies sizes to the ReplicaSets with the Deployment's replicas annotations (upstream
/// scaleReplicaSet) and remembers which ones changed.
class Scaler {
 public:
  explicit Scaler(const api::Deployment& d) : d_(d) {}
  /// Sets `rs` to `size`. Unless `annotate_same_size`, a ReplicaSet already of that size is
  /// left alone (upstream scaleReplicaSetAndRecordEvent); true if the size changed.
  bool scale(api::ReplicaSet& rs, int32_t size, bool annotate_same_size = false);
  /// Names of the ReplicaSets changed (size or annotations), to be written.
  const std::map<std::string, api::ReplicaSet*>& changed() const { return changed_; }
  const std::vector<Scaling>& scalings() const { return scalings_; }
  /// Marks `rs` as to be written (a caller changed its annotations).
  void touch(api::ReplicaSet& rs) { changed_[rs.metadata.name] = &rs; }

 private:
  const api::Deployment& d_;
  std::map<std::string, api::ReplicaSet*> changed_;
  std::vector<Scaling> scalings_;
};

/// The ReplicaSet of the only active one, or the newest when none is active; null when
/// several are active (upstream FindActiveOrLatest).
api::ReplicaSet* find_active_or_latest(const ReplicaSets& sets);
/// The new ReplicaSet holds all replicas, all available, as the Deployment wants now.
bool is_saturated(const api::Deployment& d, const api::ReplicaSet* rs);
/// The Deployment was resized since its active ReplicaSets were last annotated.
bool is_scaling_event(const api::Deployment& d, const ReplicaSets& sets);

/// The size the new ReplicaSet may grow to now: under RollingUpdate within replicas +
/// maxSurge pods in all, under Recreate all replicas (upstream NewRSNewReplicas).
int32_t new_rs_new_replicas(const api::Deployment& d, const ReplicaSets& sets);

/// A resize: the one active ReplicaSet follows; a saturated new one lets the old go to 0;
/// during a rollout the difference is shared out in proportion to the ReplicaSets' sizes,
/// leftovers to the largest (upstream sync.go scale()). True if anything changed.
bool scale_proportionally(const api::Deployment& d, const ReplicaSets& sets, Scaler& scaler);

/// RollingUpdate, scale-up half: grow the new ReplicaSet within the surge.
bool reconcile_new_replica_set(const api::Deployment& d, const ReplicaSets& sets, Scaler& scaler);
/// RollingUpdate, scale-down half: shrink old ReplicaSets — their unavailable pods first,
/// then available ones — while replicas − maxUnavailable stay available.
bool reconcile_old_replica_sets(const api::Deployment& d, const ReplicaSets& sets, Scaler& scaler);

/// Recreate: every old ReplicaSet to 0.
bool scale_down_old_for_recreate(const ReplicaSets& sets, Scaler& scaler);
/// Recreate: the new ReplicaSet to all replicas.
bool scale_up_new_for_recreate(const api::Deployment& d, const ReplicaSets& sets, Scaler& scaler);

/// Old ReplicaSets beyond revisionHistoryLimit that can go: lowest revision first, only
/// those scaled to 0 with no pods left and their status current (upstream cleanupDeployment).
std::vector<const api::ReplicaSet*> history_to_clean_up(const api::Deployment& d,
                                                        const std::vector<api::ReplicaSet*>& old);

}  // namespace kactor::actors::controllers::deployment
