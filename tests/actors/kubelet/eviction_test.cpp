// Node-pressure eviction's decisions (eviction_config.hpp, eviction.hpp), and node
// allocatable (node_status.hpp): settings, ranking, conditions over time, admission, messages.
#include <catch2/catch.hpp>

#include "actors/kubelet/eviction.hpp"
#include "actors/kubelet/kubelet.hpp"
#include "actors/kubelet/node_status.hpp"
#include "api/testing/builders.hpp"
#include "api/types/pod_util.hpp"

using namespace kactor;
using namespace kactor::kubelet;
using namespace std::chrono_literals;
using api::testing::make_pod;
using api::testing::make_pod_requesting;
using api::testing::qty;

namespace {

constexpr uint64_t Mi = 1 << 20;
constexpr uint64_t Gi = 1ull << 30;
const TimePoint t0{std::chrono::seconds(1'700'000'000)};

/// A node of 4Gi memory and 100Gi disk using `memory` and `disk` at `at`.
NodeSample sample(TimePoint at, uint64_t memory, uint64_t disk = 0) {
  NodeSample s;
  s.time = at;
  s.memory_capacity_bytes = 4 * Gi;
  s.memory_bytes = memory;
  s.disk_capacity_bytes = 100 * Gi;
  s.disk_bytes = disk;
  return s;
}

EvictionManager defaults() {
  return EvictionManager(*parse_thresholds({}), EvictionOptions{}.pressure_transition_period);
}

}  // namespace

TEST_CASE("eviction settings parse with upstream's defaults", "[kubelet][eviction]") {
  auto t = parse_thresholds({});
  REQUIRE(t);
  REQUIRE(t->size() == 4);
  // Ordered by signal name, as the map holds them.
  CHECK((*t)[0].signal == Signal::imagefs_available);
  CHECK((*t)[0].value.percentage == Approx(0.15));
  CHECK((*t)[1].signal == Signal::memory_available);
  CHECK((*t)[1].value.quantity == qty("100Mi"));
  CHECK((*t)[1].hard());
  CHECK((*t)[2].signal == Signal::nodefs_available);
  CHECK((*t)[2].value.amount(100 * Gi) == static_cast<int64_t>(10 * Gi));
  CHECK((*t)[3].signal == Signal::nodefs_inodes_free);

  EvictionOptions o;
  o.soft = {{"memory.available", "500Mi"}};
  o.soft_grace_period = {{"memory.available", "1m30s"}};
  o.minimum_reclaim = {{"memory.available", "200Mi"}};
  o.hard = {{"memory.available", "100Mi"}, {"nodefs.available", "0%"}};  // 0%: off
  auto s = parse_thresholds(o);
  REQUIRE(s);
  REQUIRE(s->size() == 2);
  CHECK((*s)[1].grace_period == 90s);
  CHECK(!(*s)[1].hard());
  REQUIRE((*s)[0].min_reclaim);
  CHECK((*s)[0].min_reclaim->quantity == qty("200Mi"));
}

TEST_CASE("bad eviction settings name the field and say what is wrong", "[kubelet][eviction]") {
  struct Case {
    EvictionOptions options;
    const char* says;
  };
  auto with = [](auto change) {
    EvictionOptions o;
    change(o);
    return o;
  };
  const Case cases[] = {
      {with([](auto& o) { o.hard = {{"memory.free", "1Gi"}}; }),
       "evictionHard[memory.free]: unsupported eviction signal memory.free"},
      {with([](auto& o) { o.hard = {{"memory.available", "lots"}}; }),
       "evictionHard[memory.available]: \"lots\" is not a quantity"},
      {with([](auto& o) { o.hard = {{"nodefs.available", "120%"}}; }),
       "evictionHard[nodefs.available]: \"120%\" must be >= 0% and <= 100%"},
      {with([](auto& o) { o.hard = {{"memory.available", "-1Mi"}}; }),
       "evictionHard[memory.available]: \"-1Mi\" must be positive"},
      {with([](auto& o) { o.soft = {{"memory.available", "1Gi"}}; }),
       "grace period must be specified for the soft eviction threshold memory.available"},
      {with([](auto& o) {
         o.soft = {{"memory.available", "1Gi"}};
         o.soft_grace_period = {{"memory.available", "soon"}};
       }),
       "evictionSoftGracePeriod[memory.available]: \"soon\" is not a positive duration"},
      {with([](auto& o) { o.minimum_reclaim = {{"nodefs.available", "x%"}}; }),
       "evictionMinimumReclaim[nodefs.available]: \"x%\" is not a percentage"},
  };
  for (const auto& c : cases) {
    INFO(c.says);
    auto r = parse_thresholds(c.options);
    REQUIRE(!r);
    CHECK(r.error().code == 400);
    CHECK_THAT(r.error().message, Catch::Contains(c.says));
  }
  KubeletOptions k;
  k.eviction.hard = {{"memory.free", "1Gi"}};
  CHECK(!validate_kubelet_options(k));
  CHECK(validate_kubelet_options(KubeletOptions{}));
}

TEST_CASE("allocatable is capacity less reservations and hard eviction thresholds",
          "[kubelet][eviction]") {
  KubeletOptions o;
  o.capacity = {{"cpu", qty("4")}, {"memory", qty("8Gi")}};
  auto allocatable = node_allocatable(o, *parse_thresholds({}));
  CHECK(allocatable.at("cpu") == qty("4"));
  CHECK(allocatable.at("memory") == qty("8Gi") - qty("100Mi"));
  // The default disk (100Gi) less nodefs.available's 10%.
  CHECK(node_capacity(o).at("ephemeral-storage") == qty("100Gi"));
  CHECK(allocatable.at("ephemeral-storage") == qty("90Gi"));
  CHECK(allocatable.at("pods") == qty("110"));

  o.kube_reserved = {{"cpu", qty("100m")}, {"memory", qty("1Gi")}};
  o.system_reserved = {{"cpu", qty("500m")}, {"ephemeral-storage", qty("5Gi")}};
  o.capacity["ephemeral-storage"] = qty("50Gi");
  allocatable = node_allocatable(o, *parse_thresholds({}));
  CHECK(allocatable.at("cpu") == qty("3400m"));
  CHECK(allocatable.at("memory") == qty("8Gi") - qty("1Gi") - qty("100Mi"));
  CHECK(allocatable.at("ephemeral-storage") == qty("40Gi"));  // 50 − 5 − 5

  o.kube_reserved = {{"memory", qty("9Gi")}};  // more than there is: zero, not negative
  CHECK(node_allocatable(o, *parse_thresholds({})).at("memory").is_zero());
}

TEST_CASE("pods are ranked for eviction as upstream ranks them", "[kubelet][eviction]") {
  // Over their request first; then lower priority; then more above the request.
  std::vector<EvictionCandidate> pods = {
      {"within-low-priority", 100, 200, -10},
      {"over-by-100", 300, 200, 0},
      {"over-by-500-high-priority", 700, 200, 1000},
      {"over-by-500", 700, 200, 0},
      {"within-high-usage", 1900, 2000, 0},
      {"best-effort", 50, 0, 0},
      {"within-small", 10, 2000, 0},
  };
  rank_for_eviction(pods);
  std::vector<std::string> order;
  for (const auto& p : pods) order.push_back(p.uid);
  CHECK(order == std::vector<std::string>{"over-by-500", "over-by-100", "best-effort",
                                          "over-by-500-high-priority", "within-low-priority",
                                          "within-high-usage", "within-small"});
}

TEST_CASE("a pod's request adds its containers and sidecars, or its largest init container",
          "[kubelet][eviction]") {
  auto p = make_pod_requesting("default", "p", nullptr, "1Gi");
  CHECK(pod_request(p, "memory") == static_cast<int64_t>(Gi));
  CHECK(pod_request(p, "ephemeral-storage") == 0);
  api::Container init = p.spec.containers[0];
  init.name = "init";
  init.resources.requests["memory"] = qty("3Gi");
  p.spec.init_containers.push_back(init);
  CHECK(pod_request(p, "memory") == static_cast<int64_t>(3 * Gi));
  p.spec.init_containers[0].restart_policy = "Always";  // a sidecar runs beside the app
  CHECK(pod_request(p, "memory") == static_cast<int64_t>(4 * Gi));
}

TEST_CASE("memory pressure holds from the threshold until the transition period passed",
          "[kubelet][eviction]") {
  auto m = defaults();
  CHECK(!m.synchronize(sample(t0, 1 * Gi)));
  CHECK(m.conditions().empty());

  auto reclaim = m.synchronize(sample(t0 + 10s, 4 * Gi - 80 * Mi));  // 80Mi < 100Mi
  REQUIRE(reclaim);
  CHECK(reclaim->signal == Signal::memory_available);
  CHECK(m.conditions() == std::vector<std::string>{"MemoryPressure"});

  // Relieved, but the condition holds for 5 minutes from the last time it was met.
  CHECK(!m.synchronize(sample(t0 + 20s, 1 * Gi)));
  CHECK(m.has_condition("MemoryPressure"));
  CHECK(!m.synchronize(sample(t0 + 10s + 4min + 50s, 1 * Gi)));
  CHECK(m.has_condition("MemoryPressure"));
  m.synchronize(sample(t0 + 10s + 5min, 1 * Gi));
  CHECK(m.conditions().empty());
}

TEST_CASE("a soft threshold acts after its grace period, and minimum reclaim keeps it met",
          "[kubelet][eviction]") {
  EvictionOptions o;
  o.soft = {{"memory.available", "1Gi"}};
  o.soft_grace_period = {{"memory.available", "30s"}};
  o.minimum_reclaim = {{"memory.available", "512Mi"}};
  EvictionManager m(*parse_thresholds(o), 5min);
  // 900Mi available: the soft threshold is met; the condition at once, eviction after 30 s.
  CHECK(!m.synchronize(sample(t0, 4 * Gi - 900 * Mi)));
  CHECK(m.has_condition("MemoryPressure"));
  CHECK(!m.synchronize(sample(t0 + 20s, 4 * Gi - 900 * Mi)));
  auto reclaim = m.synchronize(sample(t0 + 30s, 4 * Gi - 900 * Mi));
  REQUIRE(reclaim);
  CHECK(!reclaim->hard());
  // 1.2Gi available: above the threshold, but not above it plus the minimum reclaim.
  CHECK(m.synchronize(sample(t0 + 40s, 4 * Gi - 1229 * Mi)));
  // 1.6Gi available: reclaimed enough.
  CHECK(!m.synchronize(sample(t0 + 50s, 4 * Gi - 1638 * Mi)));
}

TEST_CASE("disk pressure: nodefs below 10% available", "[kubelet][eviction]") {
  auto m = defaults();
  auto reclaim = m.synchronize(sample(t0, 1 * Gi, 95 * Gi));
  REQUIRE(reclaim);
  CHECK(reclaim->signal == Signal::nodefs_available);
  CHECK(m.conditions() == std::vector<std::string>{"DiskPressure"});
  // Memory goes first when both are short.
  reclaim = m.synchronize(sample(t0 + 10s, 4 * Gi - 10 * Mi, 95 * Gi));
  REQUIRE(reclaim);
  CHECK(reclaim->signal == Signal::memory_available);
  CHECK(m.conditions() == std::vector<std::string>{"MemoryPressure", "DiskPressure"});
}

TEST_CASE("admission under pressure: BestEffort pods under memory pressure, all but critical "
          "under disk pressure",
          "[kubelet][eviction]") {
  auto best_effort = make_pod("default", "be");
  auto burstable = make_pod_requesting("default", "bu", nullptr, "64Mi");
  auto critical = make_pod("default", "critical");
  critical.spec.priority = api::kSystemCriticalPriority;
  auto tolerant = best_effort;
  api::Toleration t;
  t.key = "node.kubernetes.io/memory-pressure";
  t.operator_ = "Exists";
  t.effect = "NoSchedule";
  tolerant.spec.tolerations.push_back(t);

  auto m = defaults();
  m.synchronize(sample(t0, 1 * Gi));
  CHECK(!m.refuse(best_effort));

  m.synchronize(sample(t0 + 10s, 4 * Gi - 50 * Mi));
  CHECK(m.refuse(best_effort) == "The node had condition: [MemoryPressure]. ");
  CHECK(!m.refuse(burstable));
  CHECK(!m.refuse(tolerant));
  CHECK(!m.refuse(critical));

  m.synchronize(sample(t0 + 20s, 4 * Gi - 50 * Mi, 95 * Gi));
  CHECK(m.refuse(burstable) == "The node had condition: [MemoryPressure DiskPressure]. ");
  CHECK(m.refuse(tolerant));
  CHECK(!m.refuse(critical));
}

TEST_CASE("the eviction message follows upstream's wording", "[kubelet][eviction]") {
  auto m = defaults();
  m.synchronize(sample(t0, 4 * Gi - 80 * Mi));
  auto pod = make_pod_requesting("default", "hog", nullptr, "1Gi");
  api::Container side = pod.spec.containers[0];
  side.name = "side";
  side.resources.requests["memory"] = qty("512Mi");
  pod.spec.containers.push_back(side);
  PodWorker w;
  w.pod = std::make_shared<const api::Pod>(pod);
  for (size_t i = 0; i < 2; ++i) {
    ContainerRec c;
    c.name = pod.spec.containers[i].name;
    c.spec_index = i;
    w.containers.push_back(c);
  }
  PodUsage usage;
  usage.containers.resize(2);
  usage.containers[0] = {true, t0, 0, 0, 2 * Gi, 0};
  usage.containers[1] = {true, t0, 0, 0, 100 * Mi, 0};  // within its request: not named
  CHECK(m.eviction_message("memory", pod, w, usage) ==
        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi. "
        "Container app was using 2Gi, request is 1Gi, has larger consumption of memory. ");

  auto d = defaults();
  d.synchronize(sample(t0, 1 * Gi, 95 * Gi));
  usage.containers[0].disk_bytes = 95 * Gi;
  CHECK(d.eviction_message("ephemeral-storage", pod, w, usage) ==
        "The node was low on resource: ephemeral-storage. Threshold quantity: 10Gi, available: "
        "5Gi. Container app was using 95Gi, request is 0, has larger consumption of "
        "ephemeral-storage. ");
}
