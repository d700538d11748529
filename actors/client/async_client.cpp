#include "actors/client/async_client.hpp"

#include <deque>
#include <utility>

#include <caf/event_based_actor.hpp>

#include "actors/apiserver/protocol/messages.hpp"
#include "actors/client/status.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"

namespace kactor::client {

/// A client's calls in flight, oldest first: every call has the client's timeout, so the
/// deadlines are in call order. One clock timer, set for the oldest deadline, expires them.
struct AsyncClient::InFlight {
  struct Call {
    Callback done;
    bool finished = false;
  };
  caf::event_based_actor* self;
  std::shared_ptr<spdlog::logger> log;
  /// The client's busy meter, looked up once rather than per answer (actors/common/busy.hpp).
  actors::BusyMeter* meter;
  std::deque<std::pair<caf::actor_clock::time_point, std::shared_ptr<Call>>> calls;
  bool armed = false;

  /// Runs `done` once: the answer, or the expiry, whichever comes first. A callback that
  /// throws is logged and the actor goes on (actors/common/guarded.hpp).
  void finish(Call& call, apiserver::Response& r) {
    if (call.finished) return;
    call.finished = true;
    auto done = std::move(call.done);  // what it captured goes with this call
    actors::guard_callback(log, *meter,
                           [&done](apiserver::Response& response) { done(response); })(r);
  }

  /// Drops answered calls from the front, so the queue holds little more than what is open.
  void trim() {
    while (!calls.empty() && calls.front().second->finished) calls.pop_front();
  }

  /// Expires every call whose deadline has passed, then sets the timer for the next one.
  static void sweep(const std::shared_ptr<InFlight>& self_state) {
    auto& st = *self_state;
    st.armed = false;
    const auto now = st.self->clock().now();
    while (!st.calls.empty() &&
           (st.calls.front().second->finished || st.calls.front().first <= now)) {
      auto call = std::move(st.calls.front().second);
      st.calls.pop_front();
      if (call->finished) continue;
      apiserver::Response r;
      r.error = to_status(caf::make_error(caf::sec::request_timeout));
      st.finish(*call, r);
    }
    arm(self_state);
  }

  /// Sets the one timer, for the oldest call, unless it is set or nothing is in flight. It is
  /// a request timeout without a request: the clock answers the actor with an error under a
  /// response id only this handler waits for.
  static void arm(const std::shared_ptr<InFlight>& self_state) {
    auto& st = *self_state;
    if (st.armed || st.calls.empty()) return;
    st.armed = true;
    auto* self = st.self;
    const auto id = self->new_request_id(caf::message_priority::normal).response_id();
    self->add_multiplexed_response_handler(
        id, caf::behavior{[weak = std::weak_ptr<InFlight>(self_state)](caf::error&) {
          if (auto state = weak.lock()) sweep(state);
        }});
    self->clock().set_request_timeout(st.calls.front().first, self, id);
  }
};

AsyncClient::AsyncClient(caf::event_based_actor* self, caf::actor apiserver,
                         std::chrono::milliseconds timeout)
    : self_(self),
      apiserver_(std::move(apiserver)),
      timeout_(timeout),
      log_(actors::logger("client")),
      in_flight_(std::make_shared<InFlight>(
          InFlight{self, log_, &actors::busy_meter_of(*log_), {}, false})) {}

template <class Message>
void AsyncClient::ask(Message message, Callback done) {
  auto& in_flight = *in_flight_;
  in_flight.trim();
  auto call = std::make_shared<InFlight::Call>(InFlight::Call{std::move(done)});
  in_flight.calls.emplace_back(self_->clock().now() + timeout_, call);
  InFlight::arm(in_flight_);
  // The answer is taken whenever it comes; a call that expired first has run its callback
  // with the timeout, and the late answer finds it finished.
  self_->request(apiserver_, caf::infinite, std::move(message))
      .then(
          [state = in_flight_, call](apiserver::Response& r) { state->finish(*call, r); },
          [state = in_flight_, call](caf::error& e) {
            apiserver::Response r;
            r.error = to_status(e);
            state->finish(*call, r);
          });
}

void AsyncClient::call(apiserver::Request request, Callback done) {
  ask(std::move(request), std::move(done));
}

void AsyncClient::watch(apiserver::WatchRequest request, Callback done) {
  ask(std::move(request), std::move(done));
}

void AsyncClient::send(apiserver::Request request) {
  call(std::move(request), [](apiserver::Response&) {});
}

}  // namespace kactor::client
