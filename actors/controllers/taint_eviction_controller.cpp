// The taint eviction controller (upstream's taint-eviction-controller, the NoExecute taint
// manager): a pod on a node with a NoExecute taint it does not tolerate is deleted at once;
// one that tolerates the taints for a while (tolerationSeconds: 300 s for not-ready and
// unreachable, from the DefaultTolerationSeconds admission) is deleted when the shortest of
// those runs out, counted from when this controller first saw it due for eviction — and not
// at all if the taints go first. Before deleting, the pod gets the DisruptionTarget
// condition (reason DeletionByTaintManager) and an Event.
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "actors/client/async_client.hpp"
#include "actors/client/event_recorder.hpp"
#include "actors/client/indexes.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/registry.hpp"
#include "api/types/all.hpp"
#include "api/types/pod_util.hpp"
#include "api/time/rfc3339.hpp"
#include "api/types/taint_util.hpp"

namespace kactor::actors::controllers {

namespace {

using PodPtr = std::shared_ptr<const api::Pod>;

std::vector<api::Taint> no_execute_taints(const api::Node* node) {
  std::vector<api::Taint> out;
  if (!node) return out;
  for (const auto& t : node->spec.taints)
    if (t.effect == api::kEffectNoExecute) out.push_back(t);
  return out;
}

class TaintEvictionController : public std::enable_shared_from_this<TaintEvictionController> {
 public:
  TaintEvictionController(caf::event_based_actor* self, const Context& ctx, int workers)
      : loop_(self, ctx, "taint-eviction-controller", workers),
        client_(self, *ctx.apiserver),
        events_(self, *ctx.apiserver, *ctx.clock, "taint-eviction-controller") {}

  caf::behavior start() {
    nodes_ = loop_
                 .watch(api::Node::static_type(),
                        [this](const client::InformerEvent& e) { on_node(e); })
                 .cache;
    auto pods =
        loop_.watch(api::Pod::static_type(), [this](const client::InformerEvent& e) { on_pod(e); });
    client::add_pod_node_index(*pods.mutable_cache);
    pods_ = pods.cache;
    return loop_.run(shared_from_this());
  }

 private:
  void on_node(const client::InformerEvent& e) {
    auto node = api::as<api::Node>(e.object);
    if (!node) return;
    auto old = api::as<api::Node>(e.old);
    auto now_taints = e.type == client::InformerEvent::Type::deleted
                          ? std::vector<api::Taint>{}
                          : no_execute_taints(node.get());
    if (old && no_execute_taints(old.get()) == now_taints) return;
    if (!old && now_taints.empty()) return;
    for (auto& o : pods_->by_index(client::kPodNodeIndex, node->metadata.name))
      loop_.enqueue(api::object_key(*o));
  }

  void on_pod(const client::InformerEvent& e) {
    auto pod = api::as<api::Pod>(e.object);
    if (!pod) return;
    auto key = api::object_key(*pod);
    if (e.type == client::InformerEvent::Type::deleted) {
      scheduled_.erase(key);
      return;
    }
    if (pod->spec.node_name.empty()) return;
    auto node = api::as<api::Node>(nodes_->get(pod->spec.node_name));
    if (scheduled_.contains(key) || !no_execute_taints(node.get()).empty()) loop_.enqueue(key);
  }

  void cancel(const std::string& key, const api::Pod& pod) {
    if (scheduled_.erase(key) == 0) return;
    events_.record(pod, "Normal", "TaintManagerEviction",
                   "Cancelling deletion of Pod " + key);
  }

  void sync(const std::string& key, ControllerLoop::Finish finish) {
    auto pod = api::as<api::Pod>(pods_->get(key));
    if (!pod) {
      scheduled_.erase(key);
      return finish(std::nullopt);
    }
    // Already going: nothing to add.
    if (pod->metadata.deletion_timestamp || pod->spec.node_name.empty()) {
      scheduled_.erase(key);
      return finish(std::nullopt);
    }
    auto node = api::as<api::Node>(nodes_->get(pod->spec.node_name));
    auto taints = no_execute_taints(node.get());
    auto allowed = api::toleration_time(pod->spec.tolerations, taints);
    if (!allowed) {
      cancel(key, *pod);
      return finish(std::nullopt);
    }
    auto now = loop_.clock().now();
    auto [it, added] = scheduled_.try_emplace(key, now);
    auto due = it->second + *allowed;
    if (added && *allowed > Duration::zero())
      loop_.log().debug("pod {}: evicted at {} unless the taints go", key, format_rfc3339(due));
    if (due > now) {
      loop_.enqueue_after(key, due - now);
      return finish(std::nullopt);
    }
    evict(key, pod, finish);
  }

  void evict(const std::string& key, const PodPtr& pod, ControllerLoop::Finish finish) {
    events_.record(*pod, "Normal", "TaintManagerEviction", "Marking for deletion Pod " + key);
    api::Pod update = *pod;
    api::PodCondition c;
    c.type = "DisruptionTarget";
    c.status = "True";
    c.reason = "DeletionByTaintManager";
    c.message = "Taint manager: deleting due to NoExecute taint";
    c.last_transition_time = api::Time{loop_.clock().now()};
    bool replaced = false;
    for (auto& have : update.status.conditions)
      if (have.type == c.type) {
        have = c;
        replaced = true;
      }
    if (!replaced) update.status.conditions.push_back(c);
    auto self = shared_from_this();
    client_.update_status<api::Pod>(update, [self, key, pod, finish](api::Result<PodPtr> r) {
      if (!r) {
        if (is_not_found(r.error())) return finish(std::nullopt);
        return finish(r.error());  // Conflict: retried on the newer pod
      }
      client::DeleteOptions opts;
      opts.precondition_uid = pod->metadata.uid;
      self->client_.remove<api::Pod>(
          pod->metadata.namespace_, pod->metadata.name, opts,
          [self, key, finish](api::Result<PodPtr> r) {
            if (!r && !is_not_found(r.error()) && !is_conflict(r.error()))
              return finish(r.error());
            self->scheduled_.erase(key);
            finish(std::nullopt);
          });
    });
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  client::EventRecorder events_;
  std::shared_ptr<const client::Cache> nodes_, pods_;
  /// Pods due for eviction → when that was first seen (the tolerationSeconds count from it).
  std::unordered_map<std::string, TimePoint> scheduled_;
};

}  // namespace

api::Result<caf::actor> spawn_taint_eviction_controller(const Context& ctx,
                                                        const ControllerManagerOptions& opts) {
  return spawn_controller<TaintEvictionController>(ctx, opts.workers);
}

}  // namespace kactor::actors::controllers
