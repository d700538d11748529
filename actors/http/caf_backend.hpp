// ApiBackend over CAF: the bridge between the HTTP server's I/O threads and the API server
// actor. Calls go through a few relay actors (AsyncClient, finite timeout); watches are shared
// out over as many multiplexer actors, each holding many watches and receiving their events
// from the API server in one message per round (WatchEventsBatch).
// I/O threads only send messages: no CAF worker ever waits on a socket, no I/O thread waits on
// an actor.
#pragma once

#include <atomic>
#include <chrono>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/http/backend.hpp"

namespace kactor::http {

class CafBackend final : public ApiBackend {
 public:
  /// `relays` actors share the calls (one is plenty for a few thousand requests per second
  /// each; more spread the callbacks' work over CAF's workers), and as many multiplexers the
  /// watches.
  CafBackend(caf::actor_system& system, caf::actor apiserver, size_t relays = 4,
             std::chrono::milliseconds timeout = std::chrono::seconds(60));
  ~CafBackend() override;

  void call(apiserver::Request request, Done done) override;
  std::shared_ptr<WatchControl> watch(apiserver::WatchRequest request,
                                      WatchObserver observer) override;
  void shutdown() override;

 private:
  caf::actor_system& system_;
  caf::actor apiserver_;
  std::chrono::milliseconds timeout_;
  std::vector<caf::actor> relays_;
  std::vector<caf::actor> muxes_;
  std::atomic<size_t> next_{0};
  std::atomic<uint64_t> next_tag_{1};
  std::atomic<bool> shut_down_{false};
};

}  // namespace kactor::http
