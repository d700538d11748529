#include "actors/client/async_client.hpp"

#include <caf/event_based_actor.hpp>

#include "actors/apiserver/protocol/messages.hpp"
#include "actors/client/status.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"

namespace kactor::client {
namespace {

/// Sends `message` (a Request or WatchRequest) and hands the Response, or the CAF error as a
/// Status, to `done`. A callback that throws is logged and the actor goes on (the response
/// handlers are part of the actor's message boundary too: actors/common/guarded.hpp).
template <class Message>
void ask(caf::event_based_actor* self, const caf::actor& apiserver,
         std::chrono::milliseconds timeout, const std::shared_ptr<spdlog::logger>& log,
         Message message, const AsyncClient::Callback& done) {
  self->request(apiserver, timeout, std::move(message))
      .then(actors::guard_callback(log, [done](apiserver::Response& r) { done(r); }),
            actors::guard_callback(log, [done](caf::error& e) {
              apiserver::Response r;
              r.error = to_status(e);
              done(r);
            }));
}

}  // namespace

AsyncClient::AsyncClient(caf::event_based_actor* self, caf::actor apiserver,
                         std::chrono::milliseconds timeout)
    : self_(self),
      apiserver_(std::move(apiserver)),
      timeout_(timeout),
      log_(actors::logger("client")) {}

void AsyncClient::call(apiserver::Request request, Callback done) {
  ask(self_, apiserver_, timeout_, log_, std::move(request), done);
}

void AsyncClient::watch(apiserver::WatchRequest request, Callback done) {
  ask(self_, apiserver_, timeout_, log_, std::move(request), done);
}

void AsyncClient::send(apiserver::Request request) {
  call(std::move(request), [](apiserver::Response&) {});
}

}  // namespace kactor::client
