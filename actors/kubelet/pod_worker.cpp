#include "actors/kubelet/pod_worker.hpp"

#include <algorithm>

#include "actors/kubelet/sim_annotations.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::kubelet {

Duration next_backoff(Duration previous, Duration ran) {
  if (previous <= Duration::zero() || ran >= kBackoffReset) return kBackoffInitial;
  return std::min(previous * 2, kBackoffMax);
}

bool container_ready(const ContainerRec& c, const api::Pod& pod, TimePoint now) {
  if (c.phase != ContainerRec::Phase::running) return false;
  if (auto it = pod.metadata.annotations.find(kReadyAnnotation);
      it != pod.metadata.annotations.end() && it->second == "false")
    return false;
  if (c.readiness_probe &&
      now < c.started_at + std::chrono::seconds(c.readiness_probe->initial_delay_seconds))
    return false;
  return true;
}

api::ContainerStatus container_status(const ContainerRec& c, const api::Pod& pod, TimePoint now) {
  api::ContainerStatus s;
  s.name = c.name;
  s.image = c.image;
  s.image_id = c.image.empty() ? "" : "sim://image/" + c.image;
  s.restart_count = c.restart_count;
  s.ready = container_ready(c, pod, now);
  using P = ContainerRec::Phase;
  switch (c.phase) {
    case P::creating:
      s.state.waiting = api::ContainerStateWaiting{
          c.error.empty() ? "ContainerCreating" : "CreateContainerError", c.error};
      if (c.terminated) s.last_state.terminated = c.terminated;
      s.started = false;
      break;
    case P::running:
      s.state.running = api::ContainerStateRunning{api::Time{c.started_at}};
      if (c.terminated) s.last_state.terminated = c.terminated;
      s.container_id = c.id;
      s.started = true;
      break;
    case P::backoff: {
      auto secs = std::chrono::duration_cast<std::chrono::seconds>(c.backoff).count();
      s.state.waiting = api::ContainerStateWaiting{
          "CrashLoopBackOff",
          "back-off " + std::to_string(secs) + "s restarting failed container=" + c.name + " pod=" +
              pod.metadata.name + "_" + pod.metadata.namespace_ + "(" + pod.metadata.uid + ")"};
      if (c.terminated) {
        s.last_state.terminated = c.terminated;
        s.container_id = c.terminated->container_id;
      }
      s.started = false;
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
      s.started = false;
      break;
  }
  return s;
}

bool restarts_after(const std::string& policy, int32_t exit_code) {
  return policy.empty() || policy == "Always" || (policy == "OnFailure" && exit_code != 0);
}

std::string pod_phase(const PodWorker& w) {
  if (!w.final_phase.empty()) return w.final_phase;
  bool all_terminated = !w.containers.empty();
  bool all_succeeded = true;
  bool any_unstarted = false;
  for (const auto& c : w.containers) {
    if (c.phase != ContainerRec::Phase::terminated) all_terminated = false;
    if (!c.terminated || c.terminated->exit_code != 0) all_succeeded = false;
    if (!c.ever_started && c.phase != ContainerRec::Phase::terminated) any_unstarted = true;
  }
  if (all_terminated && !w.terminating) return all_succeeded ? "Succeeded" : "Failed";
  if (any_unstarted) return "Pending";
  return "Running";
}

namespace {

/// Sets condition `type` in `out`, keeping `old`'s transition time if its status held.
void set_condition(std::vector<api::PodCondition>& out, const api::PodStatus& old,
                   const std::string& type, bool value, std::string reason, TimePoint now) {
  api::PodCondition c;
  c.type = type;
  c.status = value ? "True" : "False";
  c.reason = value ? "" : std::move(reason);
  const auto* prev = old.condition(type);
  c.last_transition_time =
      prev && prev->status == c.status ? prev->last_transition_time : api::Time{now};
  if (prev && prev->status == c.status) c.last_probe_time = prev->last_probe_time;
  out.push_back(std::move(c));
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
  s.nominated_node_name = old.nominated_node_name;
  for (const auto& c : w.containers) s.container_statuses.push_back(container_status(c, pod, now));

  bool terminal = api::is_terminal_phase(s.phase);
  bool all_ready = !w.containers.empty();
  for (const auto& cs : s.container_statuses) all_ready = all_ready && cs.ready;
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
  if (!scheduled) set_condition(s.conditions, old, "PodScheduled", true, "", now);
  set_condition(s.conditions, old, "Initialized", true, "", now);
  set_condition(s.conditions, old, "ContainersReady", all_ready, not_ready_reason, now);
  set_condition(s.conditions, old, "Ready", all_ready, not_ready_reason, now);
  return s;
}

}  // namespace kactor::kubelet
