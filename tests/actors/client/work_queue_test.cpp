// The controller work queue and its rate limiter, driven by a VirtualClock.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "actors/client/rate_limiter.hpp"
#include "actors/client/work_queue.hpp"
#include "api/time/virtual_clock.hpp"
#include "telemetry/registry.hpp"

using namespace std::chrono_literals;
using kactor::Duration;
using kactor::VirtualClock;
using kactor::client::RateLimiter;
using kactor::client::WorkQueue;

namespace {

/// A queue wired the way an owning actor wires it: every wakeup request becomes a clock timer
/// that calls pump(). Records the requested delays.
struct Harness {
  VirtualClock clock;
  std::vector<Duration> requests;
  WorkQueue queue{clock, [this](Duration d) {
                    requests.push_back(d);
                    clock.schedule_after(d, [this] { queue.pump(); });
                  }};

  std::vector<std::string> drain() {
    std::vector<std::string> out;
    while (auto key = queue.get()) {
      out.push_back(*key);
      queue.done(*key);
    }
    return out;
  }
};

using Keys = std::vector<std::string>;

}  // namespace

TEST_CASE("work queue hands out keys FIFO and de-duplicates", "[work_queue]") {
  Harness h;
  auto& q = h.queue;
  CHECK_FALSE(q.get().has_value());
  q.add("ns/a");
  q.add("ns/b");
  q.add("ns/a");
  q.add("ns/c");
  q.add("ns/b");
  CHECK(q.size() == 3);
  CHECK(h.drain() == Keys{"ns/a", "ns/b", "ns/c"});
  CHECK(q.size() == 0);
  CHECK(q.processing() == 0);
}

TEST_CASE("work queue re-queues a key added while it is processing", "[work_queue]") {
  Harness h;
  auto& q = h.queue;
  q.add("ns/a");
  q.add("ns/b");
  auto a = q.get();
  REQUIRE(a == "ns/a");
  CHECK(q.processing() == 1);

  q.add("ns/a");  // dirty while processing: not handed out twice concurrently
  q.add("ns/a");
  CHECK(q.size() == 1);
  auto b = q.get();
  REQUIRE(b == "ns/b");
  CHECK_FALSE(q.get().has_value());

  q.done("ns/a");  // now it comes back, once
  CHECK(q.size() == 1);
  q.done("ns/b");
  CHECK(h.drain() == Keys{"ns/a"});

  // done() of a key that is not processing changes nothing.
  q.add("ns/c");
  q.done("ns/c");
  CHECK(q.size() == 1);
  CHECK(h.drain() == Keys{"ns/c"});
}

TEST_CASE("work queue shut_down drains queued keys and refuses new ones", "[work_queue]") {
  Harness h;
  auto& q = h.queue;
  q.add("ns/a");
  q.add_after("ns/later", 1s);
  q.shut_down();
  CHECK(q.shutting_down());
  q.add("ns/b");
  q.add_rate_limited("ns/c");
  CHECK(q.delayed() == 0);
  h.clock.advance(2s);
  CHECK(h.drain() == Keys{"ns/a"});
  CHECK_FALSE(q.get().has_value());
}

TEST_CASE("work queue add_after delivers at the due time and asks for wakeups", "[work_queue]") {
  Harness h;
  auto& q = h.queue;
  q.add_after("ns/slow", 300ms);
  q.add_after("ns/fast", 100ms);
  q.add_after("ns/mid", 200ms);
  q.add_after("ns/now", 0ms);     // immediate
  q.add_after("ns/slow", 500ms);  // already due sooner: keeps 300 ms
  CHECK(q.delayed() == 3);
  CHECK(h.drain() == Keys{"ns/now"});
  // Only requests that bring the next wakeup forward are made.
  CHECK(h.requests == std::vector<Duration>{300ms, 100ms});

  h.clock.advance(99ms);
  CHECK(q.size() == 0);
  h.clock.advance(1ms);
  CHECK(h.drain() == Keys{"ns/fast"});
  h.clock.advance(100ms);
  CHECK(h.drain() == Keys{"ns/mid"});
  h.clock.advance(100ms);
  CHECK(h.drain() == Keys{"ns/slow"});
  CHECK(q.delayed() == 0);
  // After 100 ms: next is mid (+100 ms). After 200 ms: slow is already requested (at 300 ms).
  CHECK(h.requests == std::vector<Duration>{300ms, 100ms, 100ms});
  CHECK(h.clock.pending() == 0);

  // Moving a key earlier replaces its due time.
  q.add_after("ns/x", 10s);
  q.add_after("ns/x", 1s);
  h.clock.advance(1s);
  CHECK(h.drain() == Keys{"ns/x"});
  h.clock.advance(10s);
  CHECK(h.drain().empty());
}

TEST_CASE("work queue pump is harmless when early or extra", "[work_queue]") {
  Harness h;
  auto& q = h.queue;
  q.add_after("ns/a", 50ms);
  q.pump();  // spurious: nothing is due
  CHECK(q.size() == 0);
  q.pump();
  h.clock.advance(50ms);
  CHECK(h.drain() == Keys{"ns/a"});
  q.pump();
  CHECK(q.size() == 0);
}

TEST_CASE("work queue equal due times keep insertion order", "[work_queue]") {
  Harness h;
  auto& q = h.queue;
  for (const char* k : {"ns/3", "ns/1", "ns/2"}) q.add_after(k, 10ms);
  h.clock.advance(10ms);
  CHECK(h.drain() == Keys{"ns/3", "ns/1", "ns/2"});
}

TEST_CASE("rate limiter back-off doubles from 5 ms to a 1000 s cap", "[work_queue][rate_limiter]") {
  VirtualClock clock;
  RateLimiter limiter(clock);
  Duration expected = 5ms;
  for (int i = 0; i < 18; ++i) {
    INFO("failure " << i);
    CHECK(limiter.peek_backoff("ns/a") == expected);
    CHECK(limiter.when("ns/a") == expected);
    CHECK(limiter.num_requeues("ns/a") == i + 1);
    expected *= 2;
  }
  // 5 ms * 2^18 = 1310.72 s > 1000 s.
  CHECK(limiter.when("ns/a") == 1000s);
  for (int i = 0; i < 100; ++i) limiter.when("ns/a");  // no overflow however many failures
  CHECK(limiter.when("ns/a") == 1000s);

  clock.advance(1h);                   // refill the token bucket these 120 calls drained
  CHECK(limiter.when("ns/b") == 5ms);  // per key
  limiter.forget("ns/a");
  CHECK(limiter.num_requeues("ns/a") == 0);
  CHECK(limiter.when("ns/a") == 5ms);
}

TEST_CASE("rate limiter token bucket: burst 100 then 10 per second", "[work_queue][rate_limiter]") {
  VirtualClock clock;
  RateLimiter limiter(clock);
  for (int i = 0; i < 100; ++i) CHECK(limiter.when("k" + std::to_string(i)) == 5ms);
  CHECK(limiter.when("k100") == 100ms);
  CHECK(limiter.when("k101") == 200ms);
  clock.advance(1s);                         // refills 10 tokens, but 2 are owed
  CHECK(limiter.when("k102") == 0ms + 5ms);  // 8 left: only the back-off applies
}

TEST_CASE("work queue add_rate_limited backs off 5ms, 10ms, 20ms... and forget resets",
          "[work_queue]") {
  Harness h;
  auto& q = h.queue;
  const auto start = h.clock.now();
  auto t = start;
  Duration expected = 5ms;
  for (int i = 0; i < 8; ++i) {
    INFO("attempt " << i);
    q.add_rate_limited("ns/flaky");  // reconcile failed: retry later
    CHECK(q.num_requeues("ns/flaky") == i + 1);
    CHECK(h.clock.advance_to_next() == 1);
    CHECK(h.clock.now() - t == expected);
    t = h.clock.now();
    auto key = q.get();
    REQUIRE(key == "ns/flaky");
    q.done(*key);
    expected *= 2;
  }
  q.forget("ns/flaky");
  CHECK(q.num_requeues("ns/flaky") == 0);
  q.add_rate_limited("ns/flaky");
  h.clock.advance_to_next();
  CHECK(h.clock.now() - t == 5ms);
  CHECK(h.drain() == Keys{"ns/flaky"});
}

TEST_CASE("work queue token bucket spreads a burst of 200 keys", "[work_queue]") {
  Harness h;
  auto& q = h.queue;
  for (int i = 0; i < 200; ++i) q.add_rate_limited("ns/k" + std::to_string(i));
  CHECK(q.delayed() == 200);
  // The first 100 ride the burst (only the 5 ms back-off), then one more per 100 ms.
  h.clock.advance(5ms);
  auto got = h.drain();
  REQUIRE(got.size() == 100);
  CHECK(got.front() == "ns/k0");
  CHECK(got.back() == "ns/k99");
  h.clock.advance(94ms);  // t = 99 ms
  CHECK(q.size() == 0);
  h.clock.advance(1ms);  // t = 100 ms
  CHECK(h.drain() == Keys{"ns/k100"});
  h.clock.advance(400ms);  // t = 500 ms
  CHECK(h.drain() == Keys{"ns/k101", "ns/k102", "ns/k103", "ns/k104"});
  h.clock.advance(9500ms);  // t = 10 s: the last key (100 tokens owed) is out
  CHECK(h.drain().size() == 95);
  CHECK(q.delayed() == 0);
  // One wakeup per distinct due time at most (plus the initial one), never a flood.
  CHECK(h.requests.size() <= 102);
  CHECK(h.clock.pending() == 0);
}

TEST_CASE("work queue reports its depth and adds under its name", "[work_queue]") {
  auto& registry = kactor::telemetry::Registry::global();
  // A name no other queue of this process uses.
  auto& depth = registry.gauge("workqueue_depth", "Current depth of workqueue",
                               {{"name", "work-queue-test"}});
  auto& adds = registry.counter("workqueue_adds_total", "Total number of adds handled by workqueue",
                                {{"name", "work-queue-test"}});
  {
    Harness h;
    h.queue.report_as("work-queue-test");
    h.queue.add("a");
    h.queue.add("b");
    h.queue.add("a");  // already queued: not an add
    CHECK(depth.value() == 2);
    CHECK(adds.value() == 2);
    auto key = h.queue.get();
    REQUIRE(key);
    CHECK(depth.value() == 1);
    h.queue.add(*key);  // processing: counted, queued again only when done
    CHECK(adds.value() == 3);
    CHECK(depth.value() == 1);
    h.queue.done(*key);
    CHECK(depth.value() == 2);
    h.queue.add_after("c", 1s);  // delayed keys are not in the depth until due
    CHECK(depth.value() == 2);
    h.clock.advance(1s);
    CHECK(depth.value() == 3);
    CHECK(adds.value() == 4);
  }
  // A queue that goes takes its part of the depth with it.
  CHECK(depth.value() == 0);
  CHECK(registry.render().find("workqueue_depth{name=\"work-queue-test\"} 0\n") !=
        std::string::npos);
}
