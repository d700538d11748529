#include "actors/client/async_client.hpp"

#include <caf/event_based_actor.hpp>

#include "actors/apiserver/protocol/messages.hpp"
#include "actors/client/status.hpp"

namespace kactor::client {
namespace {

/// Sends `message` (a Request or WatchRequest) and hands the Response, or the CAF error as a
/// Status, to `done`.
template <class Message>
void ask(caf::event_based_actor* self, const caf::actor& apiserver,
         std::chrono::milliseconds timeout, Message message, const AsyncClient::Callback& done) {
  self->request(apiserver, timeout, std::move(message))
      .then([done](apiserver::Response& r) { done(r); },
            [done](caf::error& e) {
              apiserver::Response r;
              r.error = to_status(e);
              done(r);
            });
}

}  // namespace

AsyncClient::AsyncClient(caf::event_based_actor* self, caf::actor apiserver,
                         std::chrono::milliseconds timeout)
    : self_(self), apiserver_(std::move(apiserver)), timeout_(timeout) {}

void AsyncClient::call(apiserver::Request request, Callback done) {
  ask(self_, apiserver_, timeout_, std::move(request), done);
}

void AsyncClient::watch(apiserver::WatchRequest request, Callback done) {
  ask(self_, apiserver_, timeout_, std::move(request), done);
}

void AsyncClient::send(apiserver::Request request) {
  call(std::move(request), [](apiserver::Response&) {});
}

}  // namespace kactor::client
