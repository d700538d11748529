// The scheduler actor: feeds the queue and node cache from informers, schedules
// one pod per message (so informer events interleave), binds asynchronously.
#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/apiserver/protocol/messages.hpp"
#include "actors/client/async_client.hpp"
#include "actors/client/event_recorder.hpp"
#include "actors/client/informer.hpp"
#include "actors/client/messages.hpp"
#include "actors/client/requests.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/common/timers.hpp"
#include "actors/scheduler/algorithm.hpp"
#include "actors/scheduler/messages.hpp"
#include "actors/scheduler/node_cache.hpp"
#include "actors/scheduler/nominator.hpp"
#include "actors/scheduler/plugins/plugins.hpp"
#include "actors/scheduler/pod_status.hpp"
#include "actors/scheduler/preemption_executor.hpp"
#include "actors/scheduler/queue.hpp"
#include "actors/scheduler/scheduler.hpp"
#include "api/types/disruption.hpp"
#include "api/types/namespace.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::scheduler {
namespace {


struct State {
  actors::Context ctx;
  SchedulerOptions options;
  std::shared_ptr<SchedulerCounters> counters;
  NodeCache cache;
  std::unique_ptr<SchedulingQueue> queue;
  std::unique_ptr<Algorithm> algorithm;
  std::unique_ptr<client::AsyncClient> client;
  std::unique_ptr<client::EventRecorder> recorder;
  /// Pods nominated to nodes by preemption; the algorithm reads it.
  Nominator nominator;
  std::unique_ptr<PreemptionExecutor> preemption;
  client::Informer pods;
  client::Informer nodes;
  client::Informer namespaces;
  client::Informer pdbs;
  /// Batches flagged synced seen; scheduling starts once every informer delivered
  /// its initial content (each flags exactly one batch on the first sync).
  int synced_batches = 0;
  bool next_pending = false;
};
using Self = caf::stateful_actor<State>;

/// Nodes, pods, namespaces, PodDisruptionBudgets.
constexpr int kInformers = 4;

TimePoint now(Self* self) {
  return self->state.ctx.clock->now();
}

void kick(Self* self) {
  auto& st = self->state;
  if (st.next_pending || st.synced_batches < kInformers || st.queue->active_size() == 0) return;
  st.next_pending = true;
  self->send(self, next_atom::value);
}

/// Changes to a node that can make a pod fit (not heartbeats).
bool node_changed_for_scheduling(const api::Node& a, const api::Node& b) {
  return a.metadata.labels != b.metadata.labels || !(a.spec == b.spec) ||
         a.status.allocatable != b.status.allocatable;
}

void on_node_event(Self* self, const client::InformerEvent& ev, const api::Node& node) {
  auto& st = self->state;
  using T = client::InformerEvent::Type;
  if (ev.type == T::deleted) {
    st.cache.remove_node(node.metadata.name);
    return;
  }
  st.cache.upsert_node(api::as<api::Node>(ev.object));
  auto old = api::as<api::Node>(ev.old);
  if (ev.type == T::added || !old || node_changed_for_scheduling(*old, node))
    st.queue->move_all_to_active_or_backoff(now(self));
}

void on_namespace_event(Self* self, const client::InformerEvent& ev, const api::Namespace& ns) {
  auto& st = self->state;
  if (ev.type == client::InformerEvent::Type::deleted)
    st.cache.remove_namespace(ns.metadata.name);
  else
    st.cache.upsert_namespace(ns.metadata.name, ns.metadata.labels);
}

void on_pdb_event(Self* self, const client::InformerEvent& ev,
                  const std::shared_ptr<const api::PodDisruptionBudget>& pdb) {
  auto& st = self->state;
  if (ev.type == client::InformerEvent::Type::deleted)
    st.cache.remove_pdb(api::object_key(*pdb));
  else
    st.cache.upsert_pdb(pdb);
}

void on_pod_event(Self* self, const client::InformerEvent& ev,
                  const std::shared_ptr<const api::Pod>& pod) {
  auto& st = self->state;
  using T = client::InformerEvent::Type;
  auto key = api::object_key(*pod);
  if (!pod->spec.node_name.empty()) {
    st.queue->remove(key);
    st.nominator.remove(key);
    if (ev.type == T::deleted || api::is_terminal(*pod)) {
      st.cache.remove_pod(key);
      // Resources were freed: pods waiting may fit now.
      st.queue->move_all_to_active_or_backoff(now(self));
    } else {
      st.cache.upsert_pod(pod);
    }
    return;
  }
  if (ev.type == T::deleted || pod->metadata.deletion_timestamp ||
      pod->spec.scheduler_name != st.options.scheduler_name || api::is_terminal(*pod)) {
    st.queue->remove(key);
    st.nominator.remove(key);
    if (ev.type == T::deleted) st.cache.forget(key);
    return;
  }
  // A pod we assumed and are binding is not queued again.
  if (st.cache.is_assumed(key)) return;
  st.nominator.on_pending_pod(api::as<api::Pod>(ev.old).get(), pod);
  st.queue->add(pod, now(self));
}

void record_failure(Self* self, const api::Pod& pod, const std::string& message) {
  auto& st = self->state;
  st.counters->unschedulable.fetch_add(1, std::memory_order_relaxed);
  st.recorder->record(pod, "Warning", "FailedScheduling", message);
  auto updated = with_unschedulable_condition(pod, message, now(self));
  if (!updated) return;
  auto req = client::request_with(apiserver::Verb::update_status, std::move(updated));
  auto name = api::object_key(pod);
  st.client->call(std::move(req), [name](apiserver::Response& r) {
    // A conflict means a newer pod exists; the next attempt writes again.
    if (r.error) actors::logger("scheduler")->debug("status of {}: {}", name, r.error->message);
  });
}

void bind(Self* self, std::shared_ptr<CycleState> state, std::shared_ptr<const api::Pod> pod,
          const std::string& node) {
  auto& st = self->state;
  auto key = api::object_key(*pod);
  auto req = st.algorithm->framework().run_bind(*state, *pod, node);
  auto fail = [self, state, pod, node, key](const std::string& why) {
    auto& st = self->state;
    actors::logger("scheduler")->info("binding {} to {} failed: {}", key, node, why);
    st.counters->bind_errors.fetch_add(1, std::memory_order_relaxed);
    st.cache.forget(key);
    st.algorithm->framework().run_unreserve(*state, *pod, node);
    st.queue->add_backoff(key, now(self));
    kick(self);
  };
  if (!req) return fail("no bind plugin took the pod");
  st.client->call(std::move(*req), [self, key, fail](apiserver::Response& r) {
    if (r.error) return fail(r.error->message);
    // Confirmed for the cache when the informer shows the pod bound.
    self->state.counters->scheduled.fetch_add(1, std::memory_order_relaxed);
    self->state.queue->done(key);
  });
}

void schedule_one(Self* self) {
  auto& st = self->state;
  auto t = now(self);
  auto qp = st.queue->pop(t);
  if (!qp) return;
  // Use the newest object the informer has: the queued one may be stale.
  auto pod = api::as<api::Pod>(st.pods.cache->get(qp->key));
  if (!pod || !pod->spec.node_name.empty() || pod->metadata.deletion_timestamp) {
    st.queue->done(qp->key);
    return;
  }
  st.counters->attempts.fetch_add(1, std::memory_order_relaxed);
  auto state = std::make_shared<CycleState>();
  auto snapshot = st.cache.snapshot();
  auto result = st.algorithm->schedule(*state, *pod, *snapshot);
  if (!result) {
    record_failure(self, *pod, result.error().message());
    // After the failure's status write, so the nomination patch lands on top of it.
    if (auto& decided = result.error().post_filter)
      st.preemption->execute(pod, *decided, st.nominator);
    st.queue->add_unschedulable(qp->key, t);
    return;
  }
  const auto& fw = st.algorithm->framework();
  const std::string node = result->node;
  if (auto r = fw.run_reserve(*state, *pod, node); !r.ok()) {
    st.queue->add_backoff(qp->key, t);
    return;
  }
  if (auto r = fw.run_permit(*state, *pod, node); !r.ok()) {
    fw.run_unreserve(*state, *pod, node);
    st.queue->add_backoff(qp->key, t);
    return;
  }
  st.cache.assume(pod, node);
  st.nominator.remove(qp->key);
  bind(self, std::move(state), std::move(pod), node);
}

caf::behavior scheduler_actor(Self* self, actors::Context ctx, SchedulerOptions opts) {
  auto& st = self->state;
  st.ctx = ctx;
  st.counters = opts.counters ? opts.counters : std::make_shared<SchedulerCounters>();
  st.options = std::move(opts);
  st.queue = std::make_unique<SchedulingQueue>(QueueOptions{
      st.options.initial_backoff, st.options.max_backoff, st.options.max_unschedulable});
  st.algorithm = std::make_unique<Algorithm>(
      plugins::default_plugins(), AlgorithmOptions{st.options.percentage_of_nodes_to_score},
      ctx.random("scheduler"));
  st.client = std::make_unique<client::AsyncClient>(self, *ctx.apiserver);
  st.recorder = std::make_unique<client::EventRecorder>(self, *ctx.apiserver, *ctx.clock,
                                                        st.options.scheduler_name);
  st.preemption = std::make_unique<PreemptionExecutor>(*st.client, *st.recorder, *ctx.clock,
                                                       st.options.scheduler_name);
  st.algorithm->set_nominator(&st.nominator);
  st.nodes = ctx.informers->get(api::Node::static_type());
  st.pods = ctx.informers->get(api::Pod::static_type());
  st.namespaces = ctx.informers->get(api::Namespace::static_type());
  st.pdbs = ctx.informers->get(api::PodDisruptionBudget::static_type());
  auto me = caf::actor_cast<caf::actor>(self);
  self->send(st.nodes.actor, client::subscribe_atom::value, me);
  self->send(st.pods.actor, client::subscribe_atom::value, me);
  self->send(st.namespaces.actor, client::subscribe_atom::value, me);
  self->send(st.pdbs.actor, client::subscribe_atom::value, me);
  actors::send_later(*ctx.clock, st.options.backoff_flush_interval, me, backoff_tick_atom::value);
  actors::send_later(*ctx.clock, st.options.unschedulable_flush_interval, me,
                     unsched_tick_atom::value);
  return actors::guarded(
      actors::logger("scheduler"),
      [self](client::InformerEvents& batch) {
        auto& st = self->state;
        if (batch.synced) ++st.synced_batches;
        for (auto& ev : batch.events) {
          if (!ev.object) continue;
          if (auto node = api::as<api::Node>(ev.object))
            on_node_event(self, ev, *node);
          else if (auto pod = api::as<api::Pod>(ev.object))
            on_pod_event(self, ev, pod);
          else if (auto ns = api::as<api::Namespace>(ev.object))
            on_namespace_event(self, ev, *ns);
          else if (auto pdb = api::as<api::PodDisruptionBudget>(ev.object))
            on_pdb_event(self, ev, pdb);
        }
        kick(self);
      },
      [self](next_atom) {
        self->state.next_pending = false;
        schedule_one(self);
        kick(self);
      },
      [self](backoff_tick_atom) {
        auto& st = self->state;
        st.queue->flush_backoff(now(self));
        actors::send_later(*st.ctx.clock, st.options.backoff_flush_interval,
                           caf::actor_cast<caf::actor>(self), backoff_tick_atom::value);
        kick(self);
      },
      [self](unsched_tick_atom) {
        auto& st = self->state;
        st.queue->flush_unschedulable(now(self));
        actors::send_later(*st.ctx.clock, st.options.unschedulable_flush_interval,
                           caf::actor_cast<caf::actor>(self), unsched_tick_atom::value);
        kick(self);
      });
}

}  // namespace

caf::actor spawn_scheduler(const actors::Context& ctx, SchedulerOptions opts) {
  return ctx.system->spawn(scheduler_actor, ctx, std::move(opts));
}

}  // namespace kactor::scheduler
