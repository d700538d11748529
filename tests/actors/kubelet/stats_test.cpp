// The kubelet's resource statistics (stats.hpp): what a sample holds, the Summary it answers,
// and warnings about usage annotations that do not parse.
#include "actors/kubelet/stats.hpp"

#include "tests/actors/kubelet/fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

constexpr uint64_t Mi = 1 << 20;
constexpr uint64_t Gi = 1ull << 30;

/// A worker whose only container ("app") runs since `started`.
kubelet::PodWorker running_worker(const std::string& uid, api::Pod pod, TimePoint started) {
  pod.metadata.uid = uid;
  kubelet::PodWorker w;
  w.uid = uid;
  w.key = pod.metadata.namespace_ + "/" + pod.metadata.name;
  w.pod = std::make_shared<const api::Pod>(std::move(pod));
  w.start_time = started;
  kubelet::ContainerRec c;
  c.name = "app";
  c.phase = kubelet::ContainerRec::Phase::running;
  c.started_at = started;
  w.containers.push_back(c);
  return w;
}

api::ResourceList capacity() {
  return {{"cpu", qty("4")}, {"memory", qty("8Gi")}, {"ephemeral-storage", qty("100Gi")}};
}

}  // namespace

TEST_CASE("a sample averages cpu over its window and sums memory and disk",
          "[kubelet][stats]") {
  const TimePoint t0{std::chrono::seconds(1'700'000'000)};
  auto pod = make_pod_requesting("default", "web", "200m", "1Gi");
  pod.metadata.annotations = {{"kactor.io/cpu-usage", "100m for 15s, then 900m"},
                              {"kactor.io/disk-usage", "2Gi"}};
  std::map<std::string, kubelet::PodWorker> workers;
  workers.emplace("u1", running_worker("u1", pod, t0 + 5s));
  workers.emplace("u2", running_worker("u2", make_pod("default", "idle"), t0));
  kubelet::StatsCollector stats({}, capacity(), t0);

  CHECK(stats.sample(workers, t0 + 10s).empty());
  const auto& n = stats.node();
  // web: 0.1 core for its 5 s; idle: the 5m baseline for 10 s.
  CHECK(n.cpu_core_nano_seconds == 500'000'000 + 50'000'000);
  CHECK(n.cpu_nano_cores == 55'000'000);
  CHECK(n.memory_bytes == 512 * Mi + 16 * Mi);
  CHECK(n.memory_available_bytes() == 8 * Gi - 528 * Mi);
  CHECK(n.disk_bytes == 2 * Gi);
  CHECK(stats.pod("u1")->containers[0].cpu_nano_cores == 100'000'000);

  // The next window crosses web's boundary at 15 s after its start (t0 + 20 s).
  stats.sample(workers, t0 + 20s);
  const auto* web = stats.pod("u1");
  REQUIRE(web);
  CHECK(web->containers[0].cpu_core_nano_seconds == 1'500'000'000 + 0);  // 15 s at 0.1 core
  CHECK(web->cpu_nano_cores == 100'000'000);
  stats.sample(workers, t0 + 30s);
  CHECK(stats.pod("u1")->cpu_nano_cores == 900'000'000);
  CHECK(stats.node().cpu_core_nano_seconds ==
        1'500'000'000ull + 9'000'000'000ull + 150'000'000ull);

  auto summary = stats.summary("node-1", workers);
  CHECK(summary.node.node_name == "node-1");
  CHECK(summary.node.start_time == t0);
  CHECK(summary.node.cpu.time == t0 + 30s);
  CHECK(summary.node.cpu.usage_nano_cores == 905'000'000);
  CHECK(summary.node.memory.working_set_bytes == 528 * Mi);
  CHECK(summary.node.memory.available_bytes == 8 * Gi - 528 * Mi);
  REQUIRE(summary.node.fs);
  CHECK(summary.node.fs->capacity_bytes == 100 * Gi);
  CHECK(summary.node.fs->used_bytes == 2 * Gi);
  CHECK(summary.node.fs->available_bytes == 98 * Gi);
  CHECK(summary.node.fs->inodes == 100 * Gi / kubelet::kBytesPerInode);
  REQUIRE(summary.pods.size() == 2);
  const auto& p = summary.pods[0];
  CHECK(p.pod_ref.name == "web");
  CHECK(p.pod_ref.uid == "u1");
  REQUIRE(p.containers.size() == 1);
  CHECK(p.containers[0].name == "app");
  CHECK(p.containers[0].start_time == t0 + 5s);
  CHECK(p.containers[0].cpu.usage_nano_cores == 900'000'000);
  CHECK(p.containers[0].memory.working_set_bytes == 512 * Mi);
  CHECK(!p.containers[0].memory.available_bytes);  // no memory limit
  REQUIRE(p.containers[0].rootfs);
  CHECK(p.containers[0].rootfs->used_bytes == 2 * Gi);
  CHECK(p.memory.working_set_bytes == 512 * Mi);

  // A pod that went is forgotten at the next sample.
  workers.erase("u1");
  stats.sample(workers, t0 + 40s);
  CHECK(stats.pod("u1") == nullptr);
  CHECK(stats.node().memory_bytes == 16 * Mi);
  CHECK(stats.summary("node-1", workers).pods.size() == 1);
}

TEST_CASE("a bad usage annotation is reported once per pod", "[kubelet][stats]") {
  const TimePoint t0{std::chrono::seconds(1'700'000'000)};
  auto pod = make_pod_requesting("default", "web", nullptr, "1Gi");
  pod.metadata.annotations = {{"kactor.io/memory-usage", "100Mi for ever"}};
  std::map<std::string, kubelet::PodWorker> workers;
  workers.emplace("u1", running_worker("u1", pod, t0));
  kubelet::StatsCollector stats({}, capacity(), t0);
  auto problems = stats.sample(workers, t0 + 10s);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].pod_uid == "u1");
  CHECK_THAT(problems[0].message, Catch::StartsWith("annotation kactor.io/memory-usage: "));
  CHECK(stats.node().memory_bytes == 512 * Mi);  // the default model
  // A newer version of the pod with the same annotation: not reported again.
  auto newer = *workers.at("u1").pod;
  newer.metadata.labels["x"] = "y";
  workers.at("u1").pod = std::make_shared<const api::Pod>(newer);
  CHECK(stats.sample(workers, t0 + 20s).empty());
}

TEST_CASE("the kubelet answers the Summary API with its last sample", "[kubelet][stats]") {
  KubeletFixture f;
  kubelet::KubeletOptions o;
  o.node_name = "node-1";
  o.capacity = capacity();
  auto k = f.ready_node(std::move(o), "10.244.1.0/24");
  auto p = make_pod_requesting("default", "web", "500m", "1Gi");
  p.metadata.annotations = {{"kactor.io/memory-usage", "300Mi for 20s, then 700Mi"}};
  f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("web"); }));
  f.step(k, 100ms);  // the container starts

  auto summary = [&] {
    auto s = f.summary(k);
    REQUIRE(s);
    return *s;
  };
  auto before = summary();  // nothing sampled yet
  CHECK(before.pods.empty());
  CHECK(before.node.memory.working_set_bytes == 0u);

  f.step(k, 9900ms);  // the first housekeeping sample, 10 s after the kubelet started
  auto first = summary();
  REQUIRE(first.pods.size() == 1);
  CHECK(first.pods[0].pod_ref.name == "web");
  CHECK(first.pods[0].containers.at(0).memory.working_set_bytes == 300 * Mi);
  CHECK(first.pods[0].containers.at(0).cpu.usage_nano_cores == 250'000'000u);  // half the request
  CHECK(first.node.memory.working_set_bytes == 300 * Mi);

  // Two samples later the schedule moved on (one period per step: the next tick is
  // scheduled when the kubelet handles this one).
  f.step(k, 10s);
  f.step(k, 10s);
  auto later = summary();
  REQUIRE(later.pods.size() == 1);
  CHECK(later.node.cpu.time == before.node.cpu.time + 30s);
  CHECK(later.pods[0].containers.at(0).memory.working_set_bytes == 700 * Mi);
  CHECK(later.node.memory.available_bytes == 8 * Gi - 700 * Mi);
}

TEST_CASE("a usage annotation that does not parse is a Warning Event on the pod",
          "[kubelet][stats]") {
  KubeletFixture f;
  f.watch_events();
  auto k = f.ready_node("node-1", "10.244.1.0/24");
  auto p = make_pod("default", "web");
  p.metadata.annotations = {{"kactor.io/cpu-usage", "100m for 60s then 900m"}};
  f.create_bound(p, "node-1");
  REQUIRE(f.eventually([&] { return f.reported("web"); }));
  f.step(k, 100ms);
  f.step(k, 10s);
  REQUIRE(f.eventually([&] { return !f.events_about("web", "InvalidAnnotation").empty(); }));
  auto found = f.events_about("web", "InvalidAnnotation").front();
  CHECK(found->type == "Warning");
  CHECK_THAT(found->message, Catch::Contains("annotation kactor.io/cpu-usage"));
  CHECK_THAT(found->message, Catch::Contains("the default usage model applies"));
  // The pod runs all the same.
  CHECK(f.pod("web")->status.phase == "Running");
}
