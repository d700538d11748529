#include "actors/controllers/deployment_status.hpp"

#include <algorithm>

#include "actors/controllers/deployment_rollout.hpp"

namespace kactor::actors::controllers::deployment {

namespace {

bool has_progress_deadline(const api::Deployment& d) {
  // Upstream's "no deadline" is MaxInt32; a missing field is defaulted to 600 s.
  return d.spec.progress_deadline_seconds &&
         *d.spec.progress_deadline_seconds != std::numeric_limits<int32_t>::max();
}

}  // namespace

api::DeploymentCondition make_condition(const std::string& type, const std::string& status,
                                        const std::string& reason, const std::string& message,
                                        TimePoint now) {
  api::DeploymentCondition c;
  c.type = type;
  c.status = status;
  c.reason = reason;
  c.message = message;
  auto second = std::chrono::time_point_cast<TimePoint::duration>(
      std::chrono::floor<std::chrono::seconds>(now));
  c.last_update_time.value = c.last_transition_time.value = second;
  return c;
}

const api::DeploymentCondition* get_condition(const api::DeploymentStatus& s,
                                              const std::string& type) {
  for (auto& c : s.conditions)
    if (c.type == type) return &c;
  return nullptr;
}

void set_condition(api::DeploymentStatus& s, api::DeploymentCondition c) {
  if (auto* cur = get_condition(s, c.type)) {
    if (cur->status == c.status && cur->reason == c.reason) return;
    if (cur->status == c.status) c.last_transition_time = cur->last_transition_time;
  }
  remove_condition(s, c.type);
  s.conditions.push_back(std::move(c));
}

void remove_condition(api::DeploymentStatus& s, const std::string& type) {
  std::erase_if(s.conditions, [&](const api::DeploymentCondition& c) { return c.type == type; });
}

api::DeploymentStatus calculate_status(const api::Deployment& d,
                                       const std::vector<api::ReplicaSet*>& all,
                                       const api::ReplicaSet* new_rs, TimePoint now) {
  api::DeploymentStatus s;
  int32_t available = sum_available_replicas(all);
  s.observed_generation = d.metadata.generation;
  s.replicas = sum_status_replicas(all);
  s.updated_replicas = new_rs ? new_rs->status.replicas : 0;
  s.ready_replicas = sum_ready_replicas(all);
  s.available_replicas = available;
  // Against the sizes wanted, not the pods there: a scale-up's missing pods are unavailable.
  s.unavailable_replicas = std::max(0, sum_spec_replicas(all) - available);
  s.collision_count = d.status.collision_count;
  s.conditions = d.status.conditions;
  if (available >= replicas_of(d) - max_unavailable(d))
    set_condition(s, make_condition(kAvailable, "True", kMinimumReplicasAvailable,
                                    "Deployment has minimum availability.", now));
  else
    set_condition(s, make_condition(kAvailable, "False", kMinimumReplicasUnavailable,
                                    "Deployment does not have minimum availability.", now));
  return s;
}

bool deployment_complete(const api::Deployment& d, const api::DeploymentStatus& s) {
  return s.updated_replicas == replicas_of(d) && s.replicas == replicas_of(d) &&
         s.available_replicas == replicas_of(d) &&
         s.observed_generation >= d.metadata.generation;
}

bool deployment_progressing(const api::Deployment& d, const api::DeploymentStatus& next) {
  const auto& old = d.status;
  int32_t old_old = old.replicas - old.updated_replicas;
  int32_t next_old = next.replicas - next.updated_replicas;
  return next.updated_replicas > old.updated_replicas || next_old < old_old ||
         next.ready_replicas > old.ready_replicas ||
         next.available_replicas > old.available_replicas;
}

bool deployment_timed_out(const api::Deployment& d, const api::DeploymentStatus& next,
                          TimePoint now) {
  if (!has_progress_deadline(d)) return false;
  auto* c = get_condition(next, kProgressing);
  if (!c || c->reason == kNewReplicaSetAvailable) return false;
  if (c->reason == kProgressDeadlineExceeded) return true;
  return c->last_update_time.value + std::chrono::seconds(*d.spec.progress_deadline_seconds) < now;
}

void copy_replica_failure(api::DeploymentStatus& s, const std::vector<api::ReplicaSet*>& all,
                          const api::ReplicaSet* new_rs) {
  auto failure_of = [](const api::ReplicaSet* rs) -> const api::ReplicaSetCondition* {
    if (!rs) return nullptr;
    for (const auto& c : rs->status.conditions)
      if (c.type == kReplicaFailure) return &c;
    return nullptr;
  };
  // The new ReplicaSet's failure first (it is the one the rollout waits on), then any other.
  const api::ReplicaSetCondition* failure = failure_of(new_rs);
  for (size_t i = 0; !failure && i < all.size(); ++i) failure = failure_of(all[i]);
  if (!failure) return remove_condition(s, kReplicaFailure);
  api::DeploymentCondition c;
  c.type = kReplicaFailure;
  c.status = failure->status;
  c.reason = failure->reason;
  c.message = failure->message;
  // Upstream ReplicaSetToDeploymentCondition: both times are the ReplicaSet's transition.
  c.last_update_time = c.last_transition_time = failure->last_transition_time;
  set_condition(s, std::move(c));
}

RolloutStatus rollout_status(const api::Deployment& d, const std::vector<api::ReplicaSet*>& all,
                             const api::ReplicaSet* new_rs, TimePoint now) {
  RolloutStatus out{calculate_status(d, all, new_rs, now), std::nullopt};
  auto& s = out.status;
  if (!has_progress_deadline(d)) remove_condition(s, kProgressing);
  auto* current = get_condition(d.status, kProgressing);
  bool complete_before = s.replicas == s.updated_replicas && current &&
                         current->reason == kNewReplicaSetAvailable;
  if (has_progress_deadline(d) && !complete_before) {
    std::string subject = new_rs ? "ReplicaSet \"" + new_rs->metadata.name + "\""
                                 : "Deployment \"" + d.metadata.name + "\"";
    if (deployment_complete(d, s)) {
      set_condition(s, make_condition(kProgressing, "True", kNewReplicaSetAvailable,
                                      subject + " has successfully progressed.", now));
    } else if (deployment_progressing(d, s)) {
      // Progress moves lastUpdateTime (the deadline counts from it) even with the same reason.
      auto c = make_condition(kProgressing, "True", kReplicaSetUpdated,
                              subject + " is progressing.", now);
      if (current) {
        if (current->status == "True") c.last_transition_time = current->last_transition_time;
        remove_condition(s, kProgressing);
      }
      set_condition(s, c);
    } else if (deployment_timed_out(d, s, now)) {
      set_condition(s, make_condition(kProgressing, "False", kProgressDeadlineExceeded,
                                      subject + " has timed out progressing.", now));
    }
  }
  copy_replica_failure(s, all, new_rs);
  // Nothing to write: the deadline may still pass with no event to wake the controller.
  if (s == d.status && has_progress_deadline(d) && !deployment_complete(d, s)) {
    auto* c = get_condition(s, kProgressing);
    if (c && c->reason != kNewReplicaSetAvailable && c->reason != kProgressDeadlineExceeded) {
      auto due = c->last_update_time.value + std::chrono::seconds(*d.spec.progress_deadline_seconds);
      auto after = due - now;
      out.recheck_after = after < std::chrono::seconds(1) ? Duration(std::chrono::seconds(1))
                                                          : Duration(after + std::chrono::seconds(1));
    }
  }
  return out;
}

bool set_paused_condition(const api::Deployment& d, api::DeploymentStatus& s, TimePoint now) {
  auto* c = get_condition(s, kProgressing);
  if (c && c->reason == kProgressDeadlineExceeded) return false;
  bool paused_shown = c && c->reason == kDeploymentPaused;
  if (d.spec.paused && !paused_shown) {
    set_condition(s, make_condition(kProgressing, "Unknown", kDeploymentPaused,
                                    "Deployment is paused", now));
    return true;
  }
  if (!d.spec.paused && paused_shown) {
    set_condition(s, make_condition(kProgressing, "Unknown", kDeploymentResumed,
                                    "Deployment is resumed", now));
    return true;
  }
  return false;
}

}  // namespace kactor::actors::controllers::deployment
