// The pod garbage collector (upstream's pod-garbage-collector, podgc): every 20 s it
// force-deletes (grace period 0) the pods nothing else will ever finish:
// - orphaned pods, bound to a Node that no longer exists — after a 40 s quarantine and a
//   fresh read of the Node, so a Node the informer has not caught up with is not taken for
//   gone — with the condition DisruptionTarget (reason DeletionByPodGC);
// - terminating pods on a node that is not Ready and carries the
//   node.kubernetes.io/out-of-service taint (an administrator's word that the node is gone);
// - terminating pods that were never scheduled;
// - terminated (Succeeded/Failed) pods beyond --terminated-pod-gc-threshold, oldest first.
// The pods of a dead node that the taint eviction controller deleted stay Terminating until
// one of the first two applies, as upstream.
#include <algorithm>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "actors/client/async_client.hpp"
#include "actors/client/indexes.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/node_health.hpp"
#include "actors/controllers/registry.hpp"
#include "api/types/all.hpp"
#include "api/types/pod_util.hpp"
#include "api/types/taint_util.hpp"

namespace kactor::actors::controllers {

namespace {

using PodPtr = std::shared_ptr<const api::Pod>;

constexpr const char* kTaintOutOfService = "node.kubernetes.io/out-of-service";

class PodGarbageCollector : public std::enable_shared_from_this<PodGarbageCollector> {
 public:
  PodGarbageCollector(caf::event_based_actor* self, const Context& ctx, int workers,
                      PodGcOptions options)
      : loop_(self, ctx, "podgc", workers), client_(self, *ctx.apiserver), options_(options) {}

  caf::behavior start() {
    auto ignore = [](const client::InformerEvent&) {};
    nodes_ = loop_.watch(api::Node::static_type(), ignore).cache;
    auto pods = loop_.watch(api::Pod::static_type(), ignore);
    client::add_pod_node_index(*pods.mutable_cache);
    pods_ = pods.cache;
    loop_.every(options_.check_period, [this] { pass(); });
    return loop_.run(shared_from_this());
  }

 private:
  /// One pass: decide which pods go (the keys' syncs delete them).
  void pass() {
    if (!loop_.synced()) return;
    auto now = loop_.clock().now();
    std::vector<PodPtr> terminated;
    for (auto& o : pods_->list()) {
      auto pod = api::as<api::Pod>(o);
      if (!pod) continue;
      const auto key = api::object_key(*pod);
      if (api::is_terminal(*pod)) terminated.push_back(pod);
      const auto& node_name = pod->spec.node_name;
      if (node_name.empty()) {
        if (pod->metadata.deletion_timestamp) doom(key, Why::unscheduled_terminating);
        continue;
      }
      auto node = api::as<api::Node>(nodes_->get(node_name));
      if (!node) {
        // Orphaned: counted from when first seen so; the sync checks with the API server.
        auto [it, added] = missing_since_.try_emplace(node_name, now);
        if (now - it->second >= options_.quarantine) doom(key, Why::orphaned);
        continue;
      }
      missing_since_.erase(node_name);
      if (pod->metadata.deletion_timestamp && ready_status(*node) != "True" &&
          api::find_taint(node->spec.taints, kTaintOutOfService, api::kEffectNoExecute))
        doom(key, Why::out_of_service);
    }
    // Forget nodes that came back or whose pods are all gone.
    for (auto it = missing_since_.begin(); it != missing_since_.end();)
      it = pods_->by_index(client::kPodNodeIndex, it->first).empty() ? missing_since_.erase(it)
                                                                     : std::next(it);
    if (options_.terminated_threshold > 0 &&
        terminated.size() > static_cast<size_t>(options_.terminated_threshold)) {
      // Oldest first (upstream sorts by creation time).
      std::sort(terminated.begin(), terminated.end(), [](auto& a, auto& b) {
        return a->metadata.creation_timestamp < b->metadata.creation_timestamp;
      });
      auto excess = terminated.size() - static_cast<size_t>(options_.terminated_threshold);
      for (size_t i = 0; i < excess; ++i) doom(api::object_key(*terminated[i]), Why::terminated);
    }
  }

  enum class Why { orphaned, out_of_service, unscheduled_terminating, terminated };

  void doom(const std::string& key, Why why) {
    if (doomed_.try_emplace(key, why).second) loop_.enqueue(key);
  }

  void sync(const std::string& key, ControllerLoop::Finish finish) {
    auto it = doomed_.find(key);
    auto pod = api::as<api::Pod>(pods_->get(key));
    if (it == doomed_.end() || !pod) {
      if (it != doomed_.end()) doomed_.erase(it);
      return finish(std::nullopt);
    }
    auto why = it->second;
    auto self = shared_from_this();
    if (why != Why::orphaned) return force_delete(pod, std::nullopt, finish);
    // The informer may lag: only a Node the API server does not know either is gone.
    client_.get<api::Node>(
        "", pod->spec.node_name, [self, pod, finish](api::Result<std::shared_ptr<const api::Node>> r) {
          if (r) {
            self->doomed_.erase(api::object_key(*pod));
            return finish(std::nullopt);
          }
          if (!is_not_found(r.error())) return finish(r.error());
          api::PodCondition c;
          c.type = "DisruptionTarget";
          c.status = "True";
          c.reason = "DeletionByPodGC";
          c.message = "PodGC: node no longer exists";
          self->force_delete(pod, c, finish);
        });
  }

  /// Adds `condition` (if any) to the pod's status, then deletes it with grace period 0.
  void force_delete(const PodPtr& pod, std::optional<api::PodCondition> condition,
                    ControllerLoop::Finish finish) {
    auto self = shared_from_this();
    auto key = api::object_key(*pod);
    auto remove = [self, pod, key, finish] {
      client::DeleteOptions opts;
      opts.grace_period_seconds = 0;
      opts.precondition_uid = pod->metadata.uid;
      self->loop_.log().info("podgc: force-deleting pod {}", key);
      self->client_.remove<api::Pod>(pod->metadata.namespace_, pod->metadata.name, opts,
                                     [self, key, finish](api::Result<PodPtr> r) {
                                       self->doomed_.erase(key);
                                       if (!r && !is_not_found(r.error()) &&
                                           !is_conflict(r.error()))
                                         return finish(r.error());
                                       finish(std::nullopt);
                                     });
    };
    if (!condition || pod->status.condition(condition->type)) return remove();
    api::Pod update = *pod;
    condition->last_transition_time = api::Time{loop_.clock().now()};
    update.status.conditions.push_back(*condition);
    client_.update_status<api::Pod>(update, [self, key, remove, finish](api::Result<PodPtr> r) {
      if (!r && is_not_found(r.error())) {
        self->doomed_.erase(key);
        return finish(std::nullopt);
      }
      if (!r) return finish(r.error());  // Conflict: retried on the newer pod
      remove();
    });
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  PodGcOptions options_;
  std::shared_ptr<const client::Cache> nodes_, pods_;
  /// Nodes pods are bound to that the informer does not have, since when.
  std::unordered_map<std::string, TimePoint> missing_since_;
  /// Pods decided to go, and why (the sync deletes them).
  std::unordered_map<std::string, Why> doomed_;
};

}  // namespace

api::Result<caf::actor> spawn_pod_gc_controller(const Context& ctx,
                                                const ControllerManagerOptions& opts) {
  if (opts.pod_gc.check_period <= Duration::zero())
    return api::fail(api::bad_request("podgc: the check period must be positive"));
  return spawn_controller<PodGarbageCollector>(ctx, opts.workers, opts.pod_gc);
}

}  // namespace kactor::actors::controllers
