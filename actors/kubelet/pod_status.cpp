#include "actors/kubelet/pod_status.hpp"

#include <algorithm>

#include "actors/kubelet/image_catalog.hpp"
#include "actors/kubelet/sim_annotations.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::kubelet {

bool container_started(const ContainerRec& c, const api::Pod& pod) {
  if (c.phase != ContainerRec::Phase::running) return false;
  return !probe_of(spec_of(pod, c), ProbeType::startup) ||
         c.startup.result == ProbeTracker::Result::success;
}

bool container_ready(const ContainerRec& c, const api::Pod& pod) {
  if (c.role == ContainerRole::init)
    return c.phase == ContainerRec::Phase::terminated && c.terminated &&
           c.terminated->exit_code == 0;
  if (!container_started(c, pod)) return false;
  if (auto it = pod.metadata.annotations.find(kReadyAnnotation);
      it != pod.metadata.annotations.end() && it->second == "false")
    return false;
  return !probe_of(spec_of(pod, c), ProbeType::readiness) ||
         c.readiness.result == ProbeTracker::Result::success;
}

api::ContainerStatus container_status(const ContainerRec& c, const api::Pod& pod) {
  api::ContainerStatus s;
  s.name = c.name;
  s.image = c.image;
  s.image_id = c.image.empty() ? "" : "sim://image/" + c.image;
  s.restart_count = c.restart_count;
  s.ready = container_ready(c, pod);
  s.started = container_started(c, pod);
  if (c.phase != ContainerRec::Phase::terminated && c.terminated)
    s.last_state.terminated = c.terminated;
  using P = ContainerRec::Phase;
  switch (c.phase) {
    case P::pending:
      s.state.waiting = api::ContainerStateWaiting{"PodInitializing", ""};
      break;
    case P::creating:
      if (c.pull_backing_off)
        s.state.waiting = api::ContainerStateWaiting{
            "ImagePullBackOff", "Back-off pulling image \"" + c.image + "\""};
      else if (c.pull_failed)
        s.state.waiting = api::ContainerStateWaiting{kErrImagePull, c.error};
      else
        s.state.waiting = api::ContainerStateWaiting{
            c.error.empty() ? "ContainerCreating" : "CreateContainerError", c.error};
      break;
    case P::running:
      s.state.running = api::ContainerStateRunning{api::Time{c.started_at}};
      s.container_id = c.id;
      break;
    case P::backoff: {
      auto secs = std::chrono::duration_cast<std::chrono::seconds>(c.backoff).count();
      s.state.waiting = api::ContainerStateWaiting{
          "CrashLoopBackOff",
          "back-off " + std::to_string(secs) + "s restarting failed container=" + c.name + " pod=" +
              pod.metadata.name + "_" + pod.metadata.namespace_ + "(" + pod.metadata.uid + ")"};
      if (c.terminated) s.container_id = c.terminated->container_id;
      break;
    }
    case P::terminated:
      if (c.terminated) {
        s.state.terminated = c.terminated;
        s.container_id = c.terminated->container_id;
      } else {
        // Stopped before it ever ran (pod deleted while creating).
        s.state.terminated = api::ContainerStateTerminated{};
        s.state.terminated->reason = "ContainerStatusUnknown";
        s.state.terminated->exit_code = 137;
      }
      if (c.previous) s.last_state.terminated = c.previous;
      break;
  }
  return s;
}

std::string pod_phase(const PodWorker& w) {
  if (!w.final_phase.empty()) return w.final_phase;
  bool any_app = false, all_terminated = true, all_succeeded = true, any_unstarted = false;
  bool sidecar_live = false;
  for (const auto& c : w.containers) {
    bool ended = c.phase == ContainerRec::Phase::terminated;
    if (c.is_init()) {
      // A regular init container failed and will not run again (restartPolicy Never).
      if (c.role == ContainerRole::init && ended && (!c.terminated || c.terminated->exit_code != 0))
        return "Failed";
      sidecar_live = sidecar_live || (c.role == ContainerRole::sidecar && c.live());
      continue;
    }
    any_app = true;
    if (!ended) all_terminated = false;
    if (!c.terminated || c.terminated->exit_code != 0) all_succeeded = false;
    if (!c.ever_started && !ended) any_unstarted = true;
  }
  if (!w.initialized) return "Pending";
  if (any_app && all_terminated && !w.terminating) {
    if (sidecar_live) return "Running";  // the sidecars are stopping (upstream counts them)
    return all_succeeded ? "Succeeded" : "Failed";
  }
  if (any_unstarted) return "Pending";
  return "Running";
}

namespace {

/// Sets condition `type` in `out`, keeping `old`'s transition time if its status held.
void set_condition(std::vector<api::PodCondition>& out, const api::PodStatus& old,
                   const std::string& type, bool value, std::string reason, std::string message,
                   TimePoint now) {
  api::PodCondition c;
  c.type = type;
  c.status = value ? "True" : "False";
  c.reason = std::move(reason);
  c.message = std::move(message);
  const auto* prev = old.condition(type);
  c.last_transition_time =
      prev && prev->status == c.status ? prev->last_transition_time : api::Time{now};
  if (prev && prev->status == c.status) c.last_probe_time = prev->last_probe_time;
  out.push_back(std::move(c));
}

/// Upstream's "[a b]" (a Go string slice printed with %s).
std::string go_list(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) out += (i ? " " : "") + names[i];
  return out + "]";
}

/// The Initialized condition: True once every init container did its part (a regular one
/// completed, a sidecar started), and from then on; PodCompleted for a Succeeded pod.
void set_initialized(std::vector<api::PodCondition>& out, const PodWorker& w,
                     const api::PodStatus& old, const std::string& phase, TimePoint now) {
  std::vector<std::string> incomplete;
  bool any_init = false;
  for (const auto& c : w.containers) {
    if (!c.is_init()) continue;
    any_init = true;
    bool done = c.role == ContainerRole::sidecar ? container_started(c, *w.pod)
                                                 : container_ready(c, *w.pod);
    if (!done) incomplete.push_back(c.name);
  }
  if (any_init && phase == "Succeeded")
    return set_condition(out, old, "Initialized", true, "PodCompleted", "", now);
  if (!any_init || w.initialized || incomplete.empty())
    return set_condition(out, old, "Initialized", true, "", "", now);
  set_condition(out, old, "Initialized", false, "ContainersNotInitialized",
                "containers with incomplete status: " + go_list(incomplete), now);
}

}  // namespace

api::PodStatus build_pod_status(const PodWorker& w, const std::string& host_ip, TimePoint now) {
  const api::Pod& pod = *w.pod;
  const api::PodStatus& old = pod.status;
  api::PodStatus s;
  s.phase = pod_phase(w);
  s.host_ip = host_ip;
  s.pod_ip = w.ip;
  if (!w.ip.empty()) s.pod_ips.push_back(api::PodIP{w.ip});
  s.start_time = api::Time{w.start_time};
  s.qos_class = old.qos_class;  // set by the API server
  s.reason = w.reason;
  s.message = w.message;
  s.nominated_node_name = old.nominated_node_name;
  // ContainersReady counts the app containers and the sidecars, as upstream does.
  bool all_ready = false;
  bool any_unready = false;
  for (const auto& c : w.containers) {
    auto cs = container_status(c, pod);
    if (c.role != ContainerRole::init) {
      all_ready = true;
      any_unready = any_unready || !cs.ready;
    }
    (c.is_init() ? s.init_container_statuses : s.container_statuses).push_back(std::move(cs));
  }
  all_ready = all_ready && !any_unready;

  bool terminal = api::is_terminal_phase(s.phase);
  std::string not_ready_reason = terminal ? "PodCompleted" : "ContainersNotReady";

  // Conditions other components own (PodScheduled by the scheduler, DisruptionTarget, ...)
  // are kept as they are.
  const std::vector<std::string> ours = {"Initialized", "ContainersReady", "Ready"};
  bool scheduled = false;
  for (const auto& c : old.conditions) {
    if (std::find(ours.begin(), ours.end(), c.type) != ours.end()) continue;
    scheduled = scheduled || c.type == "PodScheduled";
    s.conditions.push_back(c);
  }
  if (!scheduled) set_condition(s.conditions, old, "PodScheduled", true, "", "", now);
  // Evicted under node pressure: upstream (PodDisruptionConditions, GA in 1.31) says so.
  if (w.evicted && !old.condition("DisruptionTarget"))
    set_condition(s.conditions, old, "DisruptionTarget", true, "TerminationByKubelet", w.message,
                  now);
  set_initialized(s.conditions, w, old, s.phase, now);
  set_condition(s.conditions, old, "ContainersReady", all_ready, all_ready ? "" : not_ready_reason,
                "", now);
  set_condition(s.conditions, old, "Ready", all_ready, all_ready ? "" : not_ready_reason, "", now);
  return s;
}

}  // namespace kactor::kubelet
