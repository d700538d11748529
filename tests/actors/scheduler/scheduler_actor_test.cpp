// The scheduler actor against a real API server: pods get bound respecting
// nodeSelector, taints and assumed resources; an oversized pod stays Pending with
// upstream's FailedScheduling message until a big enough node appears.
#include <catch2/catch.hpp>

#include "actors/client/informer.hpp"
#include "actors/client/messages.hpp"
#include "actors/common/context.hpp"
#include "actors/scheduler/scheduler.hpp"
#include "tests/actors/scheduler/fixture.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

constexpr auto kWait = std::chrono::seconds(10);

/// Receives informer batches until `done()` holds; `tick` runs between waits (e.g.
/// to advance the virtual clock). Fails after the deadline.
template <class Pred, class Tick>
void wait_until(caf::scoped_actor& self, Pred done, Tick tick) {
  auto deadline = std::chrono::steady_clock::now() + kWait;
  while (!done()) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    tick();
    self->receive([](client::InformerEvents&) {},
                  caf::after(std::chrono::milliseconds(50)) >> [] {});
  }
}

void create_node(ApiFixture& f, api::Node node) {
  auto created = f.client->create(node);
  REQUIRE(created.has_value());
  // The status subresource may be dropped on create: write it explicitly.
  auto with_status = node;
  with_status.metadata = (*created)->metadata;
  REQUIRE(f.client->update_status(with_status).has_value());
}

}  // namespace

TEST_CASE("the scheduler binds pods and reports the ones that fit nowhere",
          "[scheduler][scheduler_actor]") {
  ApiFixture f;
  auto ssd = make_node("n1", "2", "4Gi");
  ssd.metadata.labels = {{"disk", "ssd"}};
  auto gpu = make_node("n2", "2", "4Gi");
  gpu.spec.taints.push_back({"dedicated", "gpu", "NoSchedule", std::nullopt});
  auto plain = make_node("n3", "2", "4Gi");
  create_node(f, ssd);
  create_node(f, gpu);
  create_node(f, plain);

  client::InformerFactory informers(f.system.get(), f.plane->apiserver(), f.clock);
  actors::Context ctx;
  ctx.system = &f.system.get();
  ctx.apiserver = &f.plane->apiserver();
  ctx.clock = &f.clock;
  ctx.informers = &informers;
  ctx.seed = 42;
  INFO("seed " << ctx.seed);
  scheduler::SchedulerOptions opts;
  opts.counters = std::make_shared<scheduler::SchedulerCounters>();
  auto sched = scheduler::spawn_scheduler(ctx, opts);

  auto pods = informers.get(api::Pod::static_type());
  caf::scoped_actor self{f.system.get()};
  self->send(pods.actor, client::subscribe_atom::value, caf::actor_cast<caf::actor>(self));

  auto want_ssd = make_request_pod("wants-ssd", nullptr, nullptr);
  want_ssd.spec.node_selector = {{"disk", "ssd"}};
  REQUIRE(f.client->create(want_ssd).has_value());
  // Two pods of 1500m on 2-cpu nodes: assumed resources must keep them apart, and
  // neither may land on the tainted node.
  REQUIRE(f.client->create(make_request_pod("half-1", "1500m", "1Gi")).has_value());
  REQUIRE(f.client->create(make_request_pod("half-2", "1500m", "1Gi")).has_value());
  REQUIRE(f.client->create(make_request_pod("huge", "8", "1Gi")).has_value());
  auto tolerant = make_request_pod("tolerant", nullptr, nullptr);
  tolerant.spec.tolerations.push_back({"dedicated", "Equal", "gpu", "NoSchedule", std::nullopt});
  REQUIRE(f.client->create(tolerant).has_value());

  auto node_of = [&](const std::string& name) -> std::string {
    auto p = api::as<api::Pod>(pods.cache->get("default/" + name));
    return p ? p->spec.node_name : "";
  };
  const std::string expected =
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
      "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for "
      "scheduling, 2 No preemption victims found for incoming pod.";
  auto huge_message = [&]() -> std::string {
    auto p = api::as<api::Pod>(pods.cache->get("default/huge"));
    if (!p) return "";
    auto* c = p->status.condition("PodScheduled");
    return c && c->status == "False" && c->reason == "Unschedulable" ? c->message : "";
  };
  wait_until(
      self,
      [&] {
        return !node_of("wants-ssd").empty() && !node_of("half-1").empty() &&
               !node_of("half-2").empty() && !node_of("tolerant").empty() &&
               !huge_message().empty() && opts.counters->scheduled.load() == 4;
      },
      [] {});
  CHECK(node_of("wants-ssd") == "n1");
  CHECK(node_of("half-1") != "n2");
  CHECK(node_of("half-2") != "n2");
  CHECK(node_of("half-1") != node_of("half-2"));
  CHECK(node_of("huge").empty());
  CHECK(huge_message() == expected);
  CHECK(opts.counters->scheduled.load() == 4);

  // The FailedScheduling event carries the same message.
  auto events = f.client->list<api::Event>("default");
  REQUIRE(events.has_value());
  bool found = false;
  for (auto& e : events->items)
    found = found || (e->reason == "FailedScheduling" && e->message == expected &&
                      e->involved_object.name == "huge");
  CHECK(found);

  // A node big enough appears: the pod leaves the unschedulable pool, waits out its
  // backoff (virtual time) and is bound there.
  create_node(f, make_node("n4", "16", "32Gi"));
  wait_until(
      self, [&] { return node_of("huge") == "n4"; }, [&] { f.clock.advance(1s); });
  anon_send_exit(sched, caf::exit_reason::user_shutdown);
  informers.shutdown();
}
