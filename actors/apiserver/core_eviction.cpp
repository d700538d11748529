// Core: pods/<name>/eviction — delete a pod unless that would break its disruption budget, as
// upstream's EvictionREST (pkg/registry/core/pod/storage/eviction.go, 1.32).
//
// The budget's decrement (status.disruptionsAllowed - 1, the pod in status.disruptedPods), the
// pod's DisruptionTarget condition and its deletion are staged in the same batch, so they land
// together or not at all. Upstream reads the budget, then writes it with its resourceVersion
// as precondition and retries on a conflict; here one actor handles requests one at a time
// against its tables, so nothing can change the budget between the read and the write and
// there is no conflict to retry.
#include <fmt/format.h>

#include "actors/apiserver/core.hpp"
#include "actors/apiserver/request_options.hpp"
#include "api/types/all.hpp"
#include "api/types/eviction.hpp"
#include "api/types/pdb_util.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::apiserver {
namespace {

/// Upstream's MaxDisruptedPodSize: more evictions the controller has not confirmed than this
/// and the budget refuses further ones.
constexpr size_t kMaxDisruptedPods = 2000;

constexpr const char* kViolatesBudget =
    "Cannot evict pod as it would violate the pod's disruption budget.";

api::Status too_many_requests(std::string cause) {
  api::Status s;
  s.code = 429;
  s.reason = "TooManyRequests";
  s.message = kViolatesBudget;
  s.details.causes.push_back({api::pdb::kDisruptionBudgetCause, std::move(cause), ""});
  return s;
}

/// Upstream's canIgnorePDB: a pod that is not running (terminal, or not started) or already
/// going disrupts nothing more by its deletion.
bool can_ignore_budget(const api::Pod& pod) {
  const auto& phase = pod.status.phase;
  return phase == "Succeeded" || phase == "Failed" || phase == "Pending" ||
         pod.metadata.deletion_timestamp.has_value();
}

}  // namespace

Response Core::evict(const Request& req) {
  const auto* eviction = req.object ? api::as<api::Eviction>(*req.object) : nullptr;
  if (!eviction) return error_response(api::bad_request("an Eviction object is required"));
  if (!eviction->metadata.name.empty() && eviction->metadata.name != req.name)
    return error_response(api::bad_request("name in URL does not match name in Eviction object"));
  const auto& pod_type = api::Pod::static_type();
  const auto* current = tables_.get(pod_type, table_key(req.namespace_, req.name));
  if (!current) return error_response(api::not_found("pods", req.name));
  const auto pod = std::static_pointer_cast<const api::Pod>(current->object());

  // The deletion the eviction asks for, checked as a DELETE's options are.
  Request del;
  del.verb = Verb::remove;
  del.resource = "pods";
  del.namespace_ = req.namespace_;
  del.name = req.name;
  del.dry_run = req.dry_run;
  if (const auto& o = eviction->delete_options) {
    del.grace_period_seconds = o->grace_period_seconds;
    if (o->propagation_policy) del.propagation_policy = *o->propagation_policy;
    else if (o->orphan_dependents) del.propagation_policy = *o->orphan_dependents ? "Orphan" : "Background";
    for (const auto& v : o->dry_run) {
      if (v != "All")
        return error_response(api::bad_request("Invalid dryRun value: \"" + v +
                                               "\": supported values: \"All\""));
      del.dry_run = true;
    }
    // Preconditions hold against the pod as it is now (upstream checks them before adding
    // the condition, then deletes with the resourceVersion that update produced).
    if (o->preconditions) {
      const auto& p = *o->preconditions;
      if (p.uid && !p.uid->empty() && *p.uid != pod->metadata.uid)
        return error_response(api::conflict(
            "Pod", req.name,
            fmt::format("the UID in the precondition ({}) does not match the UID in record ({}). "
                        "The object might have been deleted and then recreated",
                        *p.uid, pod->metadata.uid),
            ""));
      if (p.resource_version && !p.resource_version->empty() &&
          *p.resource_version != pod->metadata.resource_version)
        return error_response(api::conflict(
            "Pod", req.name,
            fmt::format("the ResourceVersion in the precondition ({}) does not match the "
                        "ResourceVersion in record ({}). The object might have been modified",
                        *p.resource_version, pod->metadata.resource_version),
            ""));
    }
  }
  if (auto refused = check_request_options(del)) return error_response(std::move(*refused));

  if (!can_ignore_budget(*pod)) {
    if (auto refused = charge_disruption_budget(*pod, del.dry_run)) return error_response(*refused);
  }
  return delete_evicted_pod(del);
}

std::optional<api::Status> Core::charge_disruption_budget(const api::Pod& pod, bool dry_run) {
  const auto& pdb_type = api::PodDisruptionBudget::static_type();
  std::vector<const StoredObject*> budgets;
  for (const auto& [key, stored] : tables_.table(pdb_type)) {
    const auto obj = stored.object();
    const auto& pdb = static_cast<const api::PodDisruptionBudget&>(*obj);
    if (api::pdb_guards(pdb, pod)) budgets.push_back(&stored);
  }
  if (budgets.empty()) return std::nullopt;
  if (budgets.size() > 1)
    return api::Status{500, "",
                       "This pod has more than one PodDisruptionBudget, which the eviction "
                       "subresource does not support.",
                       {}};
  const auto& stored = *budgets.front();
  const auto pdb_ptr = stored.object();
  const auto& pdb = static_cast<const api::PodDisruptionBudget&>(*pdb_ptr);

  // A pod that is not ready does not count as healthy: deleting it takes nothing from the
  // budget when the policy says so, or when the application is not short of healthy pods.
  if (!api::is_ready(pod)) {
    if (pdb.spec.unhealthy_pod_eviction_policy == api::pdb::kAlwaysAllow) return std::nullopt;
    if (pdb.status.current_healthy >= pdb.status.desired_healthy && pdb.status.desired_healthy > 0)
      return std::nullopt;
  }

  // Upstream's checkAndDecrement.
  const std::string& name = pdb.metadata.name;
  if (pdb.status.observed_generation < pdb.metadata.generation)
    return too_many_requests(
        fmt::format("The disruption budget {} is still being processed by the server.", name));
  if (pdb.status.disruptions_allowed < 0)
    return api::forbidden("poddisruptionbudget", name, "pdb disruptions allowed is negative",
                          "policy");
  if (pdb.status.disrupted_pods.size() > kMaxDisruptedPods)
    return api::forbidden("poddisruptionbudget", name,
                          "DisruptedPods map too big - too many evictions not confirmed by PDB "
                          "controller",
                          "policy");
  if (pdb.status.disruptions_allowed == 0)
    return too_many_requests(fmt::format("The disruption budget {} needs {} healthy pods and has {} currently",
                                         name, pdb.status.desired_healthy, pdb.status.current_healthy));
  if (dry_run) return std::nullopt;

  auto next = std::make_unique<api::PodDisruptionBudget>(pdb);
  next->status.disruptions_allowed -= 1;
  if (next->status.disruptions_allowed == 0)
    api::update_disruption_allowed_condition(next->status, now_seconds());
  // The controller counts the pod as gone from now on, until it sees it deleted or
  // DeletionTimeout (2 min) passes.
  next->status.disrupted_pods[pod.metadata.name] = now_seconds();
  auto r = commit_update(pdb_type, stored, std::move(next), false);
  if (r.error) return r.error;
  return std::nullopt;
}

Response Core::delete_evicted_pod(const Request& del) {
  const auto& pod_type = api::Pod::static_type();
  const auto* current = tables_.get(pod_type, table_key(del.namespace_, del.name));
  if (!current) return error_response(api::not_found("pods", del.name));
  if (!del.dry_run) {
    // The pod says why it goes before it goes (upstream addConditionAndDeletePod).
    auto next = std::make_unique<api::Pod>(static_cast<const api::Pod&>(*current->object()));
    api::PodCondition c;
    c.type = "DisruptionTarget";
    c.status = "True";
    c.reason = "EvictionByEvictionAPI";
    c.message = "Eviction API: evicting";
    c.last_transition_time = now_seconds();
    bool found = false;
    for (auto& existing : next->status.conditions) {
      if (existing.type != c.type) continue;
      if (existing.status == c.status) c.last_transition_time = existing.last_transition_time;
      existing = c;
      found = true;
    }
    if (!found) next->status.conditions.push_back(c);
    auto updated = commit_update(pod_type, *current, std::move(next), false);
    if (updated.error) return updated;
  }
  auto removed = remove(pod_type, del);
  if (removed.error) return removed;
  return Response{};  // answered as a Status "Success", as upstream
}

}  // namespace kactor::apiserver
