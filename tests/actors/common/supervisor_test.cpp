// The supervisor (actors/common/supervisor.hpp) under a VirtualClock: a component that dies
// comes back after the back-off, the back-off doubles while it keeps dying and starts afresh
// after a healthy run, and the supervisor's handle reaches every incarnation.
#include "actors/common/supervisor.hpp"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <vector>

#include <caf/all.hpp>

#include "actors/common/messages.hpp"
#include "api/time/virtual_clock.hpp"
#include "runtime/actor_system.hpp"

using namespace kactor;
using namespace std::chrono_literals;

namespace {

using whoami_atom = caf::atom_constant<caf::atom("whoami")>;

/// Collects a supervisor's events and lets the test wait for them (with a deadline).
struct Recorder {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<actors::SupervisorEvent> events;

  void operator()(const actors::SupervisorEvent& ev) {
    std::lock_guard lock(mutex);
    events.push_back(ev);
    changed.notify_all();
  }
  /// The `n`-th event (from 0), once it happened; fails the test after 10 s.
  actors::SupervisorEvent wait_for(size_t n) {
    std::unique_lock lock(mutex);
    if (!changed.wait_for(lock, 10s, [&] { return events.size() > n; }))
      FAIL("supervisor event " << n << " did not come (" << events.size() << " so far)");
    return events[n];
  }
  size_t count() {
    std::lock_guard lock(mutex);
    return events.size();
  }
};

/// A component whose incarnations answer (whoami_atom) with their number.
struct Fixture {
  Fixture() : clock(TimePoint{} + 1000h) {
    actors::SupervisorOptions options;
    options.on_event = [this](const actors::SupervisorEvent& ev) { recorder(ev); };
    options.stats = stats;
    supervisor = actors::supervise(
        system.get(), clock, "test-component",
        [this] {
          const int number = ++starts;
          return system.get().spawn([number](caf::event_based_actor*) -> caf::behavior {
            return {[number](whoami_atom) { return number; }};
          });
        },
        options);
    REQUIRE(supervisor);
  }
  ~Fixture() {
    if (supervisor) self->send_exit(supervisor, caf::exit_reason::user_shutdown);
  }

  caf::actor child() {
    caf::actor out;
    self->request(supervisor, 10s, actors::supervisor_child_atom::value)
        .receive([&](caf::actor& a) { out = a; },
                 [&](caf::error& e) { FAIL(system.get().render(e)); });
    return out;
  }
  int whoami() {
    int out = 0;
    self->request(supervisor, 10s, whoami_atom::value)
        .receive([&](int n) { out = n; }, [&](caf::error& e) { FAIL(system.get().render(e)); });
    return out;
  }
  void kill_child() {
    auto c = child();
    REQUIRE(c);
    self->send_exit(c, caf::exit_reason::kill);
  }

  runtime::ActorSystem system{2};
  VirtualClock clock;
  caf::scoped_actor self{system.get()};
  Recorder recorder;
  std::shared_ptr<actors::SupervisorStats> stats = std::make_shared<actors::SupervisorStats>();
  std::atomic<int> starts{0};
  caf::actor supervisor;
};

}  // namespace

TEST_CASE("a component that dies is restarted after the back-off, which doubles",
          "[common][supervisor]") {
  Fixture f;
  CHECK(f.whoami() == 1);

  Duration expected = 1s;
  for (int incarnation = 2; incarnation <= 5; ++incarnation) {
    const size_t before = f.recorder.count();
    f.kill_child();
    auto died = f.recorder.wait_for(before);
    CHECK(died.kind == actors::SupervisorEvent::Kind::died);
    CHECK(died.delay == expected);
    // Just short of the back-off nothing fires; at the back-off the restart does.
    CHECK(f.clock.advance(expected - 1ms) == 0);
    CHECK(f.starts == incarnation - 1);
    CHECK(f.clock.advance(1ms) == 1);
    auto restarted = f.recorder.wait_for(before + 1);
    CHECK(restarted.kind == actors::SupervisorEvent::Kind::restarted);
    CHECK(restarted.restarts == static_cast<uint64_t>(incarnation - 1));
    // The supervisor's handle reaches the new incarnation.
    CHECK(f.whoami() == incarnation);
    expected *= 2;
  }
  CHECK(f.stats->deaths == 4);
  CHECK(f.stats->restarts == 4);
}

TEST_CASE("the back-off stops growing at its maximum and starts afresh after a healthy run",
          "[common][supervisor]") {
  Fixture f;
  // Die 10 times in a row: 1, 2, 4, ... s, capped at 5 min.
  Duration expected = 1s;
  for (int i = 0; i < 10; ++i) {
    const size_t before = f.recorder.count();
    f.kill_child();
    CHECK(f.recorder.wait_for(before).delay == expected);
    f.clock.advance(expected);
    f.recorder.wait_for(before + 1);
    expected = std::min<Duration>(expected * 2, 5min);
  }
  CHECK(expected == 5min);
  // Ten minutes of health: the next death waits the initial back-off again.
  f.clock.advance(10min);
  const size_t before = f.recorder.count();
  f.kill_child();
  CHECK(f.recorder.wait_for(before).delay == 1s);
}

TEST_CASE("a component that stops on purpose is not restarted", "[common][supervisor]") {
  Fixture f;
  caf::scoped_actor watcher{f.system.get()};
  watcher->monitor(f.supervisor);
  auto child = f.child();
  f.self->send_exit(child, caf::exit_reason::user_shutdown);
  CHECK(f.recorder.wait_for(0).kind == actors::SupervisorEvent::Kind::stopped);
  bool ended = false;
  watcher->receive([&](caf::down_msg&) { ended = true; }, caf::after(10s) >> [] {});
  CHECK(ended);
  CHECK(f.clock.pending() == 0);  // no restart scheduled
  CHECK(f.starts == 1);
  f.supervisor = caf::actor{};
}

TEST_CASE("stopping the supervisor stops its component", "[common][supervisor]") {
  Fixture f;
  auto child = f.child();
  caf::scoped_actor watcher{f.system.get()};
  watcher->monitor(child);
  f.self->send_exit(f.supervisor, caf::exit_reason::user_shutdown);
  bool ended = false;
  watcher->receive([&](caf::down_msg&) { ended = true; }, caf::after(10s) >> [] {});
  CHECK(ended);
  f.supervisor = caf::actor{};
}

TEST_CASE("a supervisor that is killed takes its component along", "[common][supervisor]") {
  Fixture f;
  auto child = f.child();
  caf::scoped_actor watcher{f.system.get()};
  watcher->monitor(child);
  f.self->send_exit(f.supervisor, caf::exit_reason::kill);
  bool ended = false;
  watcher->receive([&](caf::down_msg&) { ended = true; }, caf::after(10s) >> [] {});
  CHECK(ended);
  f.supervisor = caf::actor{};
}
