// The fault-injecting runtime (fault_injecting_runtime.cpp): seeded one-in-N start failures
// and crashes over the simulated runtime, alone and under a kubelet, which must cope.
#include <cstdlib>
#include <iostream>

#include "actors/kubelet/fault_injecting_runtime.hpp"
#include "tests/actors/kubelet/fixture.hpp"

using namespace kactor;
using namespace kactor::kubelet;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

/// The seed of a randomized test: KACTOR_TEST_SEED replays one, printed either way.
uint64_t test_seed(uint64_t fallback) {
  const char* env = std::getenv("KACTOR_TEST_SEED");
  uint64_t seed = env ? std::strtoull(env, nullptr, 10) : fallback;
  std::cerr << "fault injection seed: " << seed << " (KACTOR_TEST_SEED=" << seed
            << " replays it)\n";
  return seed;
}

struct Outcome {
  uint64_t started_ok = 0;
  uint64_t refused = 0;
  uint64_t exits_137 = 0;
  InjectedFaults injected;
  bool operator==(const Outcome& o) const {
    return started_ok == o.started_ok && refused == o.refused && exits_137 == o.exits_137 &&
           injected.start_failures == o.injected.start_failures &&
           injected.crashes == o.injected.crashes;
  }
};

/// Starts 400 containers over a fault-injecting simulated runtime, lets 2 minutes pass.
Outcome run(uint64_t seed) {
  VirtualClock clock;
  Outcome out;
  FaultInjectionOptions o;
  o.seed = seed;
  o.start_failure_one_in = 4;
  o.crash_one_in = 3;
  o.crash_within = 60s;
  auto rt = FaultInjectingRuntime::create(
      sim_runtime_factory(), clock,
      [&](RuntimeEvent ev) {
        if (ev.type == RuntimeEvent::Type::exited && ev.exit_code == 137 && ev.reason == "Error")
          ++out.exits_137;
      },
      o);
  for (int i = 0; i < 400; ++i) {
    ContainerConfig c;
    c.pod_uid = "uid-" + std::to_string(i);
    c.container_name = "app";
    if (rt->start_container(c))
      ++out.started_ok;
    else
      ++out.refused;
  }
  clock.advance(2min);
  out.injected = rt->injected();
  return out;
}

}  // namespace

TEST_CASE("the fault-injecting runtime refuses one start in N and crashes one container in N",
          "[kubelet][kubelet-faults]") {
  auto seed = test_seed(42);
  auto a = run(seed);
  CHECK(a.refused == a.injected.start_failures);
  CHECK(a.started_ok + a.refused == 400);
  CHECK(a.exits_137 == a.injected.crashes);
  // One in 4 of 400 and one in 3 of the rest: far from 0 and from all for any seed.
  CHECK(a.refused > 50);
  CHECK(a.refused < 150);
  CHECK(a.injected.crashes > 50);
  CHECK(a.injected.crashes < a.started_ok);
  // The same seed, the same faults.
  CHECK(run(seed) == a);
}

TEST_CASE("a kubelet over a faulty runtime retries refused starts and restarts crashes",
          "[kubelet][kubelet-faults]") {
  KubeletFixture f;
  auto seed = test_seed(7);
  FaultInjectingRuntime* faulty = nullptr;
  FaultInjectionOptions o;
  o.seed = seed;
  o.start_failure_one_in = 2;
  o.crash_one_in = 2;
  o.crash_within = 30s;
  KubeletOptions ko;
  ko.node_name = "node-1";
  ko.runtime = [&](Clock& clock, RuntimeEventSink sink) -> std::unique_ptr<ContainerRuntime> {
    auto rt = FaultInjectingRuntime::create(sim_runtime_factory(), clock, std::move(sink), o);
    faulty = rt.get();
    return rt;
  };
  auto k = f.ready_node(ko, "10.244.1.0/24");
  REQUIRE(faulty);
  std::vector<std::string> names;
  for (int i = 0; i < 8; ++i) {
    names.push_back("p" + std::to_string(i));
    f.create_bound(make_pod("default", names.back()), "node-1");
  }
  REQUIRE(f.eventually([&] {
    for (const auto& n : names)
      if (!f.reported(n)) return false;
    return true;
  }));
  // Ten minutes in steps, each handled before the next (the query): refused starts are
  // retried after their back-off, crashed containers restarted after theirs.
  for (int step = 0; step < 600; ++step) {
    f.clock.advance(1s);
    REQUIRE(f.query(k));
  }
  auto s = f.query(k);
  REQUIRE(s);
  auto injected = faulty->injected();
  INFO("start failures " << injected.start_failures << ", crashes " << injected.crashes);
  REQUIRE(injected.start_failures > 0);
  REQUIRE(injected.crashes > 0);
  int restarts = 0;
  for (const auto& p : s->pods) {
    INFO(p.key);
    REQUIRE(p.containers.size() == 1);
    const auto& c = p.containers[0];
    // Nothing is stuck: every container runs, or waits for its next try.
    CHECK((c.state == "Running" || c.reason == "CrashLoopBackOff" ||
           c.reason == "CreateContainerError" || c.reason == "ContainerCreating"));
    restarts += c.restart_count;
  }
  CHECK(restarts > 0);
  // After the crashes, a pod whose container exited 137 shows it as its last state.
  CHECK(f.eventually([&] {
    for (const auto& n : names) {
      auto pod = f.pod(n);
      if (!pod || pod->status.container_statuses.empty()) continue;
      const auto& last = pod->status.container_statuses[0].last_state.terminated;
      if (last && last->exit_code == 137) return true;
    }
    return false;
  }));
}

TEST_CASE("the fault-injecting runtime forwards logs, and a logged line is no exit",
          "[kubelet][kubelet-faults][kubelet-logs]") {
  VirtualClock clock;
  std::vector<RuntimeEvent> events;
  FaultInjectionOptions o;
  o.seed = test_seed(4);
  o.crash_one_in = 1;  // every container crashes, within 10 s of its start
  o.crash_within = 10s;
  auto rt = FaultInjectingRuntime::create(
      sim_runtime_factory(), clock, [&](RuntimeEvent ev) { events.push_back(ev); }, o);
  ContainerConfig c;
  c.pod_uid = "uid-1";
  c.container_name = "app";
  c.image = "nginx:1.25";
  c.annotations[kLogAnnotation] = "every 100ms: tick";
  auto id = rt->start_container(c);
  REQUIRE(id);
  rt->follow_log(*id, true);
  clock.advance(100ms);  // started
  clock.advance(11s);
  auto logged = std::count_if(events.begin(), events.end(),
                              [](auto& e) { return e.type == RuntimeEvent::Type::logged; });
  CHECK(logged > 0);
  // The crash came although lines were announced before it (a 'logged' event is not an exit).
  CHECK(rt->injected().crashes == 1);
  REQUIRE(events.back().type == RuntimeEvent::Type::exited);
  CHECK(events.back().exit_code == 137);
  auto read = rt->read_log(LogQuery{"uid-1", "app", *id, {}});
  REQUIRE(read);
  CHECK(read->lines.front().text == "started container app (image nginx:1.25, attempt 0)");
  CHECK(static_cast<size_t>(logged) <= read->lines.size());
}
