// The busy meters (actors/common/busy.hpp): every guarded handler's run is counted, with its
// time, under its component, and the totals reach /metrics.
#include "actors/common/busy.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <thread>

#include <caf/all.hpp>

#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "runtime/actor_system.hpp"
#include "telemetry/registry.hpp"

using namespace kactor;

namespace {

using work_atom = caf::atom_constant<caf::atom("work")>;

constexpr auto kWork = std::chrono::milliseconds(2);

/// Keeps the handler's thread busy for at least `kWork` (the meter's lower bound).
void spin_for_work() {
  const auto until = std::chrono::steady_clock::now() + kWork;
  while (std::chrono::steady_clock::now() < until) {
  }
}

/// Answers (work_atom, throw?) -> int after kWork of work, throwing when asked.
auto working_handler() {
  return [](work_atom, bool fail) -> int {
    spin_for_work();
    if (fail) throw std::runtime_error("failed on purpose");
    return 1;
  };
}

actors::BusyTotals totals_of(const std::string& component) {
  for (auto& t : actors::busy_totals())
    if (t.component == component) return t;
  return {component, 0, 0};
}

/// Sends `n` work requests (the last `failing` of them throwing) and waits for each answer.
void ask(caf::actor_system& system, const caf::actor& actor, int n, int failing = 0) {
  caf::scoped_actor self{system};
  for (int i = 0; i < n; ++i)
    self->request(actor, std::chrono::seconds(10), work_atom::value, i >= n - failing)
        .receive([](int) {}, [](caf::error&) {});
}

}  // namespace

TEST_CASE("each guarded handler run counts one message and its time under the logger's name",
          "[common][busy]") {
  runtime::ActorSystem system{1};
  const auto before = totals_of("busy-test-a");
  auto actor = system.get().spawn([](caf::event_based_actor*) {
    return actors::guarded(actors::logger("busy-test-a"), working_handler());
  });
  ask(system.get(), actor, 3, 1);  // the one that throws is counted too
  const auto after = totals_of("busy-test-a");
  CHECK(after.messages - before.messages == 3);
  CHECK(after.nanoseconds - before.nanoseconds >=
        3 * static_cast<uint64_t>(std::chrono::nanoseconds(kWork).count()));
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
}

TEST_CASE("guarded_as counts into the meter it is given, not the logger's", "[common][busy]") {
  runtime::ActorSystem system{1};
  const auto logger_before = totals_of("busy-test-shared");
  const auto own_before = totals_of("busy-test-own");
  auto actor = system.get().spawn([](caf::event_based_actor*) {
    return actors::guarded_as(actors::logger("busy-test-shared"),
                              actors::busy_meter("busy-test-own"), working_handler());
  });
  ask(system.get(), actor, 2);
  CHECK(totals_of("busy-test-own").messages - own_before.messages == 2);
  CHECK(totals_of("busy-test-shared").messages == logger_before.messages);
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
}

TEST_CASE("a component's meter is one series whichever thread asks and is rendered at /metrics",
          "[common][busy]") {
  actors::BusyMeter* here = &actors::busy_meter("busy-test-render");
  actors::BusyMeter* there = nullptr;
  std::thread other([&] { there = &actors::busy_meter("busy-test-render"); });
  other.join();
  CHECK(here == there);

  const auto before = totals_of("busy-test-render");
  here->messages.inc(5);
  here->nanoseconds.inc(7);
  const auto text = telemetry::Registry::global().render();
  const auto series = [](const char* name, uint64_t value) {
    return std::string(name) + "{component=\"busy-test-render\"} " + std::to_string(value);
  };
  CHECK(text.find(series("kactor_component_messages_total", before.messages + 5)) !=
        std::string::npos);
  CHECK(text.find(series("kactor_component_busy_nanoseconds_total", before.nanoseconds + 7)) !=
        std::string::npos);
}
