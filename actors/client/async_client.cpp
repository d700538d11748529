#include "actors/client/async_client.hpp"

#include <caf/event_based_actor.hpp>

#include "actors/apiserver/protocol/messages.hpp"
#include "actors/client/status.hpp"

namespace kactor::client {

AsyncClient::AsyncClient(caf::event_based_actor* self, caf::actor apiserver,
                         std::chrono::milliseconds timeout)
    : self_(self), apiserver_(std::move(apiserver)), timeout_(timeout) {}

void AsyncClient::call(apiserver::Request request, Callback done) {
  self_->request(apiserver_, timeout_, std::move(request))
      .then([done](apiserver::Response& r) { done(r); },
            [done](caf::error& e) {
              apiserver::Response r;
              r.error = to_status(e);
              done(r);
            });
}

void AsyncClient::watch(apiserver::WatchRequest request, Callback done) {
  self_->request(apiserver_, timeout_, std::move(request))
      .then([done](apiserver::Response& r) { done(r); },
            [done](caf::error& e) {
              apiserver::Response r;
              r.error = to_status(e);
              done(r);
            });
}

void AsyncClient::send(apiserver::Request request) {
  call(std::move(request), [](apiserver::Response&) {});
}

}  // namespace kactor::client
