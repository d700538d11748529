// The shared reconcile loop.
#include "actors/controllers/controller_loop.hpp"

#include <spdlog/spdlog.h>

#include "actors/client/messages.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/common/timers.hpp"
#include "actors/controllers/messages.hpp"

namespace kactor::actors::controllers {

namespace {

std::shared_ptr<spdlog::logger> logger_for() {
  return actors::logger("controller");
}

}  // namespace

std::pair<std::string, std::string> split_key(const std::string& key) {
  auto slash = key.find('/');
  if (slash == std::string::npos) return {"", key};
  return {key.substr(0, slash), key.substr(slash + 1)};
}

ControllerLoop::ControllerLoop(caf::event_based_actor* self, const Context& ctx, std::string name,
                               int workers)
    : self_(self),
      ctx_(ctx),
      name_(std::move(name)),
      workers_(workers < 1 ? 1 : workers),
      log_(logger_for()),
      queue_(*ctx.clock, [self, clock = ctx.clock](Duration delay) {
        // Only a message: the queue must not be re-entered from here.
        send_later(*clock, delay, caf::actor_cast<caf::actor>(self), ctrl_pump_atom::value);
      }) {
  queue_.report_as(name_);
}

client::Informer ControllerLoop::watch(const api::TypeInfo& type, EventFn on_event) {
  auto inf = ctx_.informers->get(type);
  handlers_[&type] = std::move(on_event);
  informers_.push_back(inf);
  caf::anon_send(inf.actor, client::subscribe_atom::value, caf::actor_cast<caf::actor>(self_));
  return inf;
}

void ControllerLoop::enqueue(const std::string& key) {
  queue_.add(key);
  schedule_process();
}

void ControllerLoop::enqueue_after(const std::string& key, Duration delay) {
  queue_.add_after(key, delay);
  schedule_process();
}

void ControllerLoop::after(Duration delay, std::function<void()> fn) {
  auto id = ++next_timer_;
  timers_.emplace(id, std::move(fn));
  send_later(*ctx_.clock, delay, caf::actor_cast<caf::actor>(self_), ctrl_timer_atom::value, id);
}

void ControllerLoop::every(Duration period, std::function<void()> fn) {
  after(period, [this, period, fn = std::move(fn)]() mutable {
    every(period, fn);  // re-armed first: a pass that throws does not end the period
    fn();
  });
}

bool ControllerLoop::all_synced() const {
  // The cache's own flag is not enough: its content must also have reached the handlers.
  for (auto& inf : informers_)
    if (!synced_from_.contains(inf.actor.address())) return false;
  return true;
}

void ControllerLoop::schedule_process() {
  if (process_pending_) return;
  process_pending_ = true;
  self_->send(self_, ctrl_work_atom::value);
}

void ControllerLoop::process() {
  process_pending_ = false;
  if (!all_synced() || !sync_) return;
  while (in_flight_ < workers_) {
    auto key = queue_.get();
    if (!key) break;
    ++in_flight_;
    auto finished = std::make_shared<bool>(false);
    Finish finish = [this, key = *key, finished](std::optional<api::Status> error) {
      if (*finished) return;
      *finished = true;
      --in_flight_;
      if (error) {
        log_->debug("{}: sync {} failed: {}", name_, key, error->message);
        queue_.add_rate_limited(key);
      } else {
        queue_.forget(key);
      }
      queue_.done(key);
      schedule_process();
    };
    // A sync that throws fails like one that reports an error: the key is retried with
    // back-off and the other keys go on (otherwise it would stay in flight for ever).
    try {
      sync_(*key, finish);
    } catch (...) {
      sync_threw(*key, finish);
    }
  }
}

void ControllerLoop::sync_threw(const std::string& key, const Finish& finish) {
  const auto what = current_exception_text();
  log_->error("{}: sync {} threw: {}; it is retried with back-off", name_, key, what);
  finish(api::internal_error(what));
}

void ControllerLoop::on_events(const client::InformerEvents& batch) {
  if (batch.synced) synced_from_.insert(caf::actor_cast<caf::actor_addr>(self_->current_sender()));
  for (auto& e : batch.events) {
    if (!e.object) continue;
    auto it = handlers_.find(&e.object->type());
    if (it != handlers_.end()) it->second(e);
  }
  schedule_process();
}

caf::behavior ControllerLoop::behavior(std::shared_ptr<void> keep_alive) {
  // Each controller is measured on its own (busy.hpp): they share the "controller" logger.
  return guarded_as(
      log_, busy_meter("controller:" + name_),
      [this, keep_alive](const client::InformerEvents& batch) { on_events(batch); },
      [this, keep_alive](ctrl_work_atom) { process(); },
      [this, keep_alive](ctrl_pump_atom) {
        queue_.pump();
        process();
      },
      [keep_alive](ctrl_ping_atom ping) { return ping; },
      [this, keep_alive](ctrl_timer_atom, uint64_t id) {
        auto it = timers_.find(id);
        if (it == timers_.end()) return;
        auto fn = std::move(it->second);
        timers_.erase(it);
        fn();
      });
}

}  // namespace kactor::actors::controllers
