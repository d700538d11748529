// The event correlator: repeats are counted, similar events combined, floods throttled,
// with client-go's numbers (10 similar events per 10 minutes, 25 per object, 1 per 5 min).
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "actors/client/event_correlator.hpp"

using namespace kactor;
using client::EventCorrelator;
using Action = EventCorrelator::Action;

namespace {

TimePoint at(int seconds) {
  return TimePoint{} + std::chrono::hours(24 * 365 * 50) + std::chrono::seconds(seconds);
}

api::Event event_about(const std::string& object, const std::string& message, int seconds,
                       int serial) {
  api::Event e;
  e.metadata.namespace_ = "default";
  e.metadata.name = fmt::format("{}.{}", object, serial);
  e.involved_object.kind = "ReplicationController";
  e.involved_object.api_version = "v1";
  e.involved_object.namespace_ = "default";
  e.involved_object.name = object;
  e.involved_object.uid = "uid-" + object;
  e.source.component = "replication-controller";
  e.type = "Normal";
  e.reason = "SuccessfulCreate";
  e.message = message;
  e.count = 1;
  e.first_timestamp = e.last_timestamp = api::Time{at(seconds)};
  return e;
}

}  // namespace

TEST_CASE("a repeated event is written once, then patched with a growing count", "[events]") {
  EventCorrelator c;
  auto first = c.correlate(event_about("web", "Created pod: web-a", 0, 1), at(0));
  REQUIRE(first.action == Action::create);
  CHECK(first.event.metadata.name == "web.1");
  CHECK(first.event.count == 1);
  auto again = c.correlate(event_about("web", "Created pod: web-a", 5, 2), at(5));
  REQUIRE(again.action == Action::patch);
  CHECK(again.event.metadata.name == "web.1");  // the event already written
  CHECK(again.event.count == 2);
  CHECK(again.event.first_timestamp == api::Time{at(0)});
  CHECK(again.event.last_timestamp == api::Time{at(5)});
}

TEST_CASE("from the tenth distinct message within ten minutes, similar events are combined",
          "[events]") {
  EventCorrelator c;
  for (int i = 1; i <= 9; ++i) {
    auto r = c.correlate(event_about("web", fmt::format("Created pod: web-{}", i), i, i), at(i));
    REQUIRE(r.action == Action::create);
    CHECK(r.event.message == fmt::format("Created pod: web-{}", i));
  }
  // Messages seen before are no new distinct ones: repeats, patched, never combined.
  for (int i = 1; i <= 3; ++i) {
    auto again = c.correlate(event_about("web", "Created pod: web-5", 9, 50 + i), at(9));
    REQUIRE(again.action == Action::patch);
    CHECK(again.event.message == "Created pod: web-5");
    CHECK(again.event.count == i + 1);
  }
  auto tenth = c.correlate(event_about("web", "Created pod: web-10", 10, 10), at(10));
  REQUIRE(tenth.action == Action::create);
  CHECK(tenth.event.message == "(combined from similar events): Created pod: web-10");
  auto eleventh = c.correlate(event_about("web", "Created pod: web-11", 11, 11), at(11));
  REQUIRE(eleventh.action == Action::patch);
  CHECK(eleventh.event.metadata.name == "web.10");
  CHECK(eleventh.event.count == 2);
  CHECK(eleventh.event.message == "(combined from similar events): Created pod: web-11");

  // Another reason about the same object is not combined with these.
  auto other = event_about("web", "Deleted pod: web-1", 12, 12);
  other.reason = "SuccessfulDelete";
  CHECK(c.correlate(other, at(12)).event.message == "Deleted pod: web-1");

  // Ten minutes of quiet start the count again.
  auto later = c.correlate(event_about("web", "Created pod: web-99", 700, 99), at(700));
  CHECK(later.event.message == "Created pod: web-99");
}

TEST_CASE("one source writes at most 25 events about one object, then one per five minutes",
          "[events]") {
  EventCorrelator c;
  int written = 0;
  for (int i = 0; i < 40; ++i) {
    auto r = c.correlate(event_about("web", fmt::format("m{}", i), 0, i), at(0));
    if (r.action != Action::drop) ++written;
  }
  CHECK(written == 25);
  CHECK(c.correlate(event_about("web", "x", 299, 100), at(299)).action == Action::drop);
  CHECK(c.correlate(event_about("web", "y", 300, 101), at(300)).action != Action::drop);
  CHECK(c.correlate(event_about("web", "z", 301, 102), at(301)).action == Action::drop);
  // Another object has its own allowance.
  CHECK(c.correlate(event_about("db", "m", 301, 103), at(301)).action == Action::create);
}

TEST_CASE("each cache forgets its least recently used entry beyond its size", "[events]") {
  EventCorrelator c(client::EventCorrelatorOptions{.cache_size = 2});
  int serial = 0;
  auto say = [&](const std::string& object, int seconds) {
    return c.correlate(event_about(object, "Created pod: " + object + "-a", seconds, ++serial),
                       at(seconds));
  };
  REQUIRE(say("a", 0).action == Action::create);
  REQUIRE(say("b", 1).action == Action::create);
  // a is used again, so b is now the least recently used: c's entry pushes b out.
  CHECK(say("a", 2).action == Action::patch);
  REQUIRE(say("c", 3).action == Action::create);
  CHECK(say("a", 4).action == Action::patch);
  auto b = say("b", 5);
  CHECK(b.action == Action::create);  // forgotten: written again as a new event
  CHECK(b.event.count == 1);
  // b's new entry pushed out c (a was used at 4); a is still remembered, with its count.
  auto a = say("a", 6);
  REQUIRE(a.action == Action::patch);
  CHECK(a.event.count == 4);
  CHECK(say("c", 7).action == Action::create);
}
