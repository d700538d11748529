// The disruption controller (kube-controller-manager's "disruption"): keeps every
// PodDisruptionBudget's status — expectedPods, desiredHealthy, currentHealthy,
// disruptionsAllowed, disruptedPods, the DisruptionAllowed condition and observedGeneration —
// from the pods its selector picks in its namespace and the scale of their controllers; and
// turns a pod's DisruptionTarget condition False when the disruption it announced did not
// come within two minutes (the pod was not deleted).
// The arithmetic is in disruption_budget.*; this file finds the inputs and writes the status.
// The eviction API (actors/apiserver/core_eviction.cpp) reads that status.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "actors/client/async_client.hpp"
#include "actors/client/event_recorder.hpp"
#include "actors/client/indexes.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/disruption_budget.hpp"
#include "actors/controllers/registry.hpp"
#include "api/types/all.hpp"
#include "api/types/pdb_util.hpp"

namespace kactor::actors::controllers {

namespace {

using disruption::ControllerScale;
using disruption::PodPtr;
using PdbPtr = std::shared_ptr<const api::PodDisruptionBudget>;

/// The work queue holds two kinds of keys: budgets ("namespace/name") and pods whose
/// DisruptionTarget condition is to be checked for staleness (this prefix, then the pod's
/// key; a namespace name holds no ':'). Upstream has a second queue for the latter.
constexpr std::string_view kStalePodPrefix = "stale-pod:";

/// The group of an ownerReference's apiVersion ("apps/v1" -> "apps", "v1" -> "").
std::string group_of(const std::string& api_version) {
  const auto slash = api_version.find('/');
  return slash == std::string::npos ? "" : api_version.substr(0, slash);
}

/// upstream verifyGroupKind: the reference names `kind` in one of `groups`.
bool refers_to(const api::OwnerReference& ref, std::string_view kind,
               std::initializer_list<std::string_view> groups) {
  if (ref.kind != kind) return false;
  const auto group = group_of(ref.api_version);
  return std::ranges::find(groups, group) != groups.end();
}

class DisruptionController : public std::enable_shared_from_this<DisruptionController> {
 public:
  DisruptionController(caf::event_based_actor* self, const Context& ctx, int workers)
      : loop_(self, ctx, "disruption", workers),
        client_(self, *ctx.apiserver),
        events_(self, *ctx.apiserver, *ctx.clock, "controllermanager") {}

  caf::behavior start() {
    pdbs_ = loop_.watch(api::PodDisruptionBudget::static_type(), loop_.enqueue_key()).cache;
    pods_ = loop_.watch(api::Pod::static_type(), [this](const client::InformerEvent& e) { on_pod(e); })
                .cache;
    // The controllers whose scale a percentage counts against: a change of scale changes
    // the budgets of their namespace.
    auto by_namespace = [this](const client::InformerEvent& e) {
      enqueue_namespace(e.object->metadata.namespace_);
    };
    rcs_ = loop_.watch(api::ReplicationController::static_type(), by_namespace).cache;
    rss_ = loop_.watch(api::ReplicaSet::static_type(), by_namespace).cache;
    deployments_ = loop_.watch(api::Deployment::static_type(), by_namespace).cache;
    return loop_.run(shared_from_this());
  }

 private:
  void enqueue_namespace(const std::string& ns) {
    for (auto& o : pdbs_->by_index(client::kNamespaceIndex, ns)) loop_.enqueue(api::object_key(*o));
  }

  /// Every budget whose selector picks the pod (upstream enqueues the first only, with a
  /// MultiplePodDisruptionBudgets warning; counting all of them costs as little).
  void enqueue_budgets_of(const api::Pod& pod) {
    for (auto& o : pdbs_->by_index(client::kNamespaceIndex, pod.metadata.namespace_)) {
      auto pdb = api::as<api::PodDisruptionBudget>(o);
      if (!pdb) continue;
      auto selector = api::pdb_selector(*pdb);
      if (selector && selector->matches(pod.metadata.labels)) loop_.enqueue(api::object_key(*pdb));
    }
  }

  void on_pod(const client::InformerEvent& e) {
    if (auto pod = api::as<api::Pod>(e.object)) {
      enqueue_budgets_of(*pod);
      if (e.type != client::InformerEvent::Type::deleted) check_stale_disruption(*pod);
    }
    // A relabelled pod may leave the budgets that counted it.
    if (auto old = api::as<api::Pod>(e.old)) enqueue_budgets_of(*old);
  }

  /// upstream enqueueStalePodDisruptionCleanup: looks at the pod when its DisruptionTarget
  /// condition turns stale (at once if it already is).
  void check_stale_disruption(const api::Pod& pod) {
    auto due = disruption::stale_disruption_at(pod);
    if (!due) return;
    loop_.enqueue_after(std::string(kStalePodPrefix) + api::object_key(pod),
                        std::max(Duration::zero(), *due - loop_.clock().now()));
  }

  /// upstream syncStalePodDisruption: the pod still carries a DisruptionTarget=True condition
  /// past kStalePodDisruptionTimeout and is not being deleted: the condition turns False.
  /// Written under the pod's resourceVersion; a Conflict is retried on the newer pod.
  void sync_stale_pod(const std::string& pod_key, ControllerLoop::Finish finish) {
    auto pod = api::as<api::Pod>(pods_->get(pod_key));
    if (!pod) return finish(std::nullopt);
    auto status = disruption::reset_stale_disruption(*pod, loop_.clock().now());
    if (!status) {
      check_stale_disruption(*pod);  // not due yet (a timer set for an older mark)
      return finish(std::nullopt);
    }
    api::Pod update = *pod;
    update.status = std::move(*status);
    client_.update_status<api::Pod>(
        update, [self = shared_from_this(), pod_key, finish](api::Result<PodPtr> r) {
          if (!r) return finish(is_not_found(r.error()) ? std::nullopt : std::optional(r.error()));
          self->loop_.log().info("pod {}: reset stale DisruptionTarget condition to False", pod_key);
          finish(std::nullopt);
        });
  }

  template <class T>
  std::shared_ptr<const T> owner(const std::shared_ptr<const client::Cache>& cache,
                                 const std::string& ns, const api::OwnerReference& ref) const {
    auto obj = api::as<T>(cache->get(ns + "/" + ref.name));
    return obj && obj->metadata.uid == ref.uid ? obj : nullptr;
  }

  /// upstream's finders, in their order: ReplicationController, Deployment (through the
  /// ReplicaSet it controls), ReplicaSet. kactor has no StatefulSets and no other kind with
  /// a scale subresource.
  std::optional<ControllerScale> find_scale(const api::OwnerReference& ref, const std::string& ns) const {
    if (refers_to(ref, "ReplicationController", {""})) {
      if (auto rc = owner<api::ReplicationController>(rcs_, ns, ref))
        return ControllerScale{rc->metadata.uid, rc->spec.replicas.value_or(1)};
      return std::nullopt;
    }
    if (!refers_to(ref, "ReplicaSet", {"apps", "extensions"})) return std::nullopt;
    auto rs = owner<api::ReplicaSet>(rss_, ns, ref);
    if (!rs) return std::nullopt;
    if (const auto* rs_ref = rs->metadata.controller_ref();
        rs_ref && refers_to(*rs_ref, "Deployment", {"apps", "extensions"})) {
      // A ReplicaSet of a Deployment counts as its Deployment, or not at all.
      if (auto d = owner<api::Deployment>(deployments_, ns, *rs_ref))
        return ControllerScale{d->metadata.uid, d->spec.replicas.value_or(1)};
      return std::nullopt;
    }
    return ControllerScale{rs->metadata.uid, rs->spec.replicas.value_or(1)};
  }

  std::vector<PodPtr> pods_of(const api::PodDisruptionBudget& pdb) const {
    std::vector<PodPtr> out;
    auto selector = api::pdb_selector(pdb);
    if (!selector) return out;
    for (auto& o : pods_->by_index(client::kNamespaceIndex, pdb.metadata.namespace_))
      if (auto pod = api::as<api::Pod>(o); pod && selector->matches(pod->metadata.labels))
        out.push_back(pod);
    return out;
  }

  void sync(const std::string& key, ControllerLoop::Finish finish) {
    if (key.starts_with(kStalePodPrefix))
      return sync_stale_pod(key.substr(kStalePodPrefix.size()), std::move(finish));
    auto pdb = api::as<api::PodDisruptionBudget>(pdbs_->get(key));
    if (!pdb) return finish(std::nullopt);
    const TimePoint now = loop_.clock().now();
    if (auto selector = api::pdb_selector(*pdb); !selector) {
      events_.record(*pdb, "Warning", "NoPods", "Failed to get pods: " + selector.error().message);
      return write(pdb, disruption::failed_status(*pdb, selector.error().message, now), std::nullopt, finish);
    }
    const auto pods = pods_of(*pdb);
    if (pods.empty()) events_.record(*pdb, "Normal", "NoPods", "No matching pods found");

    auto count = disruption::expected_pod_count(
        *pdb, pods, [this](const api::OwnerReference& ref, const std::string& ns) {
          return find_scale(ref, ns);
        });
    if (!count) {
      const auto& message = count.error().message;
      events_.record(*pdb, "Warning", "CalculateExpectedPodCountFailed",
                     "Failed to calculate the number of expected pods: " + message);
      loop_.log().info("budget {}: {}", key, message);
      return write(pdb, disruption::failed_status(*pdb, message, now), std::nullopt, finish);
    }
    if (!count->unmanaged.empty())
      events_.record(*pdb, "Warning", "UnmanagedPods",
                     "Pods selected by this PodDisruptionBudget (selector: " +
                         (pdb->spec.selector ? api::labels::Selector::from_label_selector(*pdb->spec.selector)
                                                   .value_or(api::labels::Selector::nothing())
                                                   .to_string()
                                             : std::string("nil")) +
                         ") were found to be unmanaged. As a result, the status of the PDB cannot "
                         "be calculated correctly, which may result in undefined behavior. To "
                         "account for these pods please set \".spec.minAvailable\" field of the "
                         "PDB to an integer value.");

    auto disrupted = disruption::disrupted_pod_map(*pdb, pods, now);
    for (const auto& name : disrupted.expired)
      loop_.log().info("budget {}: pod {} was expected to be deleted but it wasn't", key, name);
    const int32_t healthy = disruption::count_healthy(pods, disrupted.pods, now);
    auto next = disruption::next_status(*pdb, healthy, *count, std::move(disrupted.pods), now);
    std::optional<Duration> recheck;
    if (disrupted.recheck) recheck = *disrupted.recheck - now;
    if (!next) {
      if (recheck) loop_.enqueue_after(key, *recheck);
      return finish(std::nullopt);
    }
    write(pdb, std::move(*next), recheck, finish);
  }

  /// Writes the budget's status; a conflict (the eviction API changed it meanwhile) is
  /// retried with back-off on the newer budget the informer brings.
  void write(const PdbPtr& pdb, api::PodDisruptionBudgetStatus status, std::optional<Duration> recheck,
             ControllerLoop::Finish finish) {
    if (status == pdb->status) return finish(std::nullopt);
    api::PodDisruptionBudget update = *pdb;
    update.status = std::move(status);
    const std::string key = api::object_key(*pdb);
    client_.update_status<api::PodDisruptionBudget>(
        update, [self = shared_from_this(), key, recheck, finish](api::Result<PdbPtr> r) {
          if (!r) {
            if (is_not_found(r.error())) return finish(std::nullopt);
            return finish(r.error());
          }
          if (recheck) self->loop_.enqueue_after(key, *recheck);
          finish(std::nullopt);
        });
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  client::EventRecorder events_;
  std::shared_ptr<const client::Cache> pdbs_, pods_, rcs_, rss_, deployments_;
};

}  // namespace

api::Result<caf::actor> spawn_disruption_controller(const Context& ctx,
                                                    const ControllerManagerOptions& opts) {
  return spawn_controller<DisruptionController>(ctx, opts.workers);
}

}  // namespace kactor::actors::controllers
