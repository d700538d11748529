#include "actors/kubelet/pod_worker.hpp"

#include <algorithm>

namespace kactor::kubelet {

Duration next_backoff(Duration previous, Duration ran) {
  if (previous <= Duration::zero() || ran >= kBackoffReset) return kBackoffInitial;
  return std::min(previous * 2, kBackoffMax);
}

// -- probes ---------------------------------------------------------------------------------

void ProbeTracker::reset(Result initial) {
  result = initial;
  last = Result::unknown;
  run = 0;
}

bool ProbeTracker::record(bool success, const api::Probe& probe) {
  // The API server defaults the thresholds; a zero (an undefaulted object) means upstream's.
  int32_t needed = success ? std::max(probe.success_threshold, 1)
                           : (probe.failure_threshold > 0 ? probe.failure_threshold : 3);
  auto raw = success ? Result::success : Result::failure;
  if (raw == last) {
    ++run;
  } else {
    last = raw;
    run = 1;
  }
  if (run < needed || result == raw) return false;
  result = raw;
  return true;
}

const api::Container& spec_of(const api::Pod& pod, const ContainerRec& c) {
  return c.is_init() ? pod.spec.init_containers.at(c.spec_index)
                     : pod.spec.containers.at(c.spec_index);
}

const api::Probe* probe_of(const api::Container& spec, ProbeType type) {
  const api::Boxed<api::Probe>* p = nullptr;
  switch (type) {
    case ProbeType::readiness:
      p = &spec.readiness_probe;
      break;
    case ProbeType::liveness:
      p = &spec.liveness_probe;
      break;
    case ProbeType::startup:
      p = &spec.startup_probe;
      break;
  }
  return p && *p ? &**p : nullptr;
}

// -- restarts -------------------------------------------------------------------------------

std::string restart_policy_of(const api::Pod& pod, const ContainerRec& c) {
  switch (c.role) {
    case ContainerRole::sidecar:
      return "Always";
    case ContainerRole::init:
      return pod.spec.restart_policy == "Never" ? "Never" : "OnFailure";
    case ContainerRole::app:
      break;
  }
  return pod.spec.restart_policy;
}

bool restarts_after(const std::string& policy, int32_t exit_code) {
  return policy.empty() || policy == "Always" || (policy == "OnFailure" && exit_code != 0);
}

// -- what starts and stops next -------------------------------------------------------------

namespace {

bool completed(const ContainerRec& c) {
  return c.phase == ContainerRec::Phase::terminated && c.terminated && c.terminated->exit_code == 0;
}

/// A regular init container that failed and will not run again (restartPolicy Never).
bool failed_for_good(const ContainerRec& c) {
  return c.role == ContainerRole::init && c.phase == ContainerRec::Phase::terminated &&
         !completed(c);
}

bool init_container_done(const ContainerRec& c) {
  return c.role == ContainerRole::sidecar ? c.started_once : completed(c);
}

}  // namespace

bool init_done(const PodWorker& w) {
  for (const auto& c : w.containers)
    if (c.is_init() && !init_container_done(c)) return false;
  return true;
}

std::vector<size_t> due_to_start(const PodWorker& w) {
  std::vector<size_t> out;
  if (w.stop_deadline || !w.final_phase.empty()) return out;
  for (size_t i = 0; i < w.containers.size(); ++i) {
    const auto& c = w.containers[i];
    if (c.is_init()) {
      if (w.initialized || init_container_done(c)) continue;
      // The first init container not done: start it if it waits for its turn; else it is
      // on its way (creating, running, restarting) and the ones after it wait.
      if (c.phase == ContainerRec::Phase::pending) out.push_back(i);
      return out;
    }
    if (c.phase == ContainerRec::Phase::pending) out.push_back(i);
  }
  return out;
}

bool regular_containers_done(const PodWorker& w) {
  bool any_app = false;
  for (const auto& c : w.containers) {
    if (failed_for_good(c)) return true;
    if (c.is_init()) continue;
    any_app = true;
    if (c.phase != ContainerRec::Phase::terminated) return false;
  }
  return any_app;
}

std::vector<size_t> due_to_stop(const PodWorker& w, TimePoint now) {
  std::vector<size_t> out;
  bool deadline_passed = w.stop_deadline && now >= *w.stop_deadline;
  // Sidecars wait for everything that is not a sidecar, and for the sidecars after them.
  bool others_live = false;
  for (size_t i = 0; i < w.containers.size(); ++i) {
    const auto& c = w.containers[i];
    if (c.role == ContainerRole::sidecar || !c.live()) continue;
    others_live = true;
    if (!c.stopping) out.push_back(i);
  }
  bool later_live = others_live;
  for (size_t i = w.containers.size(); i-- > 0;) {
    const auto& c = w.containers[i];
    if (c.role != ContainerRole::sidecar || !c.live()) continue;
    if (!c.stopping && (!later_live || deadline_passed)) out.push_back(i);
    later_live = true;
  }
  return out;
}

}  // namespace kactor::kubelet
