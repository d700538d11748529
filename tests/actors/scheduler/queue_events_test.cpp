// Requeueing: an unschedulable pod moves back only for the events the plugins that
// rejected it registered (with their queueing hints), driven by a VirtualClock.
#include <catch2/catch.hpp>

#include "actors/scheduler/plugins/plugins.hpp"
#include "actors/scheduler/queue.hpp"
#include "api/time/virtual_clock.hpp"
#include "tests/actors/scheduler/fixture.hpp"

using namespace kactor;
using namespace kactor::scheduler;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

std::shared_ptr<const api::Pod> pod(const std::string& name) {
  return std::make_shared<const api::Pod>(make_request_pod(name, nullptr, nullptr));
}

/// The queue with the default plugins' registrations, `name` popped and rejected by
/// `plugins`, and past its backoff (so a move lands in activeQ).
SchedulingQueue rejected(VirtualClock& clock, const std::string& name,
                         std::set<std::string, std::less<>> plugins) {
  SchedulingQueue q;
  Framework fw(plugins::default_plugins());
  q.set_event_registry(event_registry({&fw}));
  q.add(pod(name), clock.now());
  REQUIRE(q.pop(clock.now()));
  q.add_unschedulable(api::object_key(*pod(name)), clock.now(), std::move(plugins));
  clock.advance(1min);
  return q;
}

}  // namespace

TEST_CASE("a pod rejected for resources waits for room, not for labels", "[scheduler][queue]") {
  VirtualClock clock;
  auto q = rejected(clock, "big", {"NodeResourcesFit"});
  REQUIRE(q.unschedulable_size() == 1);
  CHECK(q.on_event({EventResource::node, action::update_node_label}, nullptr, nullptr, clock.now()) == 0);
  CHECK(q.on_event({EventResource::node, action::update_node_taint}, nullptr, nullptr, clock.now()) == 0);
  CHECK(q.on_event({EventResource::assigned_pod, action::add}, nullptr, nullptr, clock.now()) == 0);
  CHECK(q.unschedulable_size() == 1);
  CHECK(q.on_event({EventResource::assigned_pod, action::remove}, nullptr, nullptr, clock.now()) == 1);
  CHECK(q.active_size() == 1);
}

TEST_CASE("each plugin's registration moves the pods it rejected", "[scheduler][queue]") {
  struct Case {
    const char* plugin;
    ClusterEvent moves;
    ClusterEvent ignored;
  };
  for (auto& c : std::vector<Case>{
           {"NodeResourcesFit", {EventResource::node, action::update_node_allocatable},
            {EventResource::node, action::update_node_condition}},
           {"NodeResourcesFit", {EventResource::node, action::add}, {EventResource::node, action::remove}},
           {"TaintToleration", {EventResource::node, action::update_node_taint},
            {EventResource::node, action::update_node_allocatable}},
           {"NodeAffinity", {EventResource::node, action::update_node_label},
            {EventResource::node, action::update_node_taint}},
           {"NodeUnschedulable", {EventResource::node, action::update_node_taint},
            {EventResource::assigned_pod, action::remove}},
           {"NodePorts", {EventResource::assigned_pod, action::remove},
            {EventResource::assigned_pod, action::update_pod_label}},
           {"NodeName", {EventResource::node, action::add}, {EventResource::node, action::update_node_label}},
       }) {
    INFO(c.plugin);
    VirtualClock clock;
    auto q = rejected(clock, "p", {c.plugin});
    CHECK(q.on_event(c.ignored, nullptr, nullptr, clock.now()) == 0);
    CHECK(q.on_event(c.moves, nullptr, nullptr, clock.now()) == 1);
  }
}

TEST_CASE("a pod rejected by several plugins moves for any of their events", "[scheduler][queue]") {
  VirtualClock clock;
  auto q = rejected(clock, "p", {"NodeAffinity", "TaintToleration"});
  CHECK(q.on_event({EventResource::assigned_pod, action::remove}, nullptr, nullptr, clock.now()) == 0);
  CHECK(q.on_event({EventResource::node, action::update_node_taint}, nullptr, nullptr, clock.now()) == 1);
}

TEST_CASE("a pod rejected by no plugin, or by one without registrations, moves for any event",
          "[scheduler][queue]") {
  VirtualClock clock;
  // No nodes at all: nothing rejected it in particular.
  auto none = rejected(clock, "p", {});
  CHECK(none.on_event({EventResource::namespace_, action::add}, nullptr, nullptr, clock.now()) == 1);
  // A plugin the registry does not know (e.g. an out-of-tree one): be safe.
  auto unknown = rejected(clock, "q", {"SomethingElse"});
  CHECK(unknown.on_event({EventResource::namespace_, action::add}, nullptr, nullptr, clock.now()) == 1);
}

TEST_CASE("queueing hints decide per pod", "[scheduler][queue]") {
  VirtualClock clock;
  SchedulingQueue q;
  // A plugin that only cares about nodes labelled for the pod's name.
  EventRegistry registry;
  registry["Picky"] = {{{EventResource::node, action::update_node_label},
                        [](const api::Pod& pending, const api::Object*, const api::Object* new_obj) {
                          auto* node = dynamic_cast<const api::Node*>(new_obj);
                          bool wanted = node && node->metadata.labels.contains(pending.metadata.name);
                          return wanted ? QueueingHint::queue : QueueingHint::skip;
                        }}};
  q.set_event_registry(registry);
  for (auto name : {"a", "b"}) {
    q.add(pod(name), clock.now());
    REQUIRE(q.pop(clock.now()));
    q.add_unschedulable(std::string("default/") + name, clock.now(), {"Picky"});
  }
  clock.advance(1min);
  auto node = make_node("n");
  node.metadata.labels["b"] = "yes";
  CHECK(q.on_event({EventResource::node, action::update_node_label}, nullptr, &node, clock.now()) == 1);
  CHECK(q.unschedulable_size() == 1);
  auto popped = q.pop(clock.now());
  REQUIRE(popped);
  CHECK(popped->pod->metadata.name == "b");
}
