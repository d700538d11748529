// The simulated runtime (sim_runtime.cpp) and its annotations (sim_annotations.cpp), alone
// on a virtual clock: events, list_containers, per-container directions, re-attaching.
#include <catch2/catch.hpp>

#include "actors/kubelet/sim_runtime.hpp"
#include "api/time/virtual_clock.hpp"

using namespace kactor;
using namespace kactor::kubelet;
using namespace std::chrono_literals;

namespace {

struct Recorder {
  std::vector<RuntimeEvent> events;
  RuntimeEventSink sink() {
    return [this](RuntimeEvent ev) { events.push_back(std::move(ev)); };
  }
};

ContainerConfig config(const std::string& name, Annotations annotations = {},
                       ContainerRole role = ContainerRole::app) {
  ContainerConfig c;
  c.pod_uid = "uid-1";
  c.pod_namespace = "default";
  c.pod_name = "web";
  c.container_name = name;
  c.role = role;
  c.image = "nginx:1.25";
  c.annotations = std::move(annotations);
  return c;
}

const ContainerInfo* info_of(const std::vector<ContainerInfo>& list, const std::string& id) {
  for (const auto& i : list)
    if (i.id == id) return &i;
  return nullptr;
}

}  // namespace

TEST_CASE("per-container annotation values: one for all, by name, or both",
          "[kubelet][kubelet-sim]") {
  // The value for a container, or -1 for none.
  auto value = [](const Annotations& a, const char* key, const std::string& container) {
    auto r = container_value(a, key, container);
    REQUIRE(r);
    return r->value_or(-1);
  };
  Annotations a{{kRunSecondsAnnotation, "5, fetch=2"}};
  CHECK(value(a, kRunSecondsAnnotation, "fetch") == 2);
  CHECK(value(a, kRunSecondsAnnotation, "app") == 5);
  CHECK(value(a, kExitCodeAnnotation, "app") == -1);
  Annotations named{{kRunSecondsAnnotation, "fetch=2"}};
  CHECK(value(named, kRunSecondsAnnotation, "app") == -1);
  for (const char* bad : {"", "x", "fetch=", "5,fetch=two", "=3"}) {
    INFO(bad);
    Annotations b{{kExitCodeAnnotation, bad}};
    auto r = container_value(b, kExitCodeAnnotation, "app");
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == "BadRequest");
    CHECK(r.error().message.find(kExitCodeAnnotation) != std::string::npos);
  }
  Annotations list{{kFailLivenessAnnotation, "app, proxy"}};
  CHECK(names_container(list, kFailLivenessAnnotation, "proxy"));
  CHECK_FALSE(names_container(list, kFailLivenessAnnotation, "db"));
  CHECK(names_container({{kFailLivenessAnnotation, "*"}}, kFailLivenessAnnotation, "db"));
  CHECK_FALSE(names_container({}, kFailLivenessAnnotation, "db"));
}

TEST_CASE("the simulated runtime starts, runs and stops containers on the clock",
          "[kubelet][kubelet-sim]") {
  VirtualClock clock;
  auto t0 = clock.now();
  Recorder rec;
  SimRuntime rt(clock, rec.sink(), SimRuntimeOptions{.start_delay = 100ms, .stop_delay = 3s});
  auto fetch = rt.start_container(
      config("fetch", {{kRunSecondsAnnotation, "fetch=2"}, {kExitCodeAnnotation, "fetch=4"}}));
  auto app = rt.start_container(config("app", {{kRunSecondsAnnotation, "fetch=2"}}));
  auto init = rt.start_container(config("init", {}, ContainerRole::init));
  REQUIRE(fetch);
  REQUIRE(app);
  REQUIRE(init);
  auto listed = rt.list_containers();
  REQUIRE(listed.size() == 3);
  CHECK(info_of(listed, *app)->state == ContainerInfo::State::created);
  CHECK(info_of(listed, *app)->pod_uid == "uid-1");
  CHECK(info_of(listed, *app)->container_name == "app");

  clock.advance(100ms);
  listed = rt.list_containers();
  CHECK(info_of(listed, *app)->state == ContainerInfo::State::running);
  CHECK(info_of(listed, *app)->started_at == t0 + 100ms);
  // A regular init container with no run time given completes as soon as it started.
  CHECK(info_of(listed, *init)->state == ContainerInfo::State::exited);
  CHECK(info_of(listed, *init)->exit_code == 0);

  clock.advance(2s);
  listed = rt.list_containers();
  const auto* f = info_of(listed, *fetch);
  REQUIRE(f);
  CHECK(f->state == ContainerInfo::State::exited);
  CHECK(f->exit_code == 4);
  CHECK(f->reason == "Error");
  CHECK(f->finished_at == t0 + 2100ms);
  CHECK(info_of(listed, *app)->state == ContainerInfo::State::running);  // runs until stopped

  // Stopping takes stop_delay when the grace allows it, else the grace period (killed).
  rt.stop_container(*app, 1s);
  clock.advance(1s);
  listed = rt.list_containers();
  CHECK(info_of(listed, *app)->exit_code == 137);
  REQUIRE(rec.events.size() == 6);  // 3 started, then init, fetch, app exited
  CHECK(rec.events.back().type == RuntimeEvent::Type::exited);
  CHECK(rec.events.back().container_id == *app);
  CHECK(rec.events.back().at == t0 + 3100ms);

  // A stop after the exit changes nothing; forget drops the record.
  rt.stop_container(*fetch, 0s);
  CHECK(rec.events.size() == 6);
  rt.forget(*fetch);
  CHECK(rt.list_containers().size() == 2);
}

TEST_CASE("the simulated runtime refuses bad directions and keeps nothing of them",
          "[kubelet][kubelet-sim]") {
  VirtualClock clock;
  SimRuntime rt(clock, nullptr);
  auto bad = rt.start_container(config("app", {{kRunSecondsAnnotation, "-1"}}));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find(kRunSecondsAnnotation) != std::string::npos);
  CHECK(rt.list_containers().empty());
  CHECK(clock.pending() == 0);
}

TEST_CASE("a runtime shared by successive kubelets reports to the one attached last",
          "[kubelet][kubelet-sim]") {
  VirtualClock clock;
  auto machine = std::make_shared<SimRuntime>(clock, nullptr);
  Recorder first, second;
  auto factory = shared_sim_runtime_factory(machine);
  auto a = factory(clock, first.sink());
  auto id = a->start_container(config("app", {{kRunSecondsAnnotation, "10"}}));
  REQUIRE(id);
  clock.advance(100ms);
  a.reset();  // the first kubelet goes; its containers stay
  CHECK(machine->list_containers().size() == 1);
  auto b = factory(clock, second.sink());
  REQUIRE(b->list_containers().size() == 1);
  CHECK(b->list_containers()[0].state == ContainerInfo::State::running);
  clock.advance(10s);
  CHECK(first.events.size() == 1);  // started
  REQUIRE(second.events.size() == 1);
  CHECK(second.events[0].type == RuntimeEvent::Type::exited);
  CHECK(second.events[0].container_id == *id);
}

TEST_CASE("the simulated runtime keeps the images it pulled, once each",
          "[kubelet][kubelet-sim][images]") {
  VirtualClock clock;
  Recorder rec;
  SimRuntime rt(clock, rec.sink());
  CHECK(rt.list_images().empty());
  REQUIRE(rt.start_container(config("a")));
  REQUIRE(rt.start_container(config("b")));  // the same nginx:1.25
  auto missing = config("typo");
  missing.image = "nginx:1.161";
  REQUIRE_FALSE(rt.start_container(missing));  // never pulled: not kept
  auto images = rt.list_images();
  REQUIRE(images.size() == 1);
  CHECK(images[0].names == reported_image_names("nginx:1.25"));
  CHECK(images[0].size_bytes == ImageCatalog{}.size_of("nginx:1.25"));
}

TEST_CASE("runtimes share one image catalog, the default or one given",
          "[kubelet][kubelet-sim][images]") {
  // One catalog for all the runtimes of a process: thousands of simulated nodes each held a
  // copy before.
  CHECK(SimRuntimeOptions{}.images == SimRuntimeOptions{}.images);
  CHECK(SimRuntimeOptions{}.images == ImageCatalog::shared_default());

  auto catalog = std::make_shared<ImageCatalog>();
  catalog->missing.insert("docker.io/library/app:v2");
  SimRuntimeOptions options;
  options.images = catalog;
  VirtualClock clock;
  Recorder rec;
  SimRuntime first(clock, rec.sink(), options);
  SimRuntime second(clock, rec.sink(), options);
  auto app = config("app");
  app.image = "app:v2";
  for (SimRuntime* rt : {&first, &second}) {
    auto refused = rt->start_container(app);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().reason == kErrImagePull);
  }
  CHECK(catalog.use_count() == 4);  // here, in the options and in each runtime
  app.image = "app:v1";
  CHECK(first.start_container(app));

  // A null catalog is the default one.
  options.images = nullptr;
  SimRuntime defaulted(clock, rec.sink(), options);
  app.image = "nginx:1.161";
  CHECK_FALSE(defaulted.start_container(app));
  app.image = "app:v2";
  CHECK(defaulted.start_container(app));
}
