#include "api/types/pdb_util.hpp"

namespace kactor::api {

Result<labels::Selector> pdb_selector(const PodDisruptionBudget& pdb) {
  if (!pdb.spec.selector) return labels::Selector::nothing();
  return labels::Selector::from_label_selector(*pdb.spec.selector);
}

bool pdb_guards(const PodDisruptionBudget& pdb, const Pod& pod) {
  if (pdb.metadata.namespace_ != pod.metadata.namespace_) return false;
  auto selector = pdb_selector(pdb);
  if (!selector || selector->empty() || selector->is_nothing()) return false;
  return selector->matches(pod.metadata.labels);
}

void set_status_condition(std::vector<Condition>& conditions, Condition c) {
  for (auto& existing : conditions) {
    if (existing.type != c.type) continue;
    if (existing.status == c.status) c.last_transition_time = existing.last_transition_time;
    existing = std::move(c);
    return;
  }
  conditions.push_back(std::move(c));
}

void update_disruption_allowed_condition(PodDisruptionBudgetStatus& status, Time now) {
  Condition c;
  c.type = pdb::kDisruptionAllowed;
  const bool allowed = status.disruptions_allowed > 0;
  c.status = allowed ? "True" : "False";
  c.reason = allowed ? pdb::kSufficientPods : pdb::kInsufficientPods;
  c.observed_generation = status.observed_generation;
  c.last_transition_time = now;
  set_status_condition(status.conditions, std::move(c));
}

bool disruption_condition_up_to_date(const PodDisruptionBudgetStatus& status) {
  for (const auto& c : status.conditions) {
    if (c.type != pdb::kDisruptionAllowed) continue;
    return status.disruptions_allowed > 0
               ? c.status == "True" && c.reason == pdb::kSufficientPods
               : c.status == "False" && c.reason == pdb::kInsufficientPods;
  }
  return false;
}

}  // namespace kactor::api
