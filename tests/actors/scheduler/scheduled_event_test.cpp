// The scheduler tells of a successful bind as upstream does: a Normal "Scheduled" Event
// "Successfully assigned <ns>/<pod> to <node>" from default-scheduler, and counts the attempt
// in scheduler_schedule_attempts_total / scheduler_scheduling_attempt_duration_seconds.
#include <catch2/catch.hpp>

#include "actors/client/informer.hpp"
#include "actors/client/messages.hpp"
#include "actors/common/context.hpp"
#include "actors/scheduler/scheduler.hpp"
#include "api/types/event.hpp"
#include "telemetry/registry.hpp"
#include "tests/actors/scheduler/fixture.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;

TEST_CASE("the scheduler records Scheduled after the bind and counts the attempt",
          "[scheduler][scheduler_actor]") {
  ApiFixture f;
  auto node = make_node("n1", "2", "4Gi");
  auto created_node = f.client->create(node);
  REQUIRE(created_node.has_value());
  // The status subresource is dropped on create: write it explicitly.
  node.metadata = (*created_node)->metadata;
  REQUIRE(f.client->update_status(node).has_value());

  client::InformerFactory informers(f.system.get(), f.plane->apiserver(), f.clock);
  actors::Context ctx;
  ctx.system = &f.system.get();
  ctx.apiserver = &f.plane->apiserver();
  ctx.clock = &f.clock;
  ctx.informers = &informers;
  ctx.seed = 42;
  INFO("seed " << ctx.seed);
  // A profile name of its own, so that other tests in this process count elsewhere.
  scheduler::SchedulerOptions opts;
  opts.scheduler_name = "event-test-scheduler";
  auto& scheduled = telemetry::Registry::global().counter(
      "scheduler_schedule_attempts_total", "",
      {{"profile", "event-test-scheduler"}, {"result", "scheduled"}});
  const auto before = scheduled.value();
  auto sched = scheduler::spawn_scheduler(ctx, opts);

  auto events = informers.get(api::Event::static_type(), "default");
  caf::scoped_actor self{f.system.get()};
  self->send(events.actor, client::subscribe_atom::value, caf::actor_cast<caf::actor>(self));

  auto pod = make_request_pod("placed", "100m", "64Mi");
  pod.spec.scheduler_name = "event-test-scheduler";
  auto created = f.client->create(pod);
  REQUIRE(created.has_value());

  auto find = [&]() -> std::shared_ptr<const api::Event> {
    for (auto& o : events.cache->list())
      if (auto e = api::as<api::Event>(o); e && e->reason == "Scheduled") return e;
    return nullptr;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!find() && std::chrono::steady_clock::now() < deadline)
    self->receive([](client::InformerEvents&) {},
                  caf::after(std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())) >> [] {});
  auto e = find();
  REQUIRE(e);
  CHECK(e->type == "Normal");
  CHECK(e->message == "Successfully assigned default/placed to n1");
  CHECK(e->involved_object.kind == "Pod");
  CHECK(e->involved_object.name == "placed");
  CHECK(e->involved_object.uid == (*created)->metadata.uid);
  CHECK(e->involved_object.field_path.empty());
  CHECK(e->source.component == "event-test-scheduler");
  CHECK(e->reporting_component == "event-test-scheduler");
  CHECK(scheduled.value() == before + 1);

  anon_send_exit(sched, caf::exit_reason::user_shutdown);
  informers.shutdown();
}
