#include "actors/http/caf_backend.hpp"

#include <deque>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "actors/apiserver/protocol/messages.hpp"
#include "actors/client/async_client.hpp"
#include "actors/client/status.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"

namespace kactor::http {
namespace {

/// A call and where its answer goes; local only (the callback cannot cross hosts).
struct CallMessage {
  apiserver::Request request;
  ApiBackend::Done done;
};

/// Opens a watch on a multiplexer; local only, like CallMessage.
struct OpenWatch {
  apiserver::WatchRequest request;
  std::shared_ptr<WatchObserver> observer;
};

}  // namespace
}  // namespace kactor::http

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::http::CallMessage)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::http::OpenWatch)

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

/// One open watch of a multiplexer.
struct MuxWatch {
  std::shared_ptr<WatchObserver> observer;
  uint64_t watch_id = 0;
  /// The API server incarnation serving it (the reply's sender, not a supervisor), once
  /// it answered: acknowledgements and the cancel go there.
  caf::actor server;
  std::deque<apiserver::WatchEvents> early;  // events that came before the reply
  /// Events received and not yet handed to the observer (see flush()), and whether the
  /// watch ends after them.
  std::vector<apiserver::WatchEventPtr> pending;
  bool closing = false;
  bool flush_listed = false;  // in MuxState::with_pending
  /// Not answered in time: its stream was told so; the answer, when it comes, cancels it.
  bool abandoned = false;
  bool started() const { return static_cast<bool>(server); }
};

struct MuxState {
  std::unordered_map<uint64_t, MuxWatch> watches;  // by tag
  std::unordered_set<caf::actor_addr> monitored;   // the incarnations serving them
  std::vector<uint64_t> with_pending;              // tags of the watches with pending events
  bool flush_queued = false;
};

/// Hands the pending events to their observers; queued behind the messages already waiting.
using flush_atom = caf::atom_constant<caf::atom("mux_flush")>;
/// A watch's answer is overdue.
using open_timeout_atom = caf::atom_constant<caf::atom("mux_late")>;

/// Runs an observer's callback; one that throws is logged and does not keep the others (or
/// the multiplexer's bookkeeping) from going on.
template <class F>
void notify(F&& f) {
  try {
    f();
  } catch (...) {
    actors::logger("http")->error("a watch stream's callback failed: {}",
                                  actors::current_exception_text());
  }
}

using Mux = caf::stateful_actor<MuxState>;

/// Collects one message's events for its watch's observer (flush() hands them on); a closing
/// message ends the watch.
void deliver(Mux* self, apiserver::WatchEvents& msg) {
  auto& st = self->state;
  auto it = st.watches.find(msg.tag);
  if (it == st.watches.end() || it->second.abandoned) {
    // Cancelled here, or given up on: make sure the API server stops it too.
    auto sender = caf::actor_cast<caf::actor>(self->current_sender());
    if (!msg.closed && sender) self->send(sender, cancel_atom::value, msg.watch_id);
    return;
  }
  auto& w = it->second;
  if (!w.started()) {
    w.early.push_back(std::move(msg));
    return;
  }
  if (!w.flush_listed) {
    w.flush_listed = true;
    st.with_pending.push_back(msg.tag);
  }
  if (w.pending.empty())
    w.pending = std::move(msg.events);
  else
    w.pending.insert(w.pending.end(), std::make_move_iterator(msg.events.begin()),
                     std::make_move_iterator(msg.events.end()));
  w.closing = w.closing || msg.closed;
  if (!st.flush_queued) {
    st.flush_queued = true;
    self->send(self, flush_atom::value);
  }
}

/// Gives every watch its pending events in one call. Events are collected first and handed
/// on by a message of our own, which comes after those already in the mailbox: a mux that
/// fell behind merges the rounds it has not handled yet, so each stream gets one write for
/// all of them (and catches up) instead of one per round (and stays behind).
void flush(Mux* self) {
  auto& st = self->state;
  st.flush_queued = false;
  for (uint64_t tag : std::exchange(st.with_pending, {})) {
    auto it = st.watches.find(tag);
    if (it == st.watches.end()) continue;  // cancelled meanwhile
    auto observer = it->second.observer;
    auto events = std::exchange(it->second.pending, {});
    const bool closed = it->second.closing;
    it->second.flush_listed = false;
    if (closed) st.watches.erase(it);
    if (observer->events) notify([&] { observer->events(events, closed); });
  }
}

/// The API server's answer to watch `tag`: the stream starts (with the events that came
/// first), or learns the error; a watch cancelled or given up on meanwhile is cancelled.
void answered(Mux* self, uint64_t tag, apiserver::Response& r) {
  auto& st = self->state;
  auto sender = caf::actor_cast<caf::actor>(self->current_sender());
  auto it = st.watches.find(tag);
  if (it == st.watches.end() || it->second.abandoned) {
    if (it != st.watches.end()) st.watches.erase(it);
    if (!r.error && sender) self->send(sender, cancel_atom::value, r.watch_id);
    return;
  }
  auto observer = it->second.observer;
  if (r.error || !sender) {
    st.watches.erase(it);
    if (!r.error) r.error = api::service_unavailable("the API server is restarting");
    if (observer->started) notify([&] { observer->started(r); });
    return;
  }
  it->second.watch_id = r.watch_id;
  it->second.server = sender;
  if (st.monitored.insert(sender.address()).second) self->monitor(sender);
  auto early = std::move(it->second.early);
  if (observer->started) notify([&] { observer->started(r); });
  for (auto& msg : early) deliver(self, msg);
}

/// Carries many HTTP watches (each stream's own API-server watch, with its own selection,
/// resourceVersion and flow control) in one actor. The API server sends each round's events
/// for all of them in one WatchEventsBatch: a change seen by a thousand watch streams costs
/// one CAF message instead of a thousand (and a thousand actors their memory).
caf::behavior watch_mux(Mux* self, caf::actor apiserver, std::chrono::milliseconds timeout) {
  // An API server incarnation going away ends the watches it served, as upstream's would
  // end: the streams close and their clients watch again.
  self->set_down_handler([self](caf::down_msg& down) {
    auto& st = self->state;
    st.monitored.erase(down.source);
    std::vector<std::pair<std::shared_ptr<WatchObserver>, std::vector<apiserver::WatchEventPtr>>>
        ended;
    for (auto it = st.watches.begin(); it != st.watches.end();) {
      if (it->second.started() && it->second.server.address() == down.source) {
        // What came before the end still goes out, then the stream closes.
        ended.emplace_back(std::move(it->second.observer), std::move(it->second.pending));
        it = st.watches.erase(it);
      } else {
        ++it;
      }
    }
    for (auto& [observer, events] : ended)
      if (observer->events) notify([&] { observer->events(events, true); });
  });
  auto log = actors::logger("http");
  return actors::guarded(
      log,
      [self, apiserver, timeout, log](OpenWatch& open) {
        const uint64_t tag = open.request.tag;
        open.request.batched = true;
        self->state.watches[tag].observer = std::move(open.observer);
        // No timeout on the request itself: its answer must arrive even late, to cancel a
        // watch given up on (open_timeout_atom tells the stream in time).
        self->delayed_send(self, timeout, open_timeout_atom::value, tag);
        self->request(apiserver, caf::infinite, std::move(open.request))
            .then(actors::guard_callback(
                      log, [self, tag](apiserver::Response& r) { answered(self, tag, r); }),
                  actors::guard_callback(log, [self, tag](caf::error& e) {
                    apiserver::Response r;
                    r.error = client::to_status(e);
                    answered(self, tag, r);
                  }));
      },
      [self](open_timeout_atom, uint64_t tag) {
        auto& st = self->state;
        auto it = st.watches.find(tag);
        if (it == st.watches.end() || it->second.started() || it->second.abandoned) return;
        it->second.abandoned = true;
        auto observer = std::exchange(it->second.observer, nullptr);
        it->second.early.clear();
        apiserver::Response r;
        r.error = client::to_status(caf::make_error(caf::sec::request_timeout));
        if (observer->started) notify([&] { observer->started(r); });
      },
      [self](apiserver::WatchEvents& msg) { deliver(self, msg); },
      [self](apiserver::WatchEventsBatch& batch) {
        for (auto& msg : batch.items) deliver(self, msg);
      },
      [self](flush_atom) { flush(self); },
      [self](ack_atom, uint64_t tag, uint64_t count) {
        auto& st = self->state;
        auto it = st.watches.find(tag);
        if (it != st.watches.end() && it->second.started())
          self->send(it->second.server, ack_atom::value, it->second.watch_id, count);
      },
      [self](cancel_atom, uint64_t tag) {
        auto& st = self->state;
        auto it = st.watches.find(tag);
        if (it == st.watches.end()) return;
        if (it->second.started())
          self->send(it->second.server, cancel_atom::value, it->second.watch_id);
        st.watches.erase(it);
      });
}

class CafWatchControl final : public WatchControl {
 public:
  CafWatchControl(caf::actor mux, uint64_t tag) : mux_(std::move(mux)), tag_(tag) {}
  ~CafWatchControl() override { cancel(); }
  void ack(size_t count) override {
    // One message per kAckBatch written events, not one per event: with a thousand watchers
    // the acknowledgements were two of every three CAF messages of the fan-out. The API
    // server's window (WatchHub::Options::max_unacked, 100,000) is far larger than a batch.
    const auto pending = pending_.fetch_add(count, std::memory_order_relaxed) + count;
    if (pending < kAckBatch) return;
    if (auto n = pending_.exchange(0, std::memory_order_relaxed); n > 0)
      caf::anon_send(mux_, ack_atom::value, tag_, static_cast<uint64_t>(n));
  }
  void cancel() override {
    if (!cancelled_.exchange(true)) caf::anon_send(mux_, cancel_atom::value, tag_);
  }

 private:
  static constexpr uint64_t kAckBatch = 32;
  caf::actor mux_;
  uint64_t tag_;
  std::atomic<uint64_t> pending_{0};
  std::atomic<bool> cancelled_{false};
};

}  // namespace

CafBackend::CafBackend(caf::actor_system& system, caf::actor apiserver, size_t relays,
                       std::chrono::milliseconds timeout)
    : system_(system), apiserver_(std::move(apiserver)), timeout_(timeout) {
  for (size_t i = 0; i < std::max<size_t>(relays, 1); ++i) {
    relays_.push_back(system_.spawn(relay_actor, apiserver_, timeout_));
    muxes_.push_back(system_.spawn(watch_mux, apiserver_, timeout_));
  }
}

CafBackend::~CafBackend() {
  shutdown();
}

void CafBackend::shutdown() {
  if (shut_down_.exchange(true)) return;
  for (auto& r : relays_) caf::anon_send_exit(r, caf::exit_reason::user_shutdown);
  for (auto& m : muxes_) caf::anon_send_exit(m, caf::exit_reason::user_shutdown);
}

void CafBackend::call(apiserver::Request request, Done done) {
  const auto& relay = relays_[next_.fetch_add(1, std::memory_order_relaxed) % relays_.size()];
  caf::anon_send(relay, CallMessage{std::move(request), std::move(done)});
}

std::shared_ptr<WatchControl> CafBackend::watch(apiserver::WatchRequest request,
                                                WatchObserver observer) {
  const uint64_t tag = next_tag_.fetch_add(1, std::memory_order_relaxed);
  request.tag = tag;
  const auto& mux = muxes_[tag % muxes_.size()];
  caf::anon_send(
      mux, OpenWatch{std::move(request), std::make_shared<WatchObserver>(std::move(observer))});
  return std::make_shared<CafWatchControl>(mux, tag);
}

}  // namespace kactor::http
