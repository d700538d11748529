// The asynchronous, typed client actors use to talk to the API server: every call
// sends a request and runs a callback with the outcome in the calling actor's own
// context (no blocking, no locks), within a finite timeout.
//
// The timeout is the client's, not CAF's: a CAF request with a timeout costs two events on
// the actor system's one clock thread (set, then cancel on the answer), and at tens of
// thousands of calls a second that thread was what pods waited on (docs/architecture.md,
// "Clients"). Every call of a client has the same timeout, so its calls
// in flight are kept oldest first and one clock timer per client, set for the oldest,
// expires them.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/apiserver/protocol/protocol.hpp"
#include "actors/client/requests.hpp"

namespace spdlog {
class logger;
}

namespace kactor::client {

class AsyncClient {
 public:
  using Callback = std::function<void(apiserver::Response&)>;

  /// Every call is answered within `timeout`: a request the API server does not answer in
  /// time gets a 504 Timeout Status.
  AsyncClient(caf::event_based_actor* self, caf::actor apiserver,
              std::chrono::milliseconds timeout = std::chrono::seconds(30));

  /// Sends any request; `done` gets the response (CAF errors become a Status). If `done`
  /// throws, the exception is logged and dropped: the calling actor goes on.
  void call(apiserver::Request request, Callback done);

  /// Opens a watch; `done` gets the reply (its watch_id, or the error). The events follow as
  /// WatchEvents messages to the calling actor.
  void watch(apiserver::WatchRequest request, Callback done);

  /// Fire and forget: the outcome is dropped (e.g. cancelling a watch).
  void send(apiserver::Request request);

  const caf::actor& apiserver() const { return apiserver_; }

  template <class T>
  using Done = std::function<void(api::Result<std::shared_ptr<const T>>)>;

  template <class T>
  void get(const std::string& namespace_, const std::string& name, Done<T> done) {
    call(request_for(apiserver::Verb::get, T::static_type(), namespace_, name), typed<T>(done));
  }
  template <class T>
  void create(const T& obj, Done<T> done) {
    call(request_with(apiserver::Verb::create, std::make_shared<const T>(obj)), typed<T>(done));
  }
  template <class T>
  void update(const T& obj, Done<T> done) {
    call(request_with(apiserver::Verb::update, std::make_shared<const T>(obj)), typed<T>(done));
  }
  /// A PATCH of `patch_type` (application/merge-patch+json, ...) with `body`.
  template <class T>
  void patch(const std::string& namespace_, const std::string& name, std::string patch_type,
             std::string body, Done<T> done) {
    auto req = request_for(apiserver::Verb::patch, T::static_type(), namespace_, name);
    req.patch_type = std::move(patch_type);
    req.patch_body = std::move(body);
    call(std::move(req), typed<T>(done));
  }
  template <class T>
  void update_status(const T& obj, Done<T> done) {
    call(request_with(apiserver::Verb::update_status, std::make_shared<const T>(obj)),
         typed<T>(done));
  }
  template <class T>
  void remove(const std::string& namespace_, const std::string& name, const DeleteOptions& opts,
              Done<T> done) {
    call(delete_request(T::static_type(), namespace_, name, opts), typed<T>(done));
  }
  template <class T>
  void list(const std::string& namespace_, const ListOptions& opts,
            std::function<void(api::Result<ListResult<T>>)> done) {
    call(list_request(T::static_type(), namespace_, opts), [done](apiserver::Response& r) {
      if (r.error) return done(api::fail(std::move(*r.error)));
      ListResult<T> out{{}, r.resource_version, r.continue_token};
      for (auto& o : r.items) out.items.push_back(std::static_pointer_cast<const T>(o));
      done(std::move(out));
    });
  }

 private:
  template <class T>
  static Callback typed(Done<T> done) {
    return [done](apiserver::Response& r) {
      if (r.error) return done(api::fail(std::move(*r.error)));
      done(std::static_pointer_cast<const T>(r.object));
    };
  }

  template <class Message>
  void ask(Message message, Callback done);

  caf::event_based_actor* self_;
  caf::actor apiserver_;
  std::chrono::milliseconds timeout_;
  /// Where a callback that threw is reported.
  std::shared_ptr<spdlog::logger> log_;
  /// The calls not yet answered or expired, shared with the response handlers.
  struct InFlight;
  std::shared_ptr<InFlight> in_flight_;
};

}  // namespace kactor::client
