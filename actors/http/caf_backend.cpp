#include "actors/http/caf_backend.hpp"

#include <deque>

#include <caf/all.hpp>

#include "actors/apiserver/protocol/messages.hpp"
#include "actors/client/async_client.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"

namespace kactor::http {
namespace {

/// A call and where its answer goes; local only (the callback cannot cross hosts).
struct CallMessage {
  apiserver::Request request;
  ApiBackend::Done done;
};

}  // namespace
}  // namespace kactor::http

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::http::CallMessage)

namespace kactor::http {
namespace {

using ack_atom = apiserver::ack_atom;
using cancel_atom = apiserver::cancel_atom;

caf::behavior relay_actor(caf::event_based_actor* self, caf::actor apiserver,
                          std::chrono::milliseconds timeout) {
  auto client = std::make_shared<client::AsyncClient>(self, std::move(apiserver), timeout);
  return actors::guarded(actors::logger("http"), [client](CallMessage& m) {
    client->call(std::move(m.request),
                 [done = std::move(m.done)](apiserver::Response& r) { done(std::move(r)); });
  });
}

struct WatchActorState {
  uint64_t watch_id = 0;
  bool started = false;
  bool done = false;
  std::deque<apiserver::WatchEvents> early;  // events that came before the reply
};

void deliver(WatchObserver& observer, apiserver::WatchEvents& msg) {
  if (observer.events) observer.events(msg.events, msg.closed);
}

caf::behavior watch_actor(caf::stateful_actor<WatchActorState>* self, caf::actor apiserver,
                          apiserver::WatchRequest request, WatchObserver observer,
                          std::chrono::milliseconds timeout) {
  auto client = std::make_shared<client::AsyncClient>(self, apiserver, timeout);
  auto obs = std::make_shared<WatchObserver>(std::move(observer));
  const uint64_t tag = request.tag;
  // The API server going away ends the watch as upstream's would end: the stream closes and
  // the client watches again.
  self->set_down_handler([self, obs](caf::down_msg&) {
    if (self->state.done) return;
    self->state.done = true;
    if (!self->state.started) {
      apiserver::Response r;
      r.error = api::Status{503, "ServiceUnavailable", "the API server is restarting", {}};
      if (obs->started) obs->started(r);
    } else if (obs->events) {
      obs->events({}, true);
    }
    self->quit();
  });
  client->watch(std::move(request), [self, obs, apiserver](apiserver::Response& r) {
    auto& st = self->state;
    if (st.done) return;
    if (obs->started) obs->started(r);
    if (r.error) {
      st.done = true;
      self->quit();
      return;
    }
    st.watch_id = r.watch_id;
    st.started = true;
    // The sender of the reply is the incarnation serving the watch (not its supervisor).
    if (auto sender = caf::actor_cast<caf::actor>(self->current_sender())) self->monitor(sender);
    while (!st.early.empty() && !st.done) {
      auto msg = std::move(st.early.front());
      st.early.pop_front();
      deliver(*obs, msg);
      if (msg.closed) {
        st.done = true;
        self->quit();
      }
    }
  });
  return actors::guarded(
      actors::logger("http"),
      [self, obs, tag](apiserver::WatchEvents& msg) {
        auto& st = self->state;
        if (msg.tag != tag || st.done) return;
        if (!st.started) {
          st.early.push_back(std::move(msg));
          return;
        }
        deliver(*obs, msg);
        if (msg.closed) {
          st.done = true;
          self->quit();
        }
      },
      [self, apiserver](ack_atom, uint64_t count) {
        if (self->state.watch_id) self->send(apiserver, ack_atom::value, self->state.watch_id, count);
      },
      [self, apiserver](cancel_atom) {
        auto& st = self->state;
        if (st.watch_id) self->send(apiserver, cancel_atom::value, st.watch_id);
        st.done = true;
        self->quit();
      });
}

class CafWatchControl final : public WatchControl {
 public:
  explicit CafWatchControl(caf::actor actor) : actor_(std::move(actor)) {}
  ~CafWatchControl() override { cancel(); }
  void ack(size_t count) override {
    // One message per kAckBatch written events, not one per event: with a thousand watchers
    // the acknowledgements were two of every three CAF messages of the fan-out. The API
    // server's window (WatchHub::Options::max_unacked, 100,000) is far larger than a batch.
    const auto pending = pending_.fetch_add(count, std::memory_order_relaxed) + count;
    if (pending < kAckBatch) return;
    if (auto n = pending_.exchange(0, std::memory_order_relaxed); n > 0)
      caf::anon_send(actor_, ack_atom::value, static_cast<uint64_t>(n));
  }
  void cancel() override {
    if (!cancelled_.exchange(true)) caf::anon_send(actor_, cancel_atom::value);
  }

 private:
  static constexpr uint64_t kAckBatch = 32;
  caf::actor actor_;
  std::atomic<uint64_t> pending_{0};
  std::atomic<bool> cancelled_{false};
};

}  // namespace

CafBackend::CafBackend(caf::actor_system& system, caf::actor apiserver, size_t relays,
                       std::chrono::milliseconds timeout)
    : system_(system), apiserver_(std::move(apiserver)), timeout_(timeout) {
  for (size_t i = 0; i < std::max<size_t>(relays, 1); ++i)
    relays_.push_back(system_.spawn(relay_actor, apiserver_, timeout_));
}

CafBackend::~CafBackend() { shutdown(); }

void CafBackend::shutdown() {
  if (shut_down_.exchange(true)) return;
  for (auto& r : relays_) caf::anon_send_exit(r, caf::exit_reason::user_shutdown);
}

void CafBackend::call(apiserver::Request request, Done done) {
  const auto& relay = relays_[next_.fetch_add(1, std::memory_order_relaxed) % relays_.size()];
  caf::anon_send(relay, CallMessage{std::move(request), std::move(done)});
}

std::shared_ptr<WatchControl> CafBackend::watch(apiserver::WatchRequest request,
                                                WatchObserver observer) {
  request.tag = next_tag_.fetch_add(1, std::memory_order_relaxed);
  auto actor = system_.spawn(watch_actor, apiserver_, std::move(request), std::move(observer),
                             timeout_);
  return std::make_shared<CafWatchControl>(std::move(actor));
}

}  // namespace kactor::http
