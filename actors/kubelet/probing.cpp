// Probes on the clock: when a container runs, its startup probe, then its readiness and
// liveness probes, every periodSeconds from initialDelaySeconds after its start, through the
// runtime's Prober; results counted against the thresholds (ProbeTracker); a failed
// liveness or startup probe kills the container, to be restarted by its restart policy.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <mutex>

#include <caf/all.hpp>

#include "actors/common/timers.hpp"
#include "actors/kubelet/container_events.hpp"
#include "actors/kubelet/kubelet_state.hpp"

namespace kactor::kubelet {
namespace {

/// The probe's name as upstream's events print it ("Liveness probe failed: ...").
std::string capitalized(ProbeType type) {
  std::string name = to_string(type);
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

Duration period_of(const api::Probe& probe) {
  return std::chrono::seconds(probe.period_seconds > 0 ? probe.period_seconds : 10);
}

/// The probe of `type` due at `due`: a message at once if it is due already (the clock may
/// have moved past it while the kubelet was busy, or a virtual clock may stand still),
/// else on the clock.
void schedule_probe(Self* self, const std::string& uid, uint64_t index, ProbeType type,
                    uint64_t round, TimePoint due) {
  auto now = clock_of(self).now();
  auto at = static_cast<int64_t>(due.time_since_epoch().count());
  if (due <= now)
    self->send(self, probe_tick_atom::value, uid, index, static_cast<uint64_t>(type), round, at);
  else
    actors::send_later(clock_of(self), due - now, me(self), probe_tick_atom::value, uid, index,
                       static_cast<uint64_t>(type), round, at);
}

/// The first probe of `type`: initialDelaySeconds after the container started, or now.
void schedule_first(Self* self, const PodWorker& w, size_t index, ProbeType type) {
  const auto& c = w.containers[index];
  const auto* probe = probe_of(spec_of(*w.pod, c), type);
  if (!probe) return;
  auto due = std::max(clock_of(self).now(),
                      c.started_at + std::chrono::seconds(probe->initial_delay_seconds));
  schedule_probe(self, w.uid, index, type, c.probe_round, due);
}

/// Readiness and liveness probes run once the container has started (startup probe passed).
void schedule_after_startup(Self* self, const PodWorker& w, size_t index) {
  schedule_first(self, w, index, ProbeType::readiness);
  schedule_first(self, w, index, ProbeType::liveness);
}

/// Stops a container that failed its liveness or startup probe; its exit restarts it unless
/// its restart policy is Never (containers.cpp).
void kill_for_probe(Self* self, PodWorker& w, size_t index, ProbeType type,
                    const std::string& why) {
  auto& st = self->state;
  auto& c = w.containers[index];
  const auto& pod = *w.pod;
  const auto* probe = probe_of(spec_of(pod, c), type);
  int64_t grace = probe && probe->termination_grace_period_seconds
                      ? *probe->termination_grace_period_seconds
                      : pod.spec.termination_grace_period_seconds.value_or(30);
  bool restart = restart_policy_of(pod, c) != "Never";
  st.log->info("pod {}: container {} failed {} probe ({}){}", w.key, c.name, to_string(type), why,
               restart ? ", will be restarted" : "");
  record_container_event(self, w, c, "Normal", event_reason::kKilling,
                         fmt::format("Container {} failed {} probe{}", c.name, to_string(type),
                                     restart ? ", will be restarted" : ""));
  c.killed_by = type;
  ++c.probe_round;  // no more probes of this run
  st.runtime->stop_container(c.id, std::chrono::seconds(grace));
}

}  // namespace

void start_probing(Self* self, PodWorker& w, size_t index) {
  resume_probing(self, w, index, false, false);
}

void resume_probing(Self* self, PodWorker& w, size_t index, bool started, bool ready) {
  auto& c = w.containers[index];
  ++c.probe_round;
  c.readiness.reset(ready ? ProbeTracker::Result::success : ProbeTracker::Result::failure);
  c.liveness.reset(ProbeTracker::Result::success);
  bool has_startup = probe_of(spec_of(*w.pod, c), ProbeType::startup) != nullptr;
  if (has_startup && !started) {
    c.startup.reset(ProbeTracker::Result::unknown);
    return schedule_first(self, w, index, ProbeType::startup);
  }
  // No startup probe, or one it passed under the previous kubelet (not run again).
  c.startup.reset(has_startup ? ProbeTracker::Result::success : ProbeTracker::Result::unknown);
  schedule_after_startup(self, w, index);
}

void on_probe_tick(Self* self, const std::string& uid, uint64_t index, ProbeType type,
                   uint64_t round, TimePoint due) {
  auto& st = self->state;
  auto it = st.workers.find(uid);
  if (it == st.workers.end() || index >= it->second.containers.size()) return;
  auto& w = it->second;
  auto& c = w.containers[index];
  if (c.phase != ContainerRec::Phase::running || c.probe_round != round) return;
  if (type == ProbeType::startup && c.startup.result == ProbeTracker::Result::success) return;
  const auto& spec = spec_of(*w.pod, c);
  const auto* probe = probe_of(spec, type);
  if (!probe) return;
  // Every period from the first probe, however late this one was handled.
  schedule_probe(self, uid, index, type, round, due + period_of(*probe));

  // A prober may answer inside probe() (the simulated one does: the result is applied at
  // once) or later from another thread (into the mailbox, as probe_result_atom).
  struct Answer {
    std::mutex mutex;
    bool returned = false;
    std::optional<ProbeResult> early;
  };
  auto answer = std::make_shared<Answer>();
  auto weak = caf::actor_cast<caf::weak_actor_ptr>(me(self));
  ProbeTarget target{type, w.pod, &spec, probe, c.id, w.ip};
  st.runtime->prober().probe(target, [answer, weak, uid, index, type, round](ProbeResult r) {
    {
      std::lock_guard lock(answer->mutex);
      if (!answer->returned) {
        answer->early = std::move(r);
        return;
      }
    }
    if (auto target = caf::actor_cast<caf::actor>(weak.lock()))
      caf::anon_send(target, probe_result_atom::value, uid, index, static_cast<uint64_t>(type),
                     round, r.success, std::move(r.message));
  });
  std::optional<ProbeResult> early;
  {
    std::lock_guard lock(answer->mutex);
    answer->returned = true;
    early = std::move(answer->early);
  }
  if (early) on_probe_result(self, uid, index, type, round, *early);
}

void on_probe_result(Self* self, const std::string& uid, uint64_t index, ProbeType type,
                     uint64_t round, const ProbeResult& result) {
  auto& st = self->state;
  auto it = st.workers.find(uid);
  if (it == st.workers.end() || index >= it->second.containers.size()) return;
  auto& w = it->second;
  auto& c = w.containers[index];
  if (c.phase != ContainerRec::Phase::running || c.probe_round != round) return;
  const auto* probe = probe_of(spec_of(*w.pod, c), type);
  if (!probe) return;
  auto& tracker = type == ProbeType::readiness  ? c.readiness
                  : type == ProbeType::liveness ? c.liveness
                                                : c.startup;
  // Every failed probe, as upstream's prober reports it (the correlator counts repeats).
  if (!result.success)
    record_container_event(self, w, c, "Warning", event_reason::kUnhealthy,
                           fmt::format("{} probe failed: {}", capitalized(type), result.message));
  if (!tracker.record(result.success, *probe)) return;
  bool failed = tracker.result == ProbeTracker::Result::failure;
  switch (type) {
    case ProbeType::readiness:
      break;
    case ProbeType::liveness:
      if (failed) kill_for_probe(self, w, index, type, result.message);
      break;
    case ProbeType::startup:
      if (failed) {
        kill_for_probe(self, w, index, type, result.message);
        break;
      }
      schedule_after_startup(self, w, index);
      on_container_started(self, w, index);  // a sidecar lets the next init container run
      break;
  }
  push_status(self, uid);
}

}  // namespace kactor::kubelet
