#include "actors/controllers/disruption_budget.hpp"

#include <fmt/format.h>

#include "actors/controllers/deployment_rollout.hpp"
#include "api/types/pdb_util.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::actors::controllers::disruption {

namespace {

/// A failed count, its message as upstream's error text (the SyncFailed condition shows it).
api::Status count_failed(std::string message) {
  return api::Status{500, "InternalError", std::move(message), {}};
}

/// upstream getExpectedScale: the sum over the distinct controllers of the pods.
api::Result<int32_t> expected_scale(const std::vector<PodPtr>& pods, const ScaleFinder& find_scale,
                                    std::vector<std::string>& unmanaged) {
  std::map<std::string, int32_t> scale_by_controller;
  for (const auto& pod : pods) {
    const auto* ref = pod->metadata.controller_ref();
    if (!ref) {
      unmanaged.push_back(pod->metadata.name);
      continue;
    }
    if (scale_by_controller.contains(ref->uid)) continue;
    auto found = find_scale(*ref, pod->metadata.namespace_);
    if (!found)
      return api::fail(count_failed(fmt::format("found no controllers for pod \"{}\"", pod->metadata.name)));
    scale_by_controller[found->uid] = found->scale;
  }
  int32_t sum = 0;
  for (const auto& [uid, scale] : scale_by_controller) sum += scale;
  return sum;
}

api::Time at(TimePoint t) { return api::Time{std::chrono::floor<std::chrono::seconds>(t)}; }

}  // namespace

api::Result<ExpectedCount> expected_pod_count(const api::PodDisruptionBudget& pdb,
                                              const std::vector<PodPtr>& pods,
                                              const ScaleFinder& find_scale) {
  ExpectedCount out;
  const auto& spec = pdb.spec;
  if (spec.max_unavailable) {
    auto scale = expected_scale(pods, find_scale, out.unmanaged);
    if (!scale) return api::fail(scale.error());
    out.expected = *scale;
    auto max_unavailable = deployment::scaled_value(*spec.max_unavailable, out.expected, true);
    if (!max_unavailable)
      return api::fail(count_failed(fmt::format(
          "invalid value for IntOrString: invalid value \"{}\": must be an integer or percentage",
          spec.max_unavailable->to_string())));
    out.desired_healthy = std::max(0, out.expected - *max_unavailable);
  } else if (spec.min_available) {
    if (!spec.min_available->is_string) {
      out.desired_healthy = spec.min_available->int_value;
      out.expected = static_cast<int32_t>(pods.size());
    } else {
      auto scale = expected_scale(pods, find_scale, out.unmanaged);
      if (!scale) return api::fail(scale.error());
      out.expected = *scale;
      auto min_available = deployment::scaled_value(*spec.min_available, out.expected, true);
      if (!min_available)
        return api::fail(count_failed(fmt::format(
            "invalid value for IntOrString: invalid value \"{}\": must be an integer or percentage",
            spec.min_available->to_string())));
      out.desired_healthy = *min_available;
    }
  }
  return out;
}

DisruptedPods disrupted_pod_map(const api::PodDisruptionBudget& pdb, const std::vector<PodPtr>& pods,
                                TimePoint now) {
  DisruptedPods out;
  const auto& listed = pdb.status.disrupted_pods;
  if (listed.empty()) return out;
  for (const auto& pod : pods) {
    if (pod->metadata.deletion_timestamp) continue;  // on its way: the eviction worked
    auto it = listed.find(pod->metadata.name);
    if (it == listed.end()) continue;
    const TimePoint expected_deletion = it->second.value + kDeletionTimeout;
    if (expected_deletion < now) {
      out.expired.push_back(pod->metadata.name);
      continue;
    }
    if (!out.recheck || expected_deletion < *out.recheck) out.recheck = expected_deletion;
    out.pods.emplace(it->first, it->second);
  }
  return out;
}

int32_t count_healthy(const std::vector<PodPtr>& pods, const std::map<std::string, api::Time>& disrupted,
                      TimePoint now) {
  int32_t healthy = 0;
  for (const auto& pod : pods) {
    if (pod->metadata.deletion_timestamp) continue;
    if (auto it = disrupted.find(pod->metadata.name);
        it != disrupted.end() && it->second.value + kDeletionTimeout > now)
      continue;
    if (api::is_ready(*pod)) ++healthy;
  }
  return healthy;
}

std::optional<api::PodDisruptionBudgetStatus> next_status(const api::PodDisruptionBudget& pdb,
                                                          int32_t current_healthy,
                                                          const ExpectedCount& count,
                                                          std::map<std::string, api::Time> disrupted,
                                                          TimePoint now) {
  // A budget that expects no pods allows nothing, so that pods which appear before the next
  // sync are protected.
  int32_t allowed = current_healthy - count.desired_healthy;
  if (count.expected <= 0 || allowed <= 0) allowed = 0;
  const auto& s = pdb.status;
  if (s.current_healthy == current_healthy && s.desired_healthy == count.desired_healthy &&
      s.expected_pods == count.expected && s.disruptions_allowed == allowed &&
      s.disrupted_pods == disrupted && s.observed_generation == pdb.metadata.generation &&
      api::disruption_condition_up_to_date(s))
    return std::nullopt;
  api::PodDisruptionBudgetStatus next;
  next.current_healthy = current_healthy;
  next.desired_healthy = count.desired_healthy;
  next.expected_pods = count.expected;
  next.disruptions_allowed = allowed;
  next.disrupted_pods = std::move(disrupted);
  next.observed_generation = pdb.metadata.generation;
  next.conditions = s.conditions;
  api::update_disruption_allowed_condition(next, at(now));
  return next;
}

api::PodDisruptionBudgetStatus failed_status(const api::PodDisruptionBudget& pdb,
                                             const std::string& message, TimePoint now) {
  api::PodDisruptionBudgetStatus next = pdb.status;
  next.disruptions_allowed = 0;
  api::Condition c;
  c.type = api::pdb::kDisruptionAllowed;
  c.status = "False";
  c.reason = api::pdb::kSyncFailed;
  c.message = message;
  c.observed_generation = next.observed_generation;
  c.last_transition_time = at(now);
  api::set_status_condition(next.conditions, std::move(c));
  return next;
}

std::optional<TimePoint> stale_disruption_at(const api::Pod& pod) {
  if (pod.metadata.deletion_timestamp || api::is_terminal(pod)) return std::nullopt;
  const auto* c = pod.status.condition(kDisruptionTarget);
  if (!c || c->status != "True" || c->reason == kTerminationByKubelet) return std::nullopt;
  return c->last_transition_time.value + kStalePodDisruptionTimeout;
}

std::optional<api::PodStatus> reset_stale_disruption(const api::Pod& pod, TimePoint now) {
  auto due = stale_disruption_at(pod);
  if (!due || now < *due) return std::nullopt;
  api::PodStatus status = pod.status;
  for (auto& c : status.conditions) {
    if (c.type != kDisruptionTarget) continue;
    // Upstream 1.32 server-side-applies type, status and lastTransitionTime only, so the
    // reason and message of whoever set the condition stay (docs/disruption.md).
    c.status = "False";
    c.last_transition_time = at(now);
  }
  return status;
}

}  // namespace kactor::actors::controllers::disruption
