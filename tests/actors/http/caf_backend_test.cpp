// CafBackend's watch multiplexers against a stand-in API server (a scoped actor): a watch
// whose answer comes too late is reported to its stream in time and cancelled when the
// answer does come, so it does not stay registered at the API server.
#include <condition_variable>
#include <mutex>
#include <optional>

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include "actors/apiserver/protocol/messages.hpp"
#include "actors/http/caf_backend.hpp"
#include "runtime/actor_system.hpp"

using namespace kactor;

namespace {

constexpr auto kWait = std::chrono::seconds(10);

/// What a watch's observer saw, for the test thread to wait on.
struct Seen {
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<apiserver::Response> started;
};

}  // namespace

TEST_CASE("caf backend: a watch answered after its timeout fails its stream in time and is cancelled when the answer comes") {
  runtime::ActorSystem system{2};
  caf::scoped_actor apiserver{system.get()};
  http::CafBackend backend(system.get(), caf::actor_cast<caf::actor>(apiserver), 1, std::chrono::milliseconds(50));

  auto seen = std::make_shared<Seen>();
  http::WatchObserver observer;
  observer.started = [seen](const apiserver::Response& r) {
    std::lock_guard lock(seen->mutex);
    seen->started = r;
    seen->changed.notify_all();
  };
  apiserver::WatchRequest wr;
  wr.resource = "pods";
  auto control = backend.watch(wr, observer);

  // The request arrives, batched; the stand-in holds its answer back.
  std::optional<caf::response_promise> answer;
  apiserver->receive(
      [&](apiserver::WatchRequest& got) {
        CHECK(got.batched);
        answer = apiserver->make_response_promise();
      },
      caf::after(kWait) >> [] {});
  REQUIRE(answer.has_value());

  // The stream hears of the timeout without waiting for the answer.
  {
    std::unique_lock lock(seen->mutex);
    REQUIRE(seen->changed.wait_for(lock, kWait, [&] { return seen->started.has_value(); }));
    REQUIRE(seen->started->error.has_value());
    CHECK(seen->started->error->code == 504);
  }

  // The late answer opens watch 42: the multiplexer cancels it at once.
  apiserver::Response late;
  late.watch_id = 42;
  answer->deliver(late);
  std::optional<uint64_t> cancelled;
  apiserver->receive([&](apiserver::cancel_atom, uint64_t id) { cancelled = id; },
                     caf::after(kWait) >> [] {});
  CHECK(cancelled == std::optional<uint64_t>{42});
  backend.shutdown();
}
