// How the HTTP handlers reach the API server: asynchronous calls and watches whose callbacks
// run on any thread. bridge.cpp implements it over CAF (the only CAF in this component);
// nothing here blocks a thread while the API server works.
#pragma once

#include <functional>
#include <memory>

#include "actors/apiserver/protocol/protocol.hpp"

namespace kactor::http {

/// A running watch, as its consumer steers it.
class WatchControl {
 public:
  virtual ~WatchControl() = default;
  /// The consumer has written `count` more events (flow control: the API server ends a watcher
  /// that falls too far behind with 410 Expired).
  virtual void ack(size_t count) = 0;
  /// Ends the watch; no callback runs after it returns... except one already running.
  virtual void cancel() = 0;
};

/// What a watch reports, in this order: started once, then events until closed.
struct WatchObserver {
  /// The API server's answer to the watch: an error (nothing follows) or the start.
  std::function<void(const apiserver::Response&)> started;
  /// One committed batch; `closed` when the watch ends after it (its last message).
  std::function<void(const std::vector<apiserver::WatchEventPtr>&, bool closed)> events;
};

class ApiBackend {
 public:
  virtual ~ApiBackend() = default;
  using Done = std::function<void(apiserver::Response)>;
  /// Sends a request; `done` runs once with the answer (a Status on timeout or when the API
  /// server is gone).
  virtual void call(apiserver::Request request, Done done) = 0;
  /// Opens a watch. `observer.started` runs first, with the reply; events follow.
  virtual std::shared_ptr<WatchControl> watch(apiserver::WatchRequest request,
                                              WatchObserver observer) = 0;
  /// Ends what the backend runs of its own (CafBackend: its relay actors), once the server
  /// serves no more. Called by ServingApi::stop() as well as the destructor: a callback of
  /// a watch still queued on a stopped server can keep the backend object alive, and its
  /// actors must not outlive the server (they would keep the actor system from shutting
  /// down). Idempotent.
  virtual void shutdown() {}
};

}  // namespace kactor::http
