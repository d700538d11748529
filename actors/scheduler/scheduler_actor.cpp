// The scheduler actor: feeds the queue and node cache from informers, schedules
// one pod per message (so informer events interleave), binds asynchronously.
#include <fmt/format.h>
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
#include "actors/scheduler/attempt_metrics.hpp"
#include "actors/scheduler/cluster_events.hpp"
#include "actors/scheduler/config/scheduler_config.hpp"
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
#include "api/types/service.hpp"
#include "api/types/workloads.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::scheduler {
namespace {


/// One profile at run time: its plugins (in an Algorithm) and the recorder that
/// reports events as the profile's scheduler name, as upstream does.
struct ProfileRuntime {
  std::unique_ptr<Algorithm> algorithm;
  std::unique_ptr<client::EventRecorder> recorder;
  /// Carries out the profile's preemption decisions (events name its scheduler).
  std::unique_ptr<PreemptionExecutor> preemption;
  /// Its attempts in /metrics, labelled with its scheduler name.
  std::unique_ptr<AttemptMetrics> metrics;
};

struct State {
  actors::Context ctx;
  SchedulerOptions options;
  std::shared_ptr<SchedulerCounters> counters;
  NodeCache cache;
  std::unique_ptr<SchedulingQueue> queue;
  /// By scheduler name; pods naming another scheduler are left alone.
  std::map<std::string, ProfileRuntime, std::less<>> profiles;
  std::unique_ptr<client::AsyncClient> client;
  /// Pods nominated to nodes by preemption; the algorithms read it.
  Nominator nominator;
  client::Informer pods;
  client::Informer nodes;
  client::Informer namespaces;
  client::Informer pdbs;
  /// Services, ReplicationControllers, ReplicaSets: PodTopologySpread's default selectors.
  std::vector<client::Informer> workloads;
  /// Batches flagged synced seen; scheduling starts once every informer delivered
  /// its initial content (each flags exactly one batch on the first sync).
  int synced_batches = 0;
  bool next_pending = false;
};
using Self = caf::stateful_actor<State>;

/// Nodes, pods, namespaces, PodDisruptionBudgets, and the workloads (services, RCs, RSs).
constexpr int kInformers = 7;

TimePoint now(Self* self) {
  return self->state.ctx.clock->now();
}

void kick(Self* self) {
  auto& st = self->state;
  if (st.next_pending || st.synced_batches < kInformers || st.queue->active_size() == 0) return;
  st.next_pending = true;
  self->send(self, next_atom::value);
}

/// The profile of pods naming `scheduler_name`, or nullptr.
ProfileRuntime* profile_for(Self* self, std::string_view scheduler_name) {
  auto& profiles = self->state.profiles;
  auto it = profiles.find(scheduler_name);
  return it == profiles.end() ? nullptr : &it->second;
}

void on_node_event(Self* self, const client::InformerEvent& ev, const api::Node& node) {
  auto& st = self->state;
  using T = client::InformerEvent::Type;
  if (ev.type == T::deleted) {
    st.cache.remove_node(node.metadata.name);
    st.queue->on_event({EventResource::node, action::remove}, ev.object.get(), nullptr, now(self));
    return;
  }
  st.cache.upsert_node(api::as<api::Node>(ev.object));
  auto old = api::as<api::Node>(ev.old);
  if (ev.type == T::added || !old) {
    st.queue->on_event({EventResource::node, action::add}, nullptr, ev.object.get(), now(self));
    return;
  }
  // Heartbeats change nothing that matters: no event.
  if (auto actions = node_update_actions(*old, node))
    st.queue->on_event({EventResource::node, actions}, ev.old.get(), ev.object.get(), now(self));
}

void on_namespace_event(Self* self, const client::InformerEvent& ev, const api::Namespace& ns) {
  auto& st = self->state;
  if (ev.type == client::InformerEvent::Type::deleted) {
    st.cache.remove_namespace(ns.metadata.name);
    return;
  }
  st.cache.upsert_namespace(ns.metadata.name, ns.metadata.labels);
  auto old = api::as<api::Namespace>(ev.old);
  if (!old || old->metadata.labels != ns.metadata.labels)
    st.queue->on_event({EventResource::namespace_, old ? action::update : action::add},
                       ev.old.get(), ev.object.get(), now(self));
}

/// An assigned pod came, changed or went: the event pods in the pool may wait for.
void on_assigned_pod_event(Self* self, const client::InformerEvent& ev,
                           const std::shared_ptr<const api::Pod>& pod) {
  auto& st = self->state;
  using T = client::InformerEvent::Type;
  auto key = api::object_key(*pod);
  auto old = api::as<api::Pod>(ev.old);
  if (ev.type == T::deleted || api::is_terminal(*pod)) {
    bool was_counted = st.cache.pod(key) != nullptr;
    st.cache.remove_pod(key);
    // Resources and ports were freed: pods waiting may fit now.
    if (was_counted)
      st.queue->on_event({EventResource::assigned_pod, action::remove}, ev.object.get(), nullptr,
                         now(self));
    return;
  }
  bool newly_assigned = !old || old->spec.node_name.empty();
  st.cache.upsert_pod(pod);
  if (newly_assigned) {
    st.queue->on_event({EventResource::assigned_pod, action::add}, nullptr, ev.object.get(),
                       now(self));
  } else if (auto actions = assigned_pod_update_actions(*old, *pod)) {
    st.queue->on_event({EventResource::assigned_pod, actions}, ev.old.get(), ev.object.get(),
                       now(self));
  }
}

void on_workload_event(Self* self, const client::InformerEvent& ev) {
  auto& st = self->state;
  if (ev.type == client::InformerEvent::Type::deleted)
    st.cache.remove_workload(*ev.object);
  else
    st.cache.upsert_workload(*ev.object);
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
    on_assigned_pod_event(self, ev, pod);
    return;
  }
  if (ev.type == T::deleted || pod->metadata.deletion_timestamp ||
      !profile_for(self, pod->spec.scheduler_name) || api::is_terminal(*pod)) {
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

void record_failure(Self* self, ProfileRuntime& profile, const api::Pod& pod,
                    const std::string& message) {
  auto& st = self->state;
  st.counters->unschedulable.fetch_add(1, std::memory_order_relaxed);
  profile.recorder->record(pod, "Warning", "FailedScheduling", message);
  auto updated = with_unschedulable_condition(pod, message, now(self));
  if (!updated) return;
  auto req = client::request_with(apiserver::Verb::update_status, std::move(updated));
  auto name = api::object_key(pod);
  st.client->call(std::move(req), [name](apiserver::Response& r) {
    // A conflict means a newer pod exists; the next attempt writes again.
    if (r.error) actors::logger("scheduler")->debug("status of {}: {}", name, r.error->message);
  });
}

void bind(Self* self, ProfileRuntime& profile, std::shared_ptr<CycleState> state,
          std::shared_ptr<const api::Pod> pod, const std::string& node,
          AttemptMetrics::Start started) {
  auto& st = self->state;
  const auto& fw = profile.algorithm->framework();
  auto key = api::object_key(*pod);
  auto req = fw.run_bind(*state, *pod, node);
  // Profiles live as long as the actor, so the framework and the profile outlive the call.
  auto fail = [self, &fw, &profile, state, pod, node, key, started](const std::string& why) {
    auto& st = self->state;
    actors::logger("scheduler")->info("binding {} to {} failed: {}", key, node, why);
    st.counters->bind_errors.fetch_add(1, std::memory_order_relaxed);
    profile.metrics->error(started);
    st.cache.forget(key);
    fw.run_unreserve(*state, *pod, node);
    st.queue->add_backoff(key, now(self));
    kick(self);
  };
  if (!req) return fail("no bind plugin took the pod");
  st.client->call(std::move(*req), [self, &profile, pod, node, key, fail,
                                     started](apiserver::Response& r) {
    if (r.error) return fail(r.error->message);
    // Confirmed for the cache when the informer shows the pod bound.
    self->state.counters->scheduled.fetch_add(1, std::memory_order_relaxed);
    profile.metrics->scheduled(started);
    // Upstream's words; written after the bind, off the scheduling cycle.
    profile.recorder->record(*pod, "Normal", "Scheduled",
                             fmt::format("Successfully assigned {}/{} to {}",
                                         pod->metadata.namespace_, pod->metadata.name, node));
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
  auto* profile = profile_for(self, pod->spec.scheduler_name);
  if (!profile) {  // the pod changed to a scheduler we do not run
    st.queue->done(qp->key);
    return;
  }
  st.counters->attempts.fetch_add(1, std::memory_order_relaxed);
  const auto started = AttemptMetrics::start();
  auto state = std::make_shared<CycleState>();
  auto snapshot = st.cache.snapshot();
  auto result = profile->algorithm->schedule(*state, *pod, *snapshot);
  if (!result) {
    profile->metrics->unschedulable(started);
    record_failure(self, *profile, *pod, result.error().message());
    // After the failure's status write, so the nomination patch lands on top of it.
    if (auto& decided = result.error().post_filter)
      profile->preemption->execute(pod, *decided, st.nominator);
    st.queue->add_unschedulable(qp->key, t, result.error().unschedulable_plugins);
    return;
  }
  const auto& fw = profile->algorithm->framework();
  const std::string node = result->node;
  if (auto r = fw.run_reserve(*state, *pod, node); !r.ok()) {
    profile->metrics->error(started);
    st.queue->add_backoff(qp->key, t);
    return;
  }
  if (auto r = fw.run_permit(*state, *pod, node); !r.ok()) {
    profile->metrics->error(started);
    fw.run_unreserve(*state, *pod, node);
    st.queue->add_backoff(qp->key, t);
    return;
  }
  st.cache.assume(pod, node);
  st.nominator.remove(qp->key);
  bind(self, *profile, std::move(state), std::move(pod), node, started);
}

caf::behavior scheduler_actor(Self* self, actors::Context ctx, SchedulerOptions opts) {
  auto& st = self->state;
  st.ctx = ctx;
  st.counters = opts.counters ? opts.counters : std::make_shared<SchedulerCounters>();
  st.options = std::move(opts);
  auto configuration = st.options.configuration;
  if (!configuration) {
    auto c = std::make_shared<config::SchedulerConfiguration>(config::default_configuration());
    c->profiles.front().scheduler_name = st.options.scheduler_name;
    c->percentage_of_nodes_to_score = st.options.percentage_of_nodes_to_score;
    c->pod_initial_backoff = st.options.initial_backoff;
    c->pod_max_backoff = st.options.max_backoff;
    configuration = std::move(c);
  }
  st.queue = std::make_unique<SchedulingQueue>(QueueOptions{
      configuration->pod_initial_backoff, configuration->pod_max_backoff,
      st.options.max_unschedulable});
  std::vector<const Framework*> frameworks;
  for (auto& p : configuration->profiles) {
    ProfileRuntime rt;
    // The default profile keeps the stream it always had; others draw their own.
    auto stream = p.scheduler_name == st.options.scheduler_name
                      ? std::string("scheduler")
                      : "scheduler/" + p.scheduler_name;
    rt.algorithm = std::make_unique<Algorithm>(
        p.plugins, AlgorithmOptions{configuration->percentage_for(p)}, ctx.random(stream));
    rt.recorder = std::make_unique<client::EventRecorder>(self, *ctx.apiserver, *ctx.clock,
                                                          p.scheduler_name);
    rt.metrics = std::make_unique<AttemptMetrics>(p.scheduler_name);
    frameworks.push_back(&rt.algorithm->framework());
    st.profiles.emplace(p.scheduler_name, std::move(rt));
  }
  st.queue->set_event_registry(event_registry(frameworks));
  st.client = std::make_unique<client::AsyncClient>(self, *ctx.apiserver);
  for (auto& [name, rt] : st.profiles) {
    rt.preemption =
        std::make_unique<PreemptionExecutor>(*st.client, *rt.recorder, *ctx.clock, name);
    rt.algorithm->set_nominator(&st.nominator);
  }
  st.nodes = ctx.informers->get(api::Node::static_type());
  st.pods = ctx.informers->get(api::Pod::static_type());
  st.namespaces = ctx.informers->get(api::Namespace::static_type());
  st.pdbs = ctx.informers->get(api::PodDisruptionBudget::static_type());
  auto me = caf::actor_cast<caf::actor>(self);
  self->send(st.nodes.actor, client::subscribe_atom::value, me);
  self->send(st.pods.actor, client::subscribe_atom::value, me);
  self->send(st.namespaces.actor, client::subscribe_atom::value, me);
  self->send(st.pdbs.actor, client::subscribe_atom::value, me);
  for (auto* type : {&api::Service::static_type(), &api::ReplicationController::static_type(),
                     &api::ReplicaSet::static_type()}) {
    st.workloads.push_back(ctx.informers->get(*type));
    self->send(st.workloads.back().actor, client::subscribe_atom::value, me);
  }
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
          else
            on_workload_event(self, ev);
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
