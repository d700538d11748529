#include "actors/kubelet/resume.hpp"

namespace kactor::kubelet {
namespace {

api::ContainerStateTerminated termination_of(const ContainerInfo& found) {
  api::ContainerStateTerminated t;
  t.exit_code = found.exit_code;
  t.reason = found.reason.empty() ? (found.exit_code == 0 ? "Completed" : "Error") : found.reason;
  t.started_at = api::Time{found.started_at};
  t.finished_at = api::Time{found.finished_at};
  t.container_id = found.id;
  return t;
}

/// The runtime runs (or is starting) the container: carry on with it.
Resumption adopt(ContainerRec& c, const api::ContainerStatus* before, const ContainerInfo& found) {
  c.id = found.id;
  c.restart_count = before ? before->restart_count : 0;
  if (before) c.terminated = before->last_state.terminated;
  if (found.state == ContainerInfo::State::running) {
    c.phase = ContainerRec::Phase::running;
    c.started_at = found.started_at;
    c.ever_started = true;
  } else {
    c.phase = ContainerRec::Phase::creating;
    c.ever_started = c.restart_count > 0 || c.terminated.has_value();
  }
  return Resumption::adopt;
}

/// The container ended with termination `t`; the restart policy decides what follows.
Resumption after_exit(ContainerRec& c, api::ContainerStateTerminated t,
                      api::Boxed<api::ContainerStateTerminated> previous, int32_t restarts,
                      const std::string& restart_policy) {
  c.ever_started = true;
  c.restart_count = restarts;
  c.previous = std::move(previous);
  int32_t code = t.exit_code;
  c.terminated = std::move(t);
  if (!restarts_after(restart_policy, code)) {
    c.phase = ContainerRec::Phase::terminated;
    return Resumption::finished;
  }
  ++c.restart_count;  // started again now, as the back-off would have
  return Resumption::start;
}

}  // namespace

bool already_reported(const api::ContainerStatus& before, const ContainerInfo& found) {
  auto mentions = [&](const api::Boxed<api::ContainerStateTerminated>& t) {
    return t && t->container_id == found.id;
  };
  return mentions(before.state.terminated) || mentions(before.last_state.terminated);
}

Resumption resume_container(ContainerRec& c, const api::ContainerStatus* before,
                            const ContainerInfo* found, const std::string& restart_policy,
                            TimePoint now) {
  if (found && before && found->state == ContainerInfo::State::exited &&
      already_reported(*before, *found))
    found = nullptr;
  if (found && found->state != ContainerInfo::State::exited) return adopt(c, before, *found);
  if (found) {
    return after_exit(c, termination_of(*found),
                      before ? before->last_state.terminated : std::nullopt,
                      before ? before->restart_count : 0, restart_policy);
  }
  if (!before) return Resumption::start;
  const auto& state = before->state;
  if (state.terminated)
    return after_exit(c, *state.terminated, before->last_state.terminated, before->restart_count,
                      restart_policy);
  if (state.running) {
    api::ContainerStateTerminated lost;
    lost.exit_code = 255;
    lost.reason = "Unknown";
    lost.started_at = state.running->started_at;
    lost.finished_at = api::Time{std::chrono::floor<std::chrono::seconds>(now)};
    lost.container_id = before->container_id;
    c.ever_started = true;
    c.restart_count = before->restart_count + 1;
    c.terminated = std::move(lost);
    c.previous = before->last_state.terminated;
    return Resumption::start;
  }
  if (before->last_state.terminated) {  // waiting to restart (CrashLoopBackOff): now
    c.ever_started = true;
    c.restart_count = before->restart_count + 1;
    c.terminated = before->last_state.terminated;
  }
  return Resumption::start;
}

}  // namespace kactor::kubelet
