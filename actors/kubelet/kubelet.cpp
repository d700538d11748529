#include "actors/kubelet/kubelet.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include <caf/all.hpp>

#include "actors/client/async_client.hpp"
#include "actors/client/informer.hpp"
#include "actors/client/messages.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/common/timers.hpp"
#include "actors/kubelet/node_status.hpp"
#include "actors/kubelet/pod_ips.hpp"
#include "actors/kubelet/pod_worker.hpp"
#include "api/resource_version.hpp"
#include "api/types/coordination.hpp"
#include "api/types/pod.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::kubelet {
namespace {

using lease_tick_atom = caf::atom_constant<caf::atom("kl_lease")>;
using status_tick_atom = caf::atom_constant<caf::atom("kl_nstat")>;
using register_atom = caf::atom_constant<caf::atom("kl_reg")>;
using restart_atom = caf::atom_constant<caf::atom("kl_restart")>;
using pod_sync_atom = caf::atom_constant<caf::atom("kl_psync")>;

using PodPtr = std::shared_ptr<const api::Pod>;
using NodePtr = std::shared_ptr<const api::Node>;

struct State {
  actors::Context ctx;
  KubeletOptions opts;
  std::unique_ptr<client::AsyncClient> client;
  std::unique_ptr<ContainerRuntime> runtime;
  std::string node_ip;
  std::string machine_id;
  bool registered = false;
  bool node_status_in_flight = false;
  /// The Ready condition changed while a status update was in flight: post again after it.
  bool node_status_dirty = false;
  /// What the last status posted said of the pod network (Ready follows it).
  bool reported_network_ready = false;
  bool lease_exists = false;
  bool lease_in_flight = false;
  TimePoint next_lease_due{};
  TimePoint next_status_due{};
  NodePtr node;  // the newest version seen
  client::Informer pods;
  client::Informer nodes;
  PodIpAllocator ips;
  std::map<std::string, PodWorker> workers;  // by pod uid
  /// Live runtime containers: id -> (pod uid, container index).
  std::map<std::string, std::pair<std::string, size_t>> containers;
  std::shared_ptr<spdlog::logger> log;
};
using Self = caf::stateful_actor<State>;

caf::actor me(Self* self) {
  return caf::actor_cast<caf::actor>(self);
}

Clock& clock_of(Self* self) {
  return *self->state.ctx.clock;
}

void push_status(Self* self, const std::string& uid);
void sync_pod(Self* self, const PodPtr& pod);
void post_node_status(Self* self, const api::Node& current, bool first);

// -- node registration and heartbeats -------------------------------------------------

void retry_registration(Self* self, const std::string& why) {
  auto& st = self->state;
  st.log->warn("node {}: registration failed: {}", st.opts.node_name, why);
  actors::send_later(clock_of(self), st.opts.retry_delay, me(self), register_atom::value);
}

/// Pods that already carry a podIP from our range (written before this kubelet restarted)
/// keep it: claimed before any new pod is given the lowest free address.
void claim_previous_ips(Self* self, const std::vector<PodPtr>& pods) {
  auto& st = self->state;
  if (!st.ips.has_cidr()) return;
  for (const auto& pod : pods) {
    if (pod->spec.host_network || pod->status.pod_ip.empty()) continue;
    if (st.workers.count(pod->metadata.uid) || pod->metadata.deletion_timestamp) continue;
    if (!st.ips.claim(pod->metadata.uid, pod->status.pod_ip))
      st.log->warn("pod {}: its address {} is taken or outside {}; it gets a new one",
                   api::object_key(*pod), pod->status.pod_ip, st.ips.cidr());
  }
}

/// The pod network became ready (the node got its pod CIDR): report Ready now rather than
/// at the next heartbeat.
void report_network_ready(Self* self) {
  auto& st = self->state;
  if (!st.registered || !st.ips.has_cidr() || st.reported_network_ready || !st.node) return;
  if (st.node_status_in_flight)
    st.node_status_dirty = true;
  else
    post_node_status(self, *st.node, false);
}

/// A newer Node arrived (informer or our own write): adopt its pod CIDR once.
void on_node(Self* self, const NodePtr& node) {
  auto& st = self->state;
  if (!node || node->metadata.name != st.opts.node_name) return;
  if (!st.node || api::is_newer_version(node->metadata.resource_version, st.node->metadata.resource_version))
    st.node = node;
  if (st.ips.has_cidr() || st.node->spec.pod_cidr.empty()) return;
  if (auto ok = st.ips.set_cidr(st.node->spec.pod_cidr); !ok) {
    st.log->error("node {}: {}", st.opts.node_name, ok.error().message);
    return;
  }
  report_network_ready(self);
  // Pods that waited for addresses can start now; those that had one keep it.
  std::vector<PodPtr> waiting;
  for (const auto& obj : st.pods.cache->list())
    if (auto pod = api::as<api::Pod>(obj)) waiting.push_back(pod);
  claim_previous_ips(self, waiting);
  for (const auto& pod : waiting) sync_pod(self, pod);
}

void renew_lease(Self* self);

void post_node_status(Self* self, const api::Node& current, bool first) {
  auto& st = self->state;
  api::Node node = current;
  bool network_ready = st.ips.has_cidr() || !current.spec.pod_cidr.empty();
  st.reported_network_ready = network_ready;
  node.status = build_node_status(st.opts, st.node_ip, st.machine_id, current.status,
                                  clock_of(self).now(), network_ready);
  node.metadata.resource_version.clear();  // the status is ours alone: no precondition
  st.node_status_in_flight = true;
  st.client->update_status<api::Node>(node, [self, first](api::Result<NodePtr> r) {
    auto& st = self->state;
    st.node_status_in_flight = false;
    if (st.node_status_dirty && r) {
      st.node_status_dirty = false;
      post_node_status(self, **r, false);
    }
    if (!r) {
      if (first) return retry_registration(self, r.error().message);
      st.log->warn("node {}: status update failed: {}", st.opts.node_name, r.error().message);
      return;
    }
    on_node(self, *r);
    if (first) {
      st.registered = true;
      st.log->debug("node {} registered", st.opts.node_name);
      renew_lease(self);
      report_network_ready(self);  // the CIDR may have come with this very answer
    }
  });
}

void register_node(Self* self) {
  auto& st = self->state;
  st.client->get<api::Node>("", st.opts.node_name, [self](api::Result<NodePtr> r) {
    auto& st = self->state;
    if (!r && api::is_not_found(r.error())) {
      api::Node node;
      node.metadata.name = st.opts.node_name;
      apply_node_spec(node, st.opts);
      node.status =
          build_node_status(st.opts, st.node_ip, st.machine_id, {}, clock_of(self).now(), false);
      st.client->create<api::Node>(node, [self](api::Result<NodePtr> r) {
        if (!r) return retry_registration(self, r.error().message);
        post_node_status(self, **r, true);
      });
      return;
    }
    if (!r) return retry_registration(self, r.error().message);
    // Take over an existing Node (a restarted kubelet, or one registered by hand).
    api::Node node = **r;
    apply_node_spec(node, st.opts);
    node.metadata.resource_version.clear();
    st.client->update<api::Node>(node, [self](api::Result<NodePtr> r) {
      if (!r) return retry_registration(self, r.error().message);
      post_node_status(self, **r, true);
    });
  });
}

void renew_lease(Self* self) {
  auto& st = self->state;
  if (!st.registered || st.lease_in_flight) return;
  auto now = clock_of(self).now();
  auto lease = build_lease(st.opts, st.node ? st.node->metadata.uid : "", now);
  st.lease_in_flight = true;
  auto done = [self](api::Result<std::shared_ptr<const api::Lease>> r) {
    auto& st = self->state;
    st.lease_in_flight = false;
    if (r) {
      st.lease_exists = true;
      return;
    }
    // NotFound: someone deleted it, create it again; AlreadyExists: update it.
    const auto& e = r.error();
    if (api::is_not_found(e))
      st.lease_exists = false;
    else if (api::is_already_exists(e))
      st.lease_exists = true;
    else if (!api::is_conflict(e))
      st.log->warn("node {}: lease renewal failed: {}", st.opts.node_name, e.message);
    if (api::is_not_found(e) || api::is_already_exists(e) || api::is_conflict(e))
      renew_lease(self);
  };
  if (st.lease_exists) {
    st.client->update<api::Lease>(lease, done);
  } else {
    lease.spec.acquire_time = api::MicroTime{now};
    st.client->create<api::Lease>(lease, done);
  }
}

/// Schedules the next tick of a period at `due`, then advances `due` (no drift when the
/// tick is handled late).
template <class Atom>
void schedule_tick(Self* self, TimePoint& due, Duration period, Atom atom) {
  due += period;
  actors::send_later(clock_of(self), due - clock_of(self).now(), me(self), atom);
}

// -- containers ---------------------------------------------------------------------------

void start_container(Self* self, PodWorker& w, size_t index) {
  auto& st = self->state;
  auto& c = w.containers[index];
  ContainerConfig config{w.uid,   w.pod->metadata.namespace_, w.pod->metadata.name, c.name,
                         c.image, w.pod->metadata.annotations};
  c.phase = ContainerRec::Phase::creating;
  auto id = st.runtime->start_container(config);
  if (!id) {
    c.error = id.error().message;  // stays waiting: the pod's spec must change
    return;
  }
  c.error.clear();
  c.id = *id;
  st.containers[c.id] = {w.uid, index};
}

/// Every container has stopped: the pod can go (grace 0, only this very pod).
void maybe_finish(Self* self, PodWorker& w) {
  auto& st = self->state;
  if (!w.terminating || w.delete_sent) return;
  for (const auto& c : w.containers)
    if (c.live()) return;
  w.delete_sent = true;
  client::DeleteOptions opts;
  opts.grace_period_seconds = 0;
  opts.precondition_uid = w.uid;
  st.client->remove<api::Pod>(w.pod->metadata.namespace_, w.pod->metadata.name, opts,
                              [self, uid = w.uid](api::Result<PodPtr> r) {
                                auto& st = self->state;
                                if (r || api::is_not_found(r.error()) || api::is_conflict(r.error()))
                                  return;  // gone (or replaced)
                                auto it = st.workers.find(uid);
                                if (it == st.workers.end()) return;
                                st.log->warn("pod {}: delete failed: {}", it->second.key,
                                             r.error().message);
                                it->second.delete_sent = false;
                                actors::send_later(clock_of(self), st.opts.retry_delay, me(self),
                                                   pod_sync_atom::value, uid);
                              });
}

void begin_termination(Self* self, PodWorker& w) {
  auto& st = self->state;
  w.terminating = true;
  const auto& pod = *w.pod;
  int64_t grace = pod.metadata.deletion_grace_period_seconds.value_or(
      pod.spec.termination_grace_period_seconds.value_or(30));
  for (auto& c : w.containers) {
    if (c.live() && !c.id.empty()) {
      st.runtime->stop_container(c.id, std::chrono::seconds(grace));
    } else {
      c.phase = ContainerRec::Phase::terminated;
      ++c.epoch;  // cancels a pending restart
    }
  }
  maybe_finish(self, w);
}

void on_runtime_event(Self* self, const RuntimeEvent& ev) {
  auto& st = self->state;
  auto found = st.containers.find(ev.container_id);
  if (found == st.containers.end()) {
    if (ev.type == RuntimeEvent::Type::exited) st.runtime->forget(ev.container_id);
    return;
  }
  auto [uid, index] = found->second;
  auto& w = st.workers.at(uid);
  auto& c = w.containers.at(index);
  if (ev.type == RuntimeEvent::Type::started) {
    if (c.phase != ContainerRec::Phase::creating) return;
    c.phase = ContainerRec::Phase::running;
    c.started_at = ev.at;
    c.ever_started = true;
    if (c.readiness_probe && c.readiness_probe->initial_delay_seconds > 0) {
      // The simulated probe passes once the initial delay is over: report it then.
      auto due = ev.at + std::chrono::seconds(c.readiness_probe->initial_delay_seconds);
      actors::send_later(clock_of(self), due - clock_of(self).now(), me(self), pod_sync_atom::value,
                         uid);
    }
    return push_status(self, uid);
  }

  // Exited.
  api::ContainerStateTerminated t;
  t.exit_code = ev.exit_code;
  t.reason = ev.reason.empty() ? (ev.exit_code == 0 ? "Completed" : "Error") : ev.reason;
  bool ran = c.phase == ContainerRec::Phase::running;
  t.started_at = api::Time{ran ? c.started_at : ev.at};
  t.finished_at = api::Time{ev.at};
  t.container_id = c.id;
  c.previous = std::move(c.terminated);
  c.terminated = t;
  st.containers.erase(found);
  st.runtime->forget(c.id);
  c.id.clear();
  if (w.terminating) {
    c.phase = ContainerRec::Phase::terminated;
    push_status(self, uid);
    return maybe_finish(self, w);
  }
  if (!restarts_after(w.pod->spec.restart_policy, ev.exit_code)) {
    c.phase = ContainerRec::Phase::terminated;
    return push_status(self, uid);
  }
  c.backoff = next_backoff(c.backoff, ran ? ev.at - c.started_at : Duration::zero());
  c.phase = ContainerRec::Phase::backoff;
  ++c.epoch;
  auto due = ev.at + c.backoff;
  actors::send_later(clock_of(self), due - clock_of(self).now(), me(self), restart_atom::value, uid,
                     uint64_t{index}, c.epoch);
  push_status(self, uid);
}

void on_restart(Self* self, const std::string& uid, uint64_t index, uint64_t epoch) {
  auto& st = self->state;
  auto it = st.workers.find(uid);
  if (it == st.workers.end() || index >= it->second.containers.size()) return;
  auto& w = it->second;
  auto& c = w.containers[index];
  if (w.terminating || c.phase != ContainerRec::Phase::backoff || c.epoch != epoch) return;
  ++c.restart_count;
  start_container(self, w, index);
  push_status(self, uid);
}

// -- pods ---------------------------------------------------------------------------------

void push_status(Self* self, const std::string& uid) {
  auto& st = self->state;
  auto it = st.workers.find(uid);
  if (it == st.workers.end()) return;
  auto& w = it->second;
  if (w.status_in_flight) {
    w.status_dirty = true;
    return;
  }
  auto status = build_pod_status(w, st.node_ip, clock_of(self).now());
  if (api::is_terminal_phase(status.phase)) w.final_phase = status.phase;
  if (status == w.pod->status) return;
  api::Pod pod = *w.pod;
  pod.status = std::move(status);
  pod.metadata.resource_version.clear();  // the kubelet owns pod status: no precondition
  w.status_in_flight = true;
  st.client->update_status<api::Pod>(pod, [self, uid](api::Result<PodPtr> r) {
    auto& st = self->state;
    auto it = st.workers.find(uid);
    if (it == st.workers.end()) return;
    auto& w = it->second;
    w.status_in_flight = false;
    if (r) {
      if ((*r)->metadata.uid == uid &&
          api::is_newer_version((*r)->metadata.resource_version, w.pod->metadata.resource_version))
        w.pod = *r;
    } else if (!api::is_not_found(r.error())) {
      st.log->warn("pod {}: status update failed: {}", w.key, r.error().message);
      actors::send_later(clock_of(self), st.opts.retry_delay, me(self), pod_sync_atom::value, uid);
    }
    if (w.status_dirty) {
      w.status_dirty = false;
      push_status(self, uid);
    }
  });
}

void sync_pod(Self* self, const PodPtr& pod) {
  auto& st = self->state;
  const auto& uid = pod->metadata.uid;
  auto it = st.workers.find(uid);
  if (it == st.workers.end()) {
    bool finished = api::is_terminal(*pod);
    if (pod->metadata.deletion_timestamp) {
      // Nothing of it runs here: it can go at once.
      PodWorker w;
      w.uid = uid;
      w.key = api::object_key(*pod);
      w.pod = pod;
      w.terminating = true;
      w.final_phase = finished ? pod->status.phase : "";
      auto& placed = st.workers.emplace(uid, std::move(w)).first->second;
      return maybe_finish(self, placed);
    }
    if (finished) return;  // ran to completion before (e.g. under an earlier kubelet)
    if (!pod->spec.host_network && !st.ips.has_cidr()) return;  // on_node() resumes it
    PodWorker w;
    w.uid = uid;
    w.key = api::object_key(*pod);
    w.pod = pod;
    // A pod this node started before a restart keeps its start time.
    w.start_time =
        pod->status.start_time.is_set() ? pod->status.start_time.value : clock_of(self).now();
    if (pod->spec.host_network) {
      w.ip = st.node_ip;
    } else {
      auto ip = st.ips.allocate(uid);
      if (!ip) {
        st.log->error("pod {}: no free address in {}", w.key, st.ips.cidr());
        return;
      }
      w.ip = *ip;
    }
    std::vector<bool> to_start;
    for (const auto& spec : pod->spec.containers) {
      ContainerRec c;
      c.name = spec.name;
      c.image = spec.image;
      c.readiness_probe = spec.readiness_probe;
      bool start = true;
      // The pod ran here before this kubelet restarted: carry its containers' history on.
      for (const auto& before : pod->status.container_statuses)
        if (before.name == spec.name)
          start = resume_container(c, before, pod->spec.restart_policy, clock_of(self).now());
      to_start.push_back(start);
      w.containers.push_back(std::move(c));
    }
    auto& placed = st.workers.emplace(uid, std::move(w)).first->second;
    for (size_t i = 0; i < placed.containers.size(); ++i)
      if (to_start[i]) start_container(self, placed, i);
    it = st.workers.find(uid);
  } else if (api::is_newer_version(pod->metadata.resource_version, it->second.pod->metadata.resource_version)) {
    it->second.pod = pod;
  }
  auto& w = it->second;
  if (w.pod->metadata.deletion_timestamp && !w.terminating) begin_termination(self, w);
  push_status(self, uid);
}

/// The pod is gone from the API server: stop whatever still runs and free its address.
void remove_worker(Self* self, const std::string& uid) {
  auto& st = self->state;
  auto it = st.workers.find(uid);
  if (it == st.workers.end()) return;
  for (auto& c : it->second.containers) {
    if (c.id.empty()) continue;
    st.containers.erase(c.id);
    st.runtime->stop_container(c.id, Duration::zero());
    st.runtime->forget(c.id);
  }
  st.ips.release(uid);
  st.workers.erase(it);
}

void on_informer_events(Self* self, client::InformerEvents& batch) {
  std::vector<PodPtr> arriving;
  for (auto& ev : batch.events)
    if (auto pod = api::as<api::Pod>(ev.object);
        pod && ev.type != client::InformerEvent::Type::deleted)
      arriving.push_back(pod);
  claim_previous_ips(self, arriving);
  for (auto& ev : batch.events) {
    if (auto node = api::as<api::Node>(ev.object)) {
      if (ev.type != client::InformerEvent::Type::deleted) on_node(self, node);
      continue;
    }
    auto pod = api::as<api::Pod>(ev.object);
    if (!pod) continue;
    if (ev.type == client::InformerEvent::Type::deleted)
      remove_worker(self, pod->metadata.uid);
    else
      sync_pod(self, pod);
  }
}

KubeletState report(Self* self) {
  auto& st = self->state;
  KubeletState out;
  out.node_name = st.opts.node_name;
  out.registered = st.registered;
  out.pod_cidr = st.ips.cidr();
  out.ips = st.ips.in_use();
  auto now = clock_of(self).now();
  for (const auto& [uid, w] : st.workers) {
    PodReport p{w.key, uid, pod_phase(w), w.ip, w.terminating, {}};
    for (const auto& c : w.containers) {
      auto s = container_status(c, *w.pod, now);
      ContainerReport r;
      r.name = c.name;
      r.container_id = c.id;
      r.restart_count = c.restart_count;
      r.ready = s.ready;
      r.exit_code = c.terminated ? c.terminated->exit_code : 0;
      if (s.state.waiting) r.state = "Waiting", r.reason = s.state.waiting->reason;
      if (s.state.running) r.state = "Running";
      if (s.state.terminated) r.state = "Terminated", r.reason = s.state.terminated->reason;
      if (c.phase == ContainerRec::Phase::running) ++out.running_containers;
      p.containers.push_back(std::move(r));
    }
    out.pods.push_back(std::move(p));
  }
  std::sort(out.pods.begin(), out.pods.end(),
            [](const PodReport& a, const PodReport& b) { return a.key < b.key; });
  return out;
}

caf::behavior kubelet_actor(Self* self, actors::Context ctx, KubeletOptions opts) {
  auto& st = self->state;
  st.ctx = ctx;
  st.opts = std::move(opts);
  st.log = actors::logger("kubelet");
  st.client = std::make_unique<client::AsyncClient>(self, *ctx.apiserver);
  st.node_ip = node_address(st.opts);
  auto random = ctx.random("kubelet/" + st.opts.node_name);
  st.machine_id = random.uuid();
  auto weak = caf::actor_cast<caf::weak_actor_ptr>(me(self));
  RuntimeEventSink sink = [weak](RuntimeEvent ev) {
    if (auto target = caf::actor_cast<caf::actor>(weak.lock()))
      caf::anon_send(target, std::move(ev));
  };
  auto factory = st.opts.runtime ? st.opts.runtime : sim_runtime_factory(st.opts.sim);
  st.runtime = factory(*ctx.clock, std::move(sink));

  st.nodes =
      ctx.informers->get(api::Node::static_type(), "", "", "metadata.name=" + st.opts.node_name);
  st.pods =
      ctx.informers->get(api::Pod::static_type(), "", "", "spec.nodeName=" + st.opts.node_name);
  self->send(st.nodes.actor, client::subscribe_atom::value, me(self));
  self->send(st.pods.actor, client::subscribe_atom::value, me(self));

  auto now = ctx.clock->now();
  st.next_lease_due = now;
  st.next_status_due = now;
  schedule_tick(self, st.next_lease_due, st.opts.lease_interval, lease_tick_atom::value);
  schedule_tick(self, st.next_status_due, st.opts.node_status_interval, status_tick_atom::value);
  register_node(self);

  return actors::guarded(
      st.log,
      [self](client::InformerEvents& batch) { on_informer_events(self, batch); },
      [self](RuntimeEvent& ev) { on_runtime_event(self, ev); },
      [self](restart_atom, const std::string& uid, uint64_t index, uint64_t epoch) {
        on_restart(self, uid, index, epoch);
      },
      [self](pod_sync_atom, const std::string& uid) {
        auto& st = self->state;
        auto it = st.workers.find(uid);
        if (it == st.workers.end()) return;
        maybe_finish(self, it->second);
        push_status(self, uid);
      },
      [self](register_atom) { register_node(self); },
      [self](lease_tick_atom) {
        auto& st = self->state;
        schedule_tick(self, st.next_lease_due, st.opts.lease_interval, lease_tick_atom::value);
        renew_lease(self);
      },
      [self](status_tick_atom) {
        auto& st = self->state;
        schedule_tick(self, st.next_status_due, st.opts.node_status_interval,
                      status_tick_atom::value);
        if (st.registered && !st.node_status_in_flight && st.node)
          post_node_status(self, *st.node, false);
      },
      [self](kubelet_state_atom) { return report(self); },
      [self](kubelet_crash_atom) {
        self->state.log->info("node {}: kubelet stopped abruptly", self->state.opts.node_name);
        self->quit(caf::exit_reason::user_shutdown);
      });
}

}  // namespace

caf::actor spawn_kubelet(const actors::Context& ctx, KubeletOptions opts) {
  return ctx.system->spawn(kubelet_actor, ctx, std::move(opts));
}

}  // namespace kactor::kubelet
