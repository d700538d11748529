// Scheduling queue: priority/arrival order, backoff doubling and the unschedulable
// pool, driven by a VirtualClock.
#include <catch2/catch.hpp>

#include "actors/scheduler/queue.hpp"
#include "api/time/virtual_clock.hpp"
#include "tests/actors/scheduler/fixture.hpp"

using namespace kactor;
using namespace kactor::scheduler;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

std::shared_ptr<const api::Pod> pod(const std::string& name, int32_t priority = 0) {
  auto p = make_request_pod(name, nullptr, nullptr);
  p.spec.priority = priority;
  return std::make_shared<const api::Pod>(p);
}

std::string pop_name(SchedulingQueue& q, TimePoint now) {
  auto qp = q.pop(now);
  return qp ? qp->pod->metadata.name : "";
}

}  // namespace

TEST_CASE("activeQ pops by priority, then by arrival", "[scheduler][queue]") {
  VirtualClock clock;
  SchedulingQueue q;
  q.add(pod("low-1"), clock.now());
  clock.advance(1ms);
  q.add(pod("high", 10), clock.now());
  clock.advance(1ms);
  q.add(pod("low-2"), clock.now());
  q.add(pod("mid", 5), clock.now());
  CHECK(pop_name(q, clock.now()) == "high");
  CHECK(pop_name(q, clock.now()) == "mid");
  CHECK(pop_name(q, clock.now()) == "low-1");
  CHECK(pop_name(q, clock.now()) == "low-2");
  CHECK_FALSE(q.pop(clock.now()).has_value());
}

TEST_CASE("backoff doubles per attempt up to the maximum", "[scheduler][queue]") {
  SchedulingQueue q;
  CHECK(q.backoff_duration(1) == 1s);
  CHECK(q.backoff_duration(2) == 2s);
  CHECK(q.backoff_duration(3) == 4s);
  CHECK(q.backoff_duration(4) == 8s);
  CHECK(q.backoff_duration(5) == 10s);
  CHECK(q.backoff_duration(9) == 10s);

  VirtualClock clock;
  q.add(pod("p"), clock.now());
  for (int attempt = 1; attempt <= 5; ++attempt) {
    auto qp = q.pop(clock.now());
    REQUIRE(qp);
    CHECK(qp->attempts == attempt);
    q.add_unschedulable(qp->key, clock.now());
    CHECK(q.unschedulable_size() == 1);
    // A cluster event: the pod still backs off before it is active again.
    q.move_all_to_active_or_backoff(clock.now());
    CHECK(q.backoff_size() == 1);
    auto wait = q.backoff_duration(attempt);
    clock.advance(wait - 1ms);
    q.flush_backoff(clock.now());
    CHECK(q.active_size() == 0);
    clock.advance(1ms);
    q.flush_backoff(clock.now());
    CHECK(q.active_size() == 1);
  }
}

TEST_CASE("unschedulable pods return after the flush timeout or a spec change",
          "[scheduler][queue]") {
  VirtualClock clock;
  SchedulingQueue q;
  q.add(pod("a"), clock.now());
  q.add(pod("b"), clock.now());
  auto a = q.pop(clock.now());
  auto b = q.pop(clock.now());
  q.add_unschedulable(a->key, clock.now());
  q.add_unschedulable(b->key, clock.now());
  CHECK(q.unschedulable_size() == 2);

  clock.advance(5min);
  q.flush_unschedulable(clock.now());
  CHECK(q.unschedulable_size() == 2);  // not longer than 5 minutes yet
  clock.advance(1s);
  // b's spec changes: it goes back at once.
  auto changed = make_request_pod("b", "1", nullptr);
  q.update(std::make_shared<const api::Pod>(changed), clock.now());
  CHECK(q.unschedulable_size() == 1);
  CHECK(q.active_size() == 1);
  // A status-only change does not move a.
  auto status_only = *a->pod;
  status_only.status.phase = "Pending";
  q.update(std::make_shared<const api::Pod>(status_only), clock.now());
  CHECK(q.unschedulable_size() == 1);
  q.flush_unschedulable(clock.now());
  CHECK(q.unschedulable_size() == 0);
  CHECK(q.active_size() == 2);
}

TEST_CASE("a pod failing while a cluster event happened goes to backoffQ", "[scheduler][queue]") {
  VirtualClock clock;
  SchedulingQueue q;
  q.add(pod("p"), clock.now());
  auto qp = q.pop(clock.now());
  q.move_all_to_active_or_backoff(clock.now());  // e.g. a node was added meanwhile
  q.add_unschedulable(qp->key, clock.now());
  CHECK(q.unschedulable_size() == 0);
  CHECK(q.backoff_size() == 1);
  // A deleted in-flight pod is not queued again.
  q.add(pod("gone"), clock.now());
  auto g = q.pop(clock.now());
  q.remove(g->key);
  q.add_unschedulable(g->key, clock.now());
  CHECK_FALSE(q.contains(g->key));
}
