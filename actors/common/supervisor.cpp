// The supervisor actor: monitors and links to one component incarnation at a time, forwards
// every foreign message to it, and restarts it through the Clock after a back-off.
#include "actors/common/supervisor.hpp"

#include <algorithm>
#include <memory>

#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/common/messages.hpp"
#include "actors/common/timers.hpp"

namespace kactor::actors {
namespace {

struct State {
  std::string component;
  Clock* clock = nullptr;
  StartFn start;
  SupervisorOptions options;
  std::shared_ptr<spdlog::logger> log;
  /// The running incarnation; invalid while waiting for a restart.
  caf::actor child;
  /// The running incarnation, for the supervisor's own end (it takes the child along).
  std::shared_ptr<caf::actor_addr> current = std::make_shared<caf::actor_addr>();
  TimePoint started_at{};
  /// The back-off the next death waits.
  Duration backoff{};
  /// Identifies the pending restart timer (a later one supersedes it).
  uint64_t generation = 0;
  /// Told to stop: waiting for the child to end, then the supervisor ends with this reason.
  bool stopping = false;
  caf::error stop_reason;
};
using Self = caf::stateful_actor<State>;

bool deliberate(const caf::error& reason) {
  return !reason || reason == caf::exit_reason::normal || reason == caf::exit_reason::user_shutdown;
}

void emit(Self* self, SupervisorEvent::Kind kind, std::string reason = "", Duration delay = {}) {
  auto& st = self->state;
  if (!st.options.on_event) return;
  SupervisorEvent ev;
  ev.kind = kind;
  ev.component = st.component;
  ev.reason = std::move(reason);
  ev.delay = delay;
  ev.restarts = st.options.stats->restarts.load();
  try {
    st.options.on_event(ev);
  } catch (...) {
    st.log->error("{}: an observer of its supervisor threw: {}", st.component,
                  current_exception_text());
  }
}

void adopt(Self* self, caf::actor child) {
  auto& st = self->state;
  st.child = std::move(child);
  st.started_at = st.clock->now();
  *st.current = st.child.address();
  // Monitored, not linked: a link would carry a child's `kill` to the supervisor, and CAF
  // makes that exit unconditionally fatal.
  self->monitor(st.child);
}

/// Schedules the next start after the current back-off, and doubles the back-off.
Duration schedule_restart(Self* self) {
  auto& st = self->state;
  const Duration delay = st.backoff;
  st.backoff = std::min(st.backoff * 2, st.options.max_backoff);
  send_later(*st.clock, delay, caf::actor_cast<caf::actor>(self), supervisor_start_atom::value,
             ++st.generation);
  return delay;
}

void on_child_down(Self* self, const caf::down_msg& down) {
  auto& st = self->state;
  if (!st.child || down.source != st.child.address()) return;  // an earlier incarnation
  st.child = caf::actor{};
  if (st.stopping || deliberate(down.reason)) {
    auto reason = st.stopping ? st.stop_reason : down.reason;
    st.log->info("{} stopped ({})", st.component, caf::to_string(down.reason));
    emit(self, SupervisorEvent::Kind::stopped, caf::to_string(down.reason));
    self->quit(reason ? reason : caf::make_error(caf::exit_reason::normal));
    return;
  }
  st.options.stats->deaths.fetch_add(1);
  // A component that ran long enough was healthy: its death starts the back-off afresh.
  if (st.clock->now() - st.started_at >= st.options.healthy_after)
    st.backoff = st.options.initial_backoff;
  const auto delay = schedule_restart(self);
  const auto reason = caf::to_string(down.reason);
  st.log->error("{} died ({}); restarting it in {} ms", st.component, reason,
                std::chrono::duration_cast<std::chrono::milliseconds>(delay).count());
  emit(self, SupervisorEvent::Kind::died, reason, delay);
}

void restart(Self* self, uint64_t generation) {
  auto& st = self->state;
  if (generation != st.generation || st.child || st.stopping) return;
  caf::actor child;
  try {
    child = st.start();
  } catch (...) {
    st.log->error("{}: starting it threw: {}", st.component, current_exception_text());
  }
  if (!child) {
    const auto delay = schedule_restart(self);
    st.log->error("{} could not be started; trying again in {} ms", st.component,
                  std::chrono::duration_cast<std::chrono::milliseconds>(delay).count());
    emit(self, SupervisorEvent::Kind::start_failed, "", delay);
    return;
  }
  adopt(self, std::move(child));
  const auto restarts = st.options.stats->restarts.fetch_add(1) + 1;
  st.log->warn("{} restarted (restart {})", st.component, restarts);
  emit(self, SupervisorEvent::Kind::restarted);
}

/// An exit message (a stop request): stop the component, then ourselves.
void on_exit_request(Self* self, const caf::exit_msg& msg) {
  auto& st = self->state;
  st.stopping = true;
  // An exit with reason normal would be ignored by the component: stop it as a shutdown.
  st.stop_reason =
      deliberate(msg.reason) ? caf::make_error(caf::exit_reason::user_shutdown) : msg.reason;
  if (st.child) {
    self->send_exit(st.child, st.stop_reason);
    return;  // on_child_down ends the supervisor
  }
  emit(self, SupervisorEvent::Kind::stopped, caf::to_string(msg.reason));
  self->quit(st.stop_reason);
}

caf::behavior supervisor_actor(Self* self, std::string name, Clock* clock, StartFn start,
                               SupervisorOptions options, caf::actor first) {
  auto& st = self->state;
  st.component = std::move(name);
  st.clock = clock;
  st.start = std::move(start);
  st.options = std::move(options);
  st.backoff = st.options.initial_backoff;
  st.log = logger("supervisor");
  adopt(self, std::move(first));
  // However the supervisor ends (even killed), its component ends with it.
  self->attach_functor([current = st.current](const caf::error& reason) {
    if (auto child = caf::actor_cast<caf::actor>(*current))
      caf::anon_send_exit(
          child, deliberate(reason) ? caf::exit_reason::user_shutdown : caf::exit_reason::kill);
  });
  self->set_down_handler([self](caf::down_msg& down) { on_child_down(self, down); });
  self->set_exit_handler([self](caf::exit_msg& msg) { on_exit_request(self, msg); });
  // Everything else is the component's: forwarded with its sender and request id, so the
  // component answers the sender directly.
  self->set_default_handler(
      [](caf::scheduled_actor* ptr, caf::message_view& msg) -> caf::result<caf::message> {
        auto* self = static_cast<Self*>(ptr);
        if (!self->state.child)
          return caf::make_error(caf::sec::request_receiver_down,
                                 self->state.component + " is restarting");
        self->delegate(self->state.child, msg.move_content_to_message());
        return caf::delegated<caf::message>{};
      });
  return guarded(
      st.log, [self](supervisor_start_atom, uint64_t generation) { restart(self, generation); },
      [self](supervisor_child_atom) { return self->state.child; });
}

}  // namespace

caf::actor supervise(caf::actor_system& system, Clock& clock, std::string name, StartFn start,
                     SupervisorOptions options) {
  auto first = start();
  if (!first) return {};
  if (!options.stats) options.stats = std::make_shared<SupervisorStats>();
  return system.spawn(supervisor_actor, std::move(name), &clock, std::move(start),
                      std::move(options), std::move(first));
}

}  // namespace kactor::actors
