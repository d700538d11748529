// The per-zone rate-limited tainting queue: FIFO, once per node, a token bucket of burst 1
// at the zone's rate, stopped at rate 0.
#include <catch2/catch.hpp>

#include "actors/controllers/zone_tainter.hpp"

using namespace kactor;
using namespace kactor::actors::controllers;
using namespace std::chrono_literals;

TEST_CASE("zone tainter: one node at once, then one per 1/rate seconds, in order", "[nodelifecycle]") {
  const TimePoint t0{};
  ZoneTainter q;
  q.set_rate(0.1, t0);
  CHECK(q.add("a"));
  CHECK(q.add("b"));
  CHECK_FALSE(q.add("a"));  // queued once
  CHECK(q.add("c"));
  CHECK(q.size() == 3);
  CHECK(q.pop(t0) == "a");  // the bucket starts full
  CHECK_FALSE(q.pop(t0).has_value());
  CHECK(q.next_due(t0) == t0 + 10s);
  CHECK_FALSE(q.pop(t0 + 9s).has_value());
  CHECK(q.pop(t0 + 10s) == "b");
  CHECK(q.remove("c"));
  CHECK(q.empty());
  CHECK_FALSE(q.next_due(t0 + 10s).has_value());
}

TEST_CASE("zone tainter: rate 0 holds the queue, and a new rate starts with a full bucket", "[nodelifecycle]") {
  const TimePoint t0{};
  ZoneTainter q;
  q.set_rate(0.01, t0);
  q.add("a");
  q.add("b");
  CHECK(q.pop(t0) == "a");
  q.set_rate(0, t0 + 1s);
  CHECK_FALSE(q.pop(t0 + 1000s).has_value());
  CHECK_FALSE(q.next_due(t0 + 1000s).has_value());
  q.set_rate(0.1, t0 + 1001s);
  CHECK(q.pop(t0 + 1001s) == "b");
}
