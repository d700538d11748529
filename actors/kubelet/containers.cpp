// Containers through the runtime: starting them, what their exits mean under the pod's
// restart policy (CrashLoopBackOff), and stopping them when their pod is deleted.
#include <caf/all.hpp>

#include "actors/common/timers.hpp"
#include "actors/kubelet/kubelet_state.hpp"

namespace kactor::kubelet {

namespace {

/// What the runtime needs to start container `c` of the worker's pod.
ContainerConfig config_of(const PodWorker& w, const ContainerRec& c) {
  const auto& pod = *w.pod;
  const auto& spec = pod.spec.containers.at(c.spec_index);
  ContainerConfig config;
  config.pod_uid = w.uid;
  config.pod_namespace = pod.metadata.namespace_;
  config.pod_name = pod.metadata.name;
  config.pod_ip = w.ip;
  config.host_network = pod.spec.host_network;
  config.labels = pod.metadata.labels;
  config.annotations = pod.metadata.annotations;
  config.container_name = c.name;
  config.attempt = c.restart_count;
  config.image = spec.image;
  config.image_pull_policy = spec.image_pull_policy;
  config.command = spec.command;
  config.args = spec.args;
  config.working_dir = spec.working_dir;
  config.env = spec.env;
  config.ports = spec.ports;
  config.resources = spec.resources;
  return config;
}

}  // namespace

void start_container(Self* self, PodWorker& w, size_t index) {
  auto& st = self->state;
  auto& c = w.containers[index];
  c.phase = ContainerRec::Phase::creating;
  auto id = st.runtime->start_container(config_of(w, c));
  if (!id) {
    // Waiting (CreateContainerError) until the back-off is over, then tried again: a fault
    // passes, a bad spec keeps failing.
    c.error = id.error().message;
    c.backoff = next_backoff(c.backoff, Duration::zero());
    ++c.epoch;
    actors::send_later(clock_of(self), c.backoff, me(self), restart_atom::value, w.uid,
                       uint64_t{index}, c.epoch);
    return;
  }
  c.error.clear();
  c.id = *id;
  st.containers[c.id] = {w.uid, index};
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

void drop_containers(Self* self, PodWorker& w) {
  auto& st = self->state;
  for (auto& c : w.containers) {
    if (c.id.empty()) continue;
    st.containers.erase(c.id);
    st.runtime->stop_container(c.id, Duration::zero());
    st.runtime->forget(c.id);
  }
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
  if (w.terminating || c.epoch != epoch) return;
  if (c.phase == ContainerRec::Phase::backoff) {
    ++c.restart_count;
  } else if (c.phase != ContainerRec::Phase::creating || !c.id.empty()) {
    return;  // not waiting for a retry of a failed start either
  }
  start_container(self, w, index);
  push_status(self, uid);
}

}  // namespace kactor::kubelet
