// Containers through the runtime: init containers one after the other, then the app
// containers; what an exit means under the restart policy (CrashLoopBackOff); stopping a
// pod's containers when it is deleted or its work is done, sidecars last, in reverse order.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/common/timers.hpp"
#include "actors/kubelet/container_events.hpp"
#include "actors/kubelet/image_catalog.hpp"
#include "actors/kubelet/kubelet_state.hpp"
#include "actors/kubelet/pod_status.hpp"
#include "api/util/go_format.hpp"

namespace kactor::kubelet {
namespace {

/// Sidecars stopped after the grace period is spent still get this long (upstream's
/// minimum grace period).
constexpr Duration kMinimumSidecarGrace = std::chrono::seconds(2);

/// What the runtime needs to start container `c` of the worker's pod.
ContainerConfig config_of(const PodWorker& w, const ContainerRec& c) {
  const auto& pod = *w.pod;
  const auto& spec = spec_of(pod, c);
  ContainerConfig config;
  config.pod_uid = w.uid;
  config.pod_namespace = pod.metadata.namespace_;
  config.pod_name = pod.metadata.name;
  config.pod_ip = w.ip;
  config.host_network = pod.spec.host_network;
  config.labels = pod.metadata.labels;
  config.annotations = pod.metadata.annotations;
  config.container_name = c.name;
  config.role = c.role;
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

/// Asks the runtime to start container `index` of the pod.
void start_container(Self* self, PodWorker& w, size_t index) {
  auto& st = self->state;
  auto& c = w.containers[index];
  c.phase = ContainerRec::Phase::creating;
  record_image_events(self, w, c);
  auto id = st.runtime->start_container(config_of(w, c));
  if (!id) {
    c.pull_started.reset();
    // Waiting (CreateContainerError) until the back-off is over, then tried again: a fault
    // passes, a bad spec keeps failing.
    c.error = id.error().message;
    c.backoff = next_backoff(c.backoff, Duration::zero());
    ++c.epoch;
    c.pull_failed = id.error().reason == kErrImagePull;
    c.pull_backing_off = false;
    if (c.pull_failed) {
      // ErrImagePull now; ImagePullBackOff from the pod worker's next look, which we put
      // half-way through the back-off (upstream's comes with its next sync of the pod).
      auto show_after = c.backoff / 2;
      c.pull_backoff_at = clock_of(self).now() + show_after;
      const auto& image = spec_of(*w.pod, c).image;
      record_container_event(self, w, c, "Warning", event_reason::kFailed,
                             "Failed to pull image " + api::util::go_quote(image) + ": " + c.error);
      record_container_event(self, w, c, "Warning", event_reason::kFailed,
                             fmt::format("Error: {}", kErrImagePull));
      actors::send_later(clock_of(self), show_after, me(self), pod_sync_atom::value, w.uid);
    } else {
      record_container_event(self, w, c, "Warning", event_reason::kFailed, "Error: " + c.error);
    }
    actors::send_later(clock_of(self), c.backoff, me(self), restart_atom::value, w.uid,
                       uint64_t{index}, c.epoch);
    return;
  }
  c.error.clear();
  c.pull_failed = c.pull_backing_off = false;
  c.id = *id;
  st.containers[c.id] = {w.uid, index};
}

int64_t termination_grace_seconds(const api::Pod& pod) {
  return pod.metadata.deletion_grace_period_seconds.value_or(
      pod.spec.termination_grace_period_seconds.value_or(30));
}

/// The pod's containers stop, by `grace` from now at the latest: what runs is asked to stop
/// in its turn (stop_due); what waits to start or restart never will.
void begin_shutdown(Self* self, PodWorker& w, int64_t grace) {
  auto now = clock_of(self).now();
  auto deadline = now + std::chrono::seconds(grace);
  if (!w.stop_deadline || deadline < *w.stop_deadline) w.stop_deadline = deadline;
  bool sidecars_live = false;
  for (auto& c : w.containers) {
    if (c.live() && !c.id.empty()) {
      sidecars_live = sidecars_live || c.role == ContainerRole::sidecar;
      continue;
    }
    if (c.phase == ContainerRec::Phase::pending || c.phase == ContainerRec::Phase::terminated)
      continue;
    c.phase = ContainerRec::Phase::terminated;
    ++c.epoch;  // cancels a pending restart or retry
  }
  // The sidecars' turn comes when the others have exited, or at the deadline.
  if (sidecars_live)
    actors::send_later(clock_of(self), *w.stop_deadline - now, me(self), pod_sync_atom::value,
                       w.uid);
  stop_due(self, w);
}

}  // namespace

void start_due(Self* self, PodWorker& w) {
  if (w.stop_deadline) return;
  if (!w.initialized && init_done(w)) w.initialized = true;
  if (regular_containers_done(w)) {
    // Its work is done (or failed for good): the sidecars go, and the pod turns terminal.
    return begin_shutdown(self, w, w.pod->spec.termination_grace_period_seconds.value_or(30));
  }
  for (auto i : due_to_start(w)) start_container(self, w, i);
}

void on_container_started(Self* self, PodWorker& w, size_t index) {
  auto& c = w.containers[index];
  if (c.role == ContainerRole::sidecar) c.started_once = true;
  start_due(self, w);
}

void stop_due(Self* self, PodWorker& w) {
  auto& st = self->state;
  if (!w.stop_deadline) return;
  auto now = clock_of(self).now();
  auto left = std::max(*w.stop_deadline - now, Duration::zero());
  for (auto i : due_to_stop(w, now)) {
    auto& c = w.containers[i];
    c.stopping = true;
    record_container_event(self, w, c, "Normal", event_reason::kKilling,
                           "Stopping container " + c.name);
    auto grace = c.role == ContainerRole::sidecar ? std::max(left, kMinimumSidecarGrace) : left;
    st.runtime->stop_container(c.id, grace);
  }
}

void begin_termination(Self* self, PodWorker& w) {
  w.terminating = true;
  begin_shutdown(self, w, termination_grace_seconds(*w.pod));
  maybe_finish(self, w);
}

void kill_pod(Self* self, PodWorker& w, Duration grace) {
  begin_shutdown(self, w, std::chrono::duration_cast<std::chrono::seconds>(grace).count());
  push_status(self, w.uid);
}

void drop_containers(Self* self, PodWorker& w) {
  auto& st = self->state;
  for (auto& c : w.containers) {
    if (c.id.empty()) continue;
    st.containers.erase(c.id);
    st.runtime->stop_container(c.id, Duration::zero());
    end_log_followers(self, c.id);
    st.runtime->forget(c.id);
  }
  st.runtime->forget_logs(w.uid);
}

void on_runtime_event(Self* self, const RuntimeEvent& ev) {
  auto& st = self->state;
  if (ev.type == RuntimeEvent::Type::logged) return on_log_written(self, ev.container_id);
  auto found = st.containers.find(ev.container_id);
  if (found == st.containers.end()) {
    if (ev.type == RuntimeEvent::Type::exited) {
      end_log_followers(self, ev.container_id);
      st.runtime->forget(ev.container_id);
    }
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
    record_started_events(self, w, c, ev.at);
    start_probing(self, w, index);
    if (container_started(c, *w.pod)) on_container_started(self, w, index);
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
  end_log_followers(self, c.id);
  st.runtime->forget(c.id);
  c.id.clear();
  ++c.probe_round;  // its probes end with it
  c.stopping = false;
  auto killed_by = std::exchange(c.killed_by, std::nullopt);
  if (w.stop_deadline) {  // the pod is stopping: nothing restarts
    c.phase = ContainerRec::Phase::terminated;
    stop_due(self, w);
    push_status(self, uid);
    return maybe_finish(self, w);
  }
  auto policy = restart_policy_of(*w.pod, c);
  // Killed for failing a probe: restarted whatever its exit code, unless the policy is Never.
  bool restart = killed_by ? policy != "Never" : restarts_after(policy, ev.exit_code);
  if (!restart) {
    c.phase = ContainerRec::Phase::terminated;
    start_due(self, w);  // the next init container, or the pod's end
    return push_status(self, uid);
  }
  c.backoff = next_backoff(c.backoff, ran ? ev.at - c.started_at : Duration::zero());
  c.phase = ContainerRec::Phase::backoff;
  const auto& pod = *w.pod;
  record_container_event(self, w, c, "Warning", event_reason::kBackOff,
                         fmt::format("Back-off restarting failed container {} in pod {}_{}({})",
                                     c.name, pod.metadata.name, pod.metadata.namespace_, w.uid));
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
  if (w.stop_deadline || c.epoch != epoch) return;
  if (c.phase == ContainerRec::Phase::backoff) {
    ++c.restart_count;
  } else if (c.phase != ContainerRec::Phase::creating || !c.id.empty()) {
    return;  // not waiting for a retry of a failed start either
  }
  start_container(self, w, index);
  push_status(self, uid);
}

}  // namespace kactor::kubelet
