// Clock helpers (RFC 3339) and VirtualClock.
#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "api/time/clock.hpp"
#include "api/time/rfc3339.hpp"
#include "api/time/virtual_clock.hpp"

using namespace std::chrono_literals;
using kactor::Clock;
using kactor::Duration;
using kactor::TimePoint;
using kactor::VirtualClock;

namespace {

TimePoint at(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  return std::chrono::sys_days{std::chrono::year{y} / mo / d} + std::chrono::hours{h} +
         std::chrono::minutes{mi} + std::chrono::seconds{s};
}

}  // namespace

TEST_CASE("format_rfc3339 prints metav1.Time and MicroTime", "[clock]") {
  const TimePoint t = at(2026, 11, 27, 10, 24, 33) + 123456789ns;
  CHECK(kactor::format_rfc3339(t) == "2026-11-27T10:24:33Z");
  CHECK(kactor::format_rfc3339_micro(t) == "2026-11-27T10:24:33.123456Z");
  CHECK(kactor::format_rfc3339_micro(at(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05.000000Z");
  CHECK(kactor::format_rfc3339(TimePoint{}) == "1970-01-01T00:00:00Z");
  // Before the epoch the second is floored, not rounded towards zero.
  CHECK(kactor::format_rfc3339(TimePoint{} - 1ns) == "1969-12-31T23:59:59Z");
  CHECK(kactor::format_rfc3339_micro(TimePoint{} - 1us) == "1969-12-31T23:59:59.999999Z");
}

TEST_CASE("parse_rfc3339 accepts Time, MicroTime and offsets", "[clock]") {
  const TimePoint base = at(2026, 11, 27, 10, 24, 33);
  auto p = kactor::parse_rfc3339("2026-11-27T10:24:33Z");
  REQUIRE(p.has_value());
  CHECK(*p == base);

  p = kactor::parse_rfc3339("2026-11-27T10:24:33.123456Z");
  REQUIRE(p.has_value());
  CHECK(*p == base + 123456us);

  p = kactor::parse_rfc3339("2026-11-27T10:24:33.5Z");
  REQUIRE(p.has_value());
  CHECK(*p == base + 500ms);

  p = kactor::parse_rfc3339("2026-11-27T12:24:33+02:00");
  REQUIRE(p.has_value());
  CHECK(*p == base);

  p = kactor::parse_rfc3339("2026-11-27T05:54:33-04:30");
  REQUIRE(p.has_value());
  CHECK(*p == base);

  p = kactor::parse_rfc3339("2024-02-29T00:00:00Z");  // leap day
  REQUIRE(p.has_value());
  CHECK(kactor::format_rfc3339(*p) == "2024-02-29T00:00:00Z");
}

TEST_CASE("parse_rfc3339 rejects malformed timestamps as BadRequest", "[clock]") {
  for (const char* bad :
       {"", "2026-11-27", "2026-11-27T10:24:33", "2026-11-27 10:24:33Z", "2026-13-01T00:00:00Z",
        "2023-02-29T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T10:60:00Z",
        "2026-11-27T10:24:60Z", "2026-11-27T10:24:33.Z", "2026-11-27T10:24:33.1234567891Z",
        "2026-11-27T10:24:33+0200", "2026-11-27T10:24:33Zjunk", "2026-11-27t10:24:33z",
        "26-11-27T10:24:33Z"}) {
    INFO(bad);
    const auto p = kactor::parse_rfc3339(bad);
    REQUIRE_FALSE(p.has_value());
    CHECK(p.error().code == 400);
    CHECK(p.error().reason == "BadRequest");
    CHECK(p.error().message.find("parsing time") != std::string::npos);
  }
}

TEST_CASE("format and parse round-trip", "[clock]") {
  const TimePoint t = at(2031, 7, 4, 23, 59, 59) + 999999us;
  auto p = kactor::parse_rfc3339(kactor::format_rfc3339_micro(t));
  REQUIRE(p.has_value());
  CHECK(*p == t);
  p = kactor::parse_rfc3339(kactor::format_rfc3339(t));
  REQUIRE(p.has_value());
  CHECK(*p == at(2031, 7, 4, 23, 59, 59));
}

TEST_CASE("VirtualClock starts where told and only moves on advance", "[clock][virtual_clock]") {
  const TimePoint start = at(2026, 11, 27, 10, 0, 0);
  VirtualClock clock(start);
  CHECK(clock.now() == start);
  CHECK(clock.pending() == 0);
  CHECK_FALSE(clock.next_due().has_value());
  CHECK(clock.advance(5s) == 0);
  CHECK(clock.now() == start + 5s);
  CHECK(kactor::format_rfc3339(VirtualClock().now()) == "2026-01-01T00:00:00Z");
}

TEST_CASE("VirtualClock runs timers in due order, ties by scheduling order",
          "[clock][virtual_clock]") {
  VirtualClock clock;
  const TimePoint start = clock.now();
  std::vector<std::string> log;
  auto record = [&](std::string name) {
    return [&, name] { log.push_back(name + "@" + std::to_string((clock.now() - start) / 1ms)); };
  };
  clock.schedule_after(30ms, record("c"));
  clock.schedule_after(10ms, record("a1"));
  clock.schedule_after(10ms, record("a2"));
  clock.schedule_after(20ms, record("b"));
  clock.schedule_after(50ms, record("late"));
  REQUIRE(clock.pending() == 5);
  REQUIRE(clock.next_due() == start + 10ms);

  CHECK(clock.advance(30ms) == 4);
  CHECK(log == std::vector<std::string>{"a1@10", "a2@10", "b@20", "c@30"});
  CHECK(clock.now() == start + 30ms);
  CHECK(clock.pending() == 1);
  CHECK(clock.next_due() == start + 50ms);
}

TEST_CASE("VirtualClock runs timers scheduled by callbacks inside the window",
          "[clock][virtual_clock]") {
  VirtualClock clock;
  const TimePoint start = clock.now();
  std::vector<int64_t> fired_at_ms;
  // A self-rescheduling ticker every 15 ms.
  std::function<void()> tick = [&] {
    fired_at_ms.push_back((clock.now() - start) / 1ms);
    clock.schedule_after(15ms, tick);
  };
  clock.schedule_after(15ms, tick);
  CHECK(clock.advance(50ms) == 3);
  CHECK(fired_at_ms == std::vector<int64_t>{15, 30, 45});
  CHECK(clock.now() == start + 50ms);
  CHECK(clock.next_due() == start + 60ms);

  // A zero delay scheduled from a callback runs within the same advance, at the same instant.
  bool zero_ran = false;
  clock.schedule_after(1ms, [&] {
    clock.schedule_after(0ms, [&] {
      zero_ran = true;
      CHECK(clock.now() == start + 51ms);
    });
  });
  clock.advance(1ms);
  CHECK(zero_ran);
}

TEST_CASE("VirtualClock cancel", "[clock][virtual_clock]") {
  VirtualClock clock;
  int runs = 0;
  const auto a = clock.schedule_after(10ms, [&] { ++runs; });
  const auto b = clock.schedule_after(20ms, [&] { ++runs; });
  CHECK(a != 0);
  CHECK(a != b);
  CHECK(clock.cancel(a));
  CHECK_FALSE(clock.cancel(a));
  CHECK_FALSE(clock.cancel(12345));
  CHECK(clock.pending() == 1);
  clock.advance(1s);
  CHECK(runs == 1);
  CHECK_FALSE(clock.cancel(b));  // already ran

  // A callback cancelling a later timer in the same window.
  Clock::TimerId victim = 0;
  bool victim_ran = false;
  clock.schedule_after(5ms, [&] { CHECK(clock.cancel(victim)); });
  victim = clock.schedule_after(6ms, [&] { victim_ran = true; });
  clock.advance(10ms);
  CHECK_FALSE(victim_ran);
}

TEST_CASE("VirtualClock advance_to_next and zero or negative delays", "[clock][virtual_clock]") {
  VirtualClock clock;
  const TimePoint start = clock.now();
  CHECK(clock.advance_to_next() == 0);
  CHECK(clock.now() == start);

  int runs = 0;
  clock.schedule_after(3s, [&] { ++runs; });
  clock.schedule_after(3s, [&] { ++runs; });
  clock.schedule_after(7s, [&] { ++runs; });
  CHECK(clock.advance_to_next() == 2);
  CHECK(clock.now() == start + 3s);
  CHECK(clock.advance_to_next() == 1);
  CHECK(clock.now() == start + 7s);
  CHECK(runs == 3);

  clock.schedule_after(-5s, [&] { ++runs; });  // never in the past
  CHECK(clock.next_due() == start + 7s);
  CHECK(clock.advance(0s) == 1);
  CHECK(clock.advance(-1s) == 0);
  CHECK(clock.now() == start + 7s);
}

TEST_CASE("VirtualClock accepts timers from many threads", "[clock][virtual_clock]") {
  VirtualClock clock;
  std::atomic<int> runs{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 250; ++i) {
        clock.schedule_after(std::chrono::milliseconds(i + t), [&] { ++runs; });
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(clock.pending() == 1000);
  clock.advance(1s);
  CHECK(runs.load() == 1000);
  CHECK(clock.pending() == 0);
}
