// The node lifecycle controller (upstream's node-lifecycle-controller): notices a node whose
// kubelet stopped heartbeating (neither its Lease nor its status renewed within the grace
// period) and marks it Unknown; marks the pods of a node that is not Ready as not Ready (so
// Endpoints and kube-proxy drop them at once); keeps the condition taints (NoSchedule) in
// step with the node's conditions; and puts the NoExecute not-ready/unreachable taints on
// failed nodes — at a rate per zone that depends on how disrupted the zone is, and not at
// all when every zone is down (a control plane cut off from every node must not evict
// everything). The taint eviction controller then evicts the pods that do not tolerate them.
//
// One writer per node: the monitor pass and the zone queues only decide (health, which
// NoExecute taint) and enqueue the node; sync(node) writes status, taints and pod
// conditions, so its writes never race each other.
#include <map>
#include <set>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "actors/client/async_client.hpp"
#include "actors/client/event_recorder.hpp"
#include "actors/client/indexes.hpp"
#include "actors/controllers/controller_loop.hpp"
#include "actors/controllers/join.hpp"
#include "actors/controllers/node_health.hpp"
#include "actors/controllers/registry.hpp"
#include "actors/controllers/zone_tainter.hpp"
#include "api/types/all.hpp"
#include "api/types/pod_util.hpp"
#include "api/types/taint_util.hpp"

namespace kactor::actors::controllers {

namespace {

using NodePtr = std::shared_ptr<const api::Node>;

/// The NoExecute taint `key`, added at `decided` (when the zone's queue let it through, not
/// when the write lands, so that a retried write does not move it).
api::Taint no_execute_taint(const char* key, TimePoint decided) {
  api::Taint t;
  t.key = key;
  t.effect = api::kEffectNoExecute;
  t.time_added = api::Time{decided};
  return t;
}

class NodeLifecycleController : public std::enable_shared_from_this<NodeLifecycleController> {
 public:
  NodeLifecycleController(caf::event_based_actor* self, const Context& ctx, int workers,
                          NodeLifecycleOptions options)
      : loop_(self, ctx, "nodelifecycle", workers),
        client_(self, *ctx.apiserver),
        events_(self, *ctx.apiserver, *ctx.clock, "node-controller"),
        options_(options) {}

  caf::behavior start() {
    nodes_ = loop_
                 .watch(api::Node::static_type(),
                        [this](const client::InformerEvent& e) { on_node(e); })
                 .cache;
    // Read at each monitor pass; a renewal needs no reaction before then.
    leases_ = loop_.watch(api::Lease::static_type(), [](const client::InformerEvent&) {}).cache;
    auto pods =
        loop_.watch(api::Pod::static_type(), [this](const client::InformerEvent& e) { on_pod(e); });
    client::add_pod_node_index(*pods.mutable_cache);
    pods_ = pods.cache;
    loop_.every(options_.monitor_period, [this] { monitor(); });
    return loop_.run(shared_from_this());
  }

 private:
  /// What the controller keeps per node between passes.
  struct Tracked {
    NodeHealth health;
    /// The NoExecute taint the node should carry (decided by the monitor pass and the zone
    /// queues; written by sync).
    std::optional<api::Taint> no_execute;
  };

  void on_node(const client::InformerEvent& e) {
    auto node = api::as<api::Node>(e.object);
    if (!node) return;
    if (e.type == client::InformerEvent::Type::deleted) {
      forget(node->metadata.name, zone_key(*node));
      return;
    }
    // Condition taints follow the conditions at once (upstream's NoSchedule tainting runs
    // on node events, not on the monitor period).
    loop_.enqueue(node->metadata.name);
  }

  void on_pod(const client::InformerEvent& e) {
    if (e.type == client::InformerEvent::Type::deleted) return;
    auto pod = api::as<api::Pod>(e.object);
    if (!pod || pod->spec.node_name.empty() || !api::is_ready(*pod)) return;
    // A pod reported Ready on a node that is not (upstream's processPod).
    auto node = api::as<api::Node>(nodes_->get(pod->spec.node_name));
    if (node && tracked_.contains(node->metadata.name) && ready_status(*node) != "True")
      loop_.enqueue(node->metadata.name);
  }

  void forget(const std::string& name, const std::string& zone) {
    tracked_.erase(name);
    if (auto it = tainters_.find(zone); it != tainters_.end()) it->second.remove(name);
  }

  // -- the monitor pass (every --node-monitor-period) --

  void monitor() {
    if (!loop_.synced()) return;
    auto now = loop_.clock().now();
    std::map<std::string, std::pair<int, int>> zones;  // zone → (ready, not ready)
    std::vector<NodePtr> nodes;
    for (auto& o : nodes_->list()) {
      auto node = api::as<api::Node>(o);
      if (!node) continue;
      nodes.push_back(node);
      const auto& name = node->metadata.name;
      auto [it, first] = tracked_.try_emplace(name);
      auto& tracked = it->second;
      auto lease = api::as<api::Lease>(leases_->get(std::string(api::kNodeLeaseNamespace) + "/" + name));
      observe(tracked.health, first, *node, lease.get(), now);
      // The Ready status as it stands once this pass is written: Unknown when stale.
      bool stale = is_stale(tracked.health, *node, options_, now);
      std::string ready = stale ? "Unknown" : ready_status(*node);
      if (stale && unknown_status(*node, now)) loop_.enqueue(name);
      auto& counts = zones[zone_key(*node)];
      (ready == "True" ? counts.first : counts.second)++;
      decide_no_execute(*node, tracked, ready);
    }
    handle_disruption(zones, nodes, now);
    run_tainters();
  }

  /// Upstream's processTaintBaseEviction: Ready False or Unknown → the matching NoExecute
  /// taint (swapped at once if the opposite one is there, else queued in the zone);
  /// Ready True → neither, at once.
  void decide_no_execute(const api::Node& node, Tracked& tracked, const std::string& ready) {
    const auto& name = node.metadata.name;
    auto zone = zone_key(node);
    auto& tainter = tainters_[zone];
    if (ready == "True") {
      bool had = tracked.no_execute.has_value() || tainter.remove(name) ||
                 api::find_taint(node.spec.taints, api::kTaintNodeNotReady, api::kEffectNoExecute) ||
                 api::find_taint(node.spec.taints, api::kTaintNodeUnreachable, api::kEffectNoExecute);
      tracked.no_execute.reset();
      if (had) loop_.enqueue(name);
      return;
    }
    const char* want = ready == "False" ? api::kTaintNodeNotReady : api::kTaintNodeUnreachable;
    const char* opposite = ready == "False" ? api::kTaintNodeUnreachable : api::kTaintNodeNotReady;
    if (tracked.no_execute && tracked.no_execute->key == want) return;
    bool has_opposite = (tracked.no_execute && tracked.no_execute->key == opposite) ||
                        api::find_taint(node.spec.taints, opposite, api::kEffectNoExecute);
    bool has_wanted = api::find_taint(node.spec.taints, want, api::kEffectNoExecute) != nullptr;
    if (has_opposite || has_wanted) {
      tracked.no_execute = no_execute_taint(want, loop_.clock().now());
      tainter.remove(name);
      loop_.enqueue(name);
      return;
    }
    tainter.add(name);
  }

  /// Upstream's handleDisruption: each zone's state sets its tainting rate; when every zone
  /// is fully disrupted, tainting stops and the NoExecute taints go; when that ends, every
  /// node gets a fresh grace period.
  void handle_disruption(const std::map<std::string, std::pair<int, int>>& zones,
                         const std::vector<NodePtr>& nodes, TimePoint now) {
    std::map<std::string, ZoneState> next;
    bool all_now = !zones.empty();
    for (const auto& [zone, counts] : zones) {
      auto s = zone_state(counts.first, counts.second, options_.unhealthy_zone_threshold);
      if (s != ZoneState::full_disruption) all_now = false;
      next[zone] = s;
      zone_states_.try_emplace(zone, ZoneState::initial);
    }
    bool all_before = true;
    for (auto it = zone_states_.begin(); it != zone_states_.end();) {
      if (!zones.contains(it->first)) {
        tainters_.erase(it->first);
        it = zone_states_.erase(it);
        continue;
      }
      if (it->second != ZoneState::full_disruption) all_before = false;
      ++it;
    }
    auto zone_size = [&](const std::string& zone) {
      auto& c = zones.at(zone);
      return c.first + c.second;
    };
    if (all_now && all_before) return;
    if (all_now) {
      loop_.log().warn(
          "nodelifecycle: every node is not Ready: entering master disruption mode, no "
          "evictions");
      for (auto& [zone, state] : zone_states_) {
        state = ZoneState::full_disruption;
        tainters_[zone].set_rate(0, now);
      }
      for (auto& node : nodes) {
        auto& tracked = tracked_[node->metadata.name];
        tracked.no_execute.reset();
        tainters_[zone_key(*node)].remove(node->metadata.name);
        loop_.enqueue(node->metadata.name);
      }
      return;
    }
    if (all_before && !zone_states_.empty()) {
      loop_.log().info("nodelifecycle: some nodes are Ready: leaving master disruption mode");
      for (auto& [name, tracked] : tracked_) tracked.health.probe = now;
      for (auto& [zone, state] : zone_states_) {
        state = next.at(zone);
        tainters_[zone].set_rate(zone_rate(state, zone_size(zone), options_), now);
      }
      return;
    }
    for (auto& [zone, state] : zone_states_) {
      auto s = next.at(zone);
      if (s != state)
        loop_.log().info("nodelifecycle: zone \"{}\" is now {}", printable_zone(zone), to_string(s));
      state = s;
      tainters_[zone].set_rate(zone_rate(s, zone_size(zone), options_), now);
    }
  }

  static std::string printable_zone(const std::string& zone) {
    auto sep = zone.find(std::string(":\0:", 3));
    if (sep == std::string::npos) return zone;
    return zone.substr(0, sep) + "/" + zone.substr(sep + 3);
  }

  /// Takes from each zone's queue the nodes whose turn has come, and wakes up again when the
  /// next one's does.
  void run_tainters() {
    auto now = loop_.clock().now();
    std::optional<TimePoint> wake;
    for (auto& [zone, tainter] : tainters_) {
      while (auto name = tainter.pop(now)) {
        auto node = api::as<api::Node>(nodes_->get(*name));
        auto it = tracked_.find(*name);
        if (!node || it == tracked_.end()) continue;
        bool stale = is_stale(it->second.health, *node, options_, now);
        auto ready = stale ? std::string("Unknown") : ready_status(*node);
        if (ready == "True") continue;  // it came back meanwhile
        it->second.no_execute = no_execute_taint(
            ready == "False" ? api::kTaintNodeNotReady : api::kTaintNodeUnreachable, now);
        loop_.enqueue(*name);
      }
      if (auto due = tainter.next_due(now); due && (!wake || *due < *wake)) wake = due;
    }
    if (wake && (!tainter_wakeup_ || *wake < *tainter_wakeup_)) {
      tainter_wakeup_ = wake;
      loop_.after(*wake - now, [this] {
        tainter_wakeup_.reset();
        run_tainters();
      });
    }
  }

  // -- sync(node): the writes --

  void sync(const std::string& name, ControllerLoop::Finish finish) {
    auto node = api::as<api::Node>(nodes_->get(name));
    if (!node) return finish(std::nullopt);
    auto now = loop_.clock().now();
    auto [it, first] = tracked_.try_emplace(name);
    auto& tracked = it->second;
    auto lease = api::as<api::Lease>(leases_->get(std::string(api::kNodeLeaseNamespace) + "/" + name));
    observe(tracked.health, first, *node, lease.get(), now);
    auto self = shared_from_this();
    if (is_stale(tracked.health, *node, options_, now)) {
      if (auto status = unknown_status(*node, now)) {
        bool was_ready = ready_status(*node) == "True";
        api::Node update = *node;
        update.status = std::move(*status);
        client_.update_status<api::Node>(update, [self, finish, was_ready](
                                                     api::Result<NodePtr> r) {
          if (!r) return finish(r.error());
          if (was_ready)
            self->events_.record(**r, "Normal", "NodeNotReady",
                                 "Node " + (*r)->metadata.name + " status is now: NodeNotReady");
          self->write_taints_and_pods(*r, finish);
        });
        return;
      }
    }
    write_taints_and_pods(node, finish);
  }

  void write_taints_and_pods(const NodePtr& node, ControllerLoop::Finish finish) {
    auto it = tracked_.find(node->metadata.name);
    if (it == tracked_.end()) return finish(std::nullopt);
    auto now = loop_.clock().now();
    auto taints = desired_taints(*node, condition_taints(*node), it->second.no_execute, now);
    auto self = shared_from_this();
    if (taints == node->spec.taints) return mark_pods_not_ready(node, finish);
    api::Node update = *node;
    update.spec.taints = std::move(taints);
    client_.update<api::Node>(update, [self, finish](api::Result<NodePtr> r) {
      // Conflict: the kubelet or someone else wrote meanwhile; retried on the newer node.
      if (!r) return finish(r.error());
      self->mark_pods_not_ready(*r, finish);
    });
  }

  /// Upstream's MarkPodsNotReady: while a node is not Ready, its pods are not either.
  void mark_pods_not_ready(const NodePtr& node, ControllerLoop::Finish finish) {
    if (ready_status(*node) == "True") return finish(std::nullopt);
    auto now = loop_.clock().now();
    std::vector<std::shared_ptr<const api::Pod>> pods;
    for (auto& o : pods_->by_index(client::kPodNodeIndex, node->metadata.name))
      if (auto pod = api::as<api::Pod>(o); pod && api::is_ready(*pod)) pods.push_back(pod);
    if (pods.empty()) return finish(std::nullopt);
    auto join = Join::make(static_cast<int>(pods.size()), finish);
    for (auto& pod : pods) {
      api::Pod update = *pod;
      for (auto& c : update.status.conditions) {
        if (c.type != "Ready") continue;
        c.status = "False";
        c.last_transition_time = api::Time{now};
      }
      auto self = shared_from_this();
      client_.update_status<api::Pod>(
          update, [self, join](api::Result<std::shared_ptr<const api::Pod>> r) {
            if (r) {
              self->events_.record(**r, "Warning", "NodeNotReady", "Node is not ready");
              return join->report();
            }
            join->report(is_not_found(r.error()) ? std::nullopt
                                                 : std::optional<api::Status>(r.error()));
          });
    }
  }

  friend ControllerLoop;  // runs sync()
  ControllerLoop loop_;
  client::AsyncClient client_;
  client::EventRecorder events_;
  NodeLifecycleOptions options_;
  std::shared_ptr<const client::Cache> nodes_, leases_, pods_;
  std::unordered_map<std::string, Tracked> tracked_;
  std::map<std::string, ZoneState> zone_states_;
  std::map<std::string, ZoneTainter> tainters_;
  std::optional<TimePoint> tainter_wakeup_;
};

}  // namespace

api::Result<caf::actor> spawn_node_lifecycle_controller(const Context& ctx,
                                                        const ControllerManagerOptions& opts) {
  const auto& o = opts.node_lifecycle;
  if (o.monitor_period <= Duration::zero())
    return api::fail(api::bad_request("node lifecycle: --node-monitor-period must be positive"));
  if (o.eviction_rate < 0 || o.secondary_eviction_rate < 0)
    return api::fail(api::bad_request("node lifecycle: eviction rates must not be negative"));
  if (o.unhealthy_zone_threshold <= 0 || o.unhealthy_zone_threshold > 1)
    return api::fail(
        api::bad_request("node lifecycle: --unhealthy-zone-threshold must be in (0, 1]"));
  return spawn_controller<NodeLifecycleController>(ctx, opts.workers, o);
}

}  // namespace kactor::actors::controllers
