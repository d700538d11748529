// Events expire after --event-ttl (upstream: one hour, by etcd lease): the API server deletes
// those last written longer ago on a Clock-driven sweep and at start-up, so Events left from
// before a restart go too (actors/apiserver/event_ttl.hpp).
#include "tests/support/temp_dir.hpp"
#include "actors/apiserver/event_ttl.hpp"

#include <unistd.h>

#include <filesystem>
#include <thread>

#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

api::Event make_event(const std::string& name) {
  api::Event e;
  e.metadata.namespace_ = "default";
  e.metadata.name = name;
  e.involved_object.kind = "Pod";
  e.involved_object.namespace_ = "default";
  e.involved_object.name = "web";
  e.reason = "FailedScheduling";
  e.message = "0/0 nodes are available";
  e.type = "Warning";
  e.count = 1;
  return e;
}

apiserver::ApiServerOptions ttl_options() {
  apiserver::ApiServerOptions o;
  o.event_ttl = 1h;
  o.event_ttl_sweep_interval = 1min;
  return o;
}

/// Waits (10 s at most) until the Event `name` is gone.
bool gone_eventually(client::BlockingClient& client, const std::string& name) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto got = client.get<api::Event>("default", name);
    if (!got && got.error().reason == "NotFound") return true;
    std::this_thread::yield();
  }
  return false;
}


/// An API server over the store in `dir`, its clock starting at `start`.
struct Plane {
  Plane(const std::filesystem::path& dir, TimePoint start) : clock(start) {
    runtime::ControlPlaneOptions o;
    o.clock = &clock;
    o.apiserver = ttl_options();
    o.data_dir = dir.string();
    auto started = runtime::ControlPlane::start(system.get(), o);
    REQUIRE(started.has_value());
    plane = std::move(*started);
    client = std::make_unique<client::BlockingClient>(system.get(), plane->apiserver());
  }
  runtime::ActorSystem system{2};
  VirtualClock clock;
  std::unique_ptr<runtime::ControlPlane> plane;
  std::unique_ptr<client::BlockingClient> client;
};

}  // namespace

TEST_CASE("an Event's last activity is the latest time it records", "[apiserver][event-ttl]") {
  auto e = make_event("e");
  e.metadata.creation_timestamp.value = test_epoch();
  CHECK(apiserver::event_last_activity(e) == test_epoch());
  e.last_timestamp.value = test_epoch() + 50min;
  CHECK(apiserver::event_last_activity(e) == test_epoch() + 50min);
  e.series = api::EventSeries{};
  e.series->last_observed_time.value = test_epoch() + 55min;
  CHECK(apiserver::event_last_activity(e) == test_epoch() + 55min);
}

TEST_CASE("Events older than the TTL are deleted by the periodic sweep", "[apiserver][event-ttl]") {
  ApiFixture f(ttl_options());
  REQUIRE(f.client->create(make_event("old")).has_value());
  REQUIRE(f.client->create(make_event("repeated")).has_value());
  f.clock.advance(30min);
  REQUIRE(f.client->create(make_event("young")).has_value());
  // "repeated" happens again: its recorder bumps count and lastTimestamp, and the TTL counts
  // from there.
  auto repeated = f.client->get<api::Event>("default", "repeated");
  REQUIRE(repeated.has_value());
  auto again = **repeated;
  again.count = 2;
  again.last_timestamp.value = f.clock.now();
  REQUIRE(f.client->update(again).has_value());
  CHECK(f.client->get<api::Event>("default", "old").has_value());

  f.clock.advance(31min);  // 61 min after "old", 31 after the others
  CHECK(gone_eventually(*f.client, "old"));
  CHECK(f.client->get<api::Event>("default", "young").has_value());
  CHECK(f.client->get<api::Event>("default", "repeated").has_value());
  // Other kinds are not touched.
  CHECK(f.client->get<api::Namespace>("", "default").has_value());
}

TEST_CASE("Events expired while the API server was down are deleted at start-up",
          "[apiserver][event-ttl]") {
  TempDir dir{"kactor-event-ttl"};
  {
    Plane first(dir.path(), test_epoch());
    REQUIRE(first.client->create(make_event("before-restart")).has_value());
  }
  {
    // Half an hour later it is still young, and a second one is recorded.
    Plane second(dir.path(), test_epoch() + 30min);
    CHECK(second.client->get<api::Event>("default", "before-restart").has_value());
    REQUIRE(second.client->create(make_event("after-restart")).has_value());
  }
  // 75 minutes after the first, 45 after the second: the start-up sweep removes only the
  // first, before the first request is answered (no timer has fired).
  Plane third(dir.path(), test_epoch() + 75min);
  auto got = third.client->get<api::Event>("default", "before-restart");
  REQUIRE_FALSE(got.has_value());
  CHECK(got.error().reason == "NotFound");
  CHECK(third.client->get<api::Event>("default", "after-restart").has_value());
}

TEST_CASE("an event TTL of zero keeps Events for ever", "[apiserver][event-ttl]") {
  apiserver::ApiServerOptions o;
  o.event_ttl = Duration::zero();
  ApiFixture f(o);
  REQUIRE(f.client->create(make_event("kept")).has_value());
  CHECK(f.clock.advance(24h) > 0);
  REQUIRE(f.client->create(make_event("marker")).has_value());
  CHECK(f.client->get<api::Event>("default", "kept").has_value());
}
