// RealClock: wall time, timers on its own thread, cancel, clean shutdown.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/real_clock.hpp"

using namespace std::chrono_literals;
using kactor::runtime::RealClock;

namespace {

/// Collects callback events and lets the test wait for them with a deadline.
struct Events {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<int> order;
  std::thread::id thread;

  std::function<void()> record(int n) {
    return [this, n] {
      std::lock_guard lock(mutex);
      order.push_back(n);
      thread = std::this_thread::get_id();
      cv.notify_all();
    };
  }
  bool wait_for_count(size_t n, std::chrono::seconds deadline = 10s) {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, deadline, [&] { return order.size() >= n; });
  }
};

}  // namespace

TEST_CASE("RealClock now() follows the system clock", "[real_clock]") {
  RealClock clock;
  const auto before = std::chrono::system_clock::now();
  const auto now = clock.now();
  const auto after = std::chrono::system_clock::now();
  CHECK(now >= std::chrono::time_point_cast<kactor::Duration>(before));
  CHECK(now <= std::chrono::time_point_cast<kactor::Duration>(after));
}

TEST_CASE("RealClock runs timers in due order on its own thread", "[real_clock]") {
  RealClock clock;
  Events events;
  const auto start = std::chrono::steady_clock::now();
  clock.schedule_after(60ms, events.record(3));
  clock.schedule_after(20ms, events.record(1));
  clock.schedule_after(40ms, events.record(2));
  clock.schedule_after(-1s, events.record(0));  // negative: as soon as possible
  REQUIRE(events.wait_for_count(4));
  CHECK(std::chrono::steady_clock::now() - start >= 60ms);
  std::lock_guard lock(events.mutex);
  CHECK(events.order == std::vector<int>{0, 1, 2, 3});
  CHECK(events.thread != std::this_thread::get_id());
  CHECK(clock.pending() == 0);
}

TEST_CASE("RealClock cancel stops a pending timer", "[real_clock]") {
  RealClock clock;
  Events events;
  const auto victim = clock.schedule_after(30ms, events.record(99));
  clock.schedule_after(60ms, events.record(1));
  CHECK(clock.cancel(victim));
  CHECK_FALSE(clock.cancel(victim));
  REQUIRE(events.wait_for_count(1));
  std::lock_guard lock(events.mutex);
  CHECK(events.order == std::vector<int>{1});
}

TEST_CASE("RealClock callbacks may schedule more timers", "[real_clock]") {
  RealClock clock;
  Events events;
  clock.schedule_after(1ms, [&] { clock.schedule_after(1ms, events.record(2)); });
  REQUIRE(events.wait_for_count(1));
}

TEST_CASE("RealClock destructor drops pending timers without waiting for them", "[real_clock]") {
  std::atomic<bool> ran{false};
  const auto start = std::chrono::steady_clock::now();
  {
    RealClock clock;
    clock.schedule_after(1h, [&] { ran = true; });
    CHECK(clock.pending() == 1);
  }
  CHECK_FALSE(ran.load());
  CHECK(std::chrono::steady_clock::now() - start < 5s);
}
