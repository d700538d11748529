// The replica calculator against upstream 1.32's replica_calculator_test.go numbers: every
// pod has two containers, each requesting the given cpu and using the given level (milli),
// metrics sampled a minute-long window.
#include "actors/controllers/replica_calculator.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace kactor::actors::controllers::hpa;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

const TimePoint kNow = test_epoch() + std::chrono::hours(1);
/// Started long ago (past the cpu initialization period) / a minute ago (within it).
const TimePoint kCool = kNow - minutes(10);
const TimePoint kHot = kNow - minutes(1);

struct PodCase {
  std::string ready = "True";  // the Ready condition's status
  std::string phase = "Running";
  bool deleting = false;
  TimePoint started = kCool;
};

struct Case {
  std::string name;
  int32_t current = 0;
  int32_t target = 0;       // utilization percent
  int64_t request = 1000;   // per container, milli
  std::vector<PodCase> pods;
  std::vector<std::vector<int64_t>> levels;  // per pod, per container (milli)
  std::string container;
  int32_t want_replicas = 0;
  int32_t want_utilization = 0;
  int64_t want_raw = 0;
  std::string want_error;
};

std::vector<api::Pod> make_pods(const Case& c) {
  std::vector<api::Pod> out;
  for (size_t i = 0; i < c.pods.size(); ++i) {
    auto p = make_pod("ns", "test-pod-" + std::to_string(i));
    p.spec.containers.clear();
    for (const char* n : {"container1", "container2"}) {
      api::Container ctr;
      ctr.name = n;
      if (c.request > 0)
        ctr.resources.requests["cpu"] = api::Quantity::from_milli(c.request, api::Quantity::Format::DecimalSI);
      p.spec.containers.push_back(ctr);
    }
    const auto& pc = c.pods[i];
    p.status.phase = pc.phase;
    p.status.start_time.value = pc.started;
    api::PodCondition ready;
    ready.type = "Ready";
    ready.status = pc.ready;
    // Ready (or not) since it started: a hot pod's first sample is older than that plus a window.
    ready.last_transition_time.value = pc.started;
    p.status.conditions.push_back(ready);
    if (pc.deleting) p.metadata.deletion_timestamp = api::Time{kNow};
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<metrics::PodMetrics> make_metrics(const Case& c, TimePoint sampled) {
  std::vector<metrics::PodMetrics> out;
  for (size_t i = 0; i < c.levels.size(); ++i) {
    metrics::PodMetrics m;
    m.name = "test-pod-" + std::to_string(i);
    m.namespace_ = "ns";
    m.timestamp = sampled;
    m.window = minutes(1);
    for (size_t k = 0; k < c.levels[i].size(); ++k)
      m.containers.push_back({"container" + std::to_string(k + 1),
                              {{"cpu", api::Quantity::from_milli(c.levels[i][k], api::Quantity::Format::DecimalSI)}}});
    out.push_back(std::move(m));
  }
  return out;
}

/// Both containers at `level`, for each pod (upstream makePodMetricLevels).
std::vector<std::vector<int64_t>> levels(std::initializer_list<int64_t> per_container) {
  std::vector<std::vector<int64_t>> out;
  for (auto l : per_container) out.push_back({l, l});
  return out;
}

std::vector<PodCase> running(size_t n) { return std::vector<PodCase>(n); }

}  // namespace

TEST_CASE("replica calculator: utilization targets as upstream's table", "[controllers][hpa]") {
  const PodCase not_ready{.ready = "False"};
  const PodCase failed{.ready = "False", .phase = "Failed"};
  const PodCase pending{.ready = "False", .phase = "Pending"};
  const PodCase deleting{.ready = "False", .deleting = true};
  const PodCase hot{.started = kHot};
  const std::vector<Case> cases = {
      {"ScaleUp", 3, 30, 1000, running(3), levels({300, 500, 700}), "", 5, 50, 1000},
      {"ContainerScaleUp", 3, 30, 1000, running(3), {{1000, 300}, {1000, 500}, {1000, 700}}, "container2", 5, 50, 500},
      // ContainerResource: only the named container's use and request count.
      {"ScaleUpContainerHotCpuLessScale", 3, 30, 1000, {hot, {}, {}}, {{0, 300}, {0, 500}, {0, 700}}, "container2", 4, 60, 600},
      {"ScaleUpContainerIgnoresFailedPods", 2, 30, 1000, {{}, {}, failed, failed}, {{1000, 500}, {9000, 700}}, "container2", 4, 60, 600},
      // Pods whose metrics lack the container have no sample (1.32, kubernetes#127193), not an error.
      {"MissingContainerMetricScaleUpIgnoresFailedPods", 2, 30, 1000, {{}, {}, failed, failed},
       {{1000, 500}, {9000, 700}, {1000}, {9000}}, "container2", 4, 60, 600},
      {"ScaleUpContainerIgnoresDeletionPods", 2, 30, 1000, {{}, {}, deleting, deleting}, levels({500, 700}), "container1", 4, 60, 600},
      {"ContainerScaleDown", 5, 50, 1000, running(5), {{1000, 100}, {1000, 300}, {1000, 500}, {1000, 250}, {1000, 250}}, "container2", 3, 28, 280},
      {"ScaleDownContainerExcludeUnreadyPods", 5, 50, 1000, {{}, {}, {}, not_ready, not_ready},
       {{1000, 100}, {1000, 300}, {1000, 500}, {1000, 250}, {1000, 250}}, "container2", 2, 30, 300},
      {"ScaleDownContainerExcludeUnscheduledPods", 5, 50, 1000, {{}, pending, pending, pending, pending},
       {{1000, 100}, {1000, 300}, {1000, 500}, {1000, 250}, {1000, 250}}, "container2", 1, 10, 100},
      {"ScaleDownContainerIgnoreHotCpuPods", 5, 50, 1000, {{}, {}, {}, hot, hot},
       {{1000, 100}, {1000, 300}, {1000, 500}, {1000, 1000}, {1000, 1000}}, "container2", 2, 30, 300},
      {"ScaleDownContainerIgnoresFailedPods", 5, 50, 1000, {{}, {}, {}, {}, {}, failed, failed},
       {{1000, 100}, {1000, 300}, {1000, 500}, {1000, 250}, {1000, 250}}, "container2", 3, 28, 280},
      {"ScaleDownIgnoresDeletionPods_StillRunning", 5, 50, 1000, {{}, {}, {}, {}, {}, deleting, deleting},
       {{1000, 100}, {1000, 300}, {1000, 500}, {1000, 250}, {1000, 250}}, "container2", 3, 28, 280},
      {"ScaleUpUnreadyLessScale", 3, 30, 1000, {not_ready, {}, {}}, levels({300, 500, 700}), "", 4, 60, 1200},
      {"ScaleUpHotCpuLessScale", 3, 30, 1000, {hot, {}, {}}, levels({300, 500, 700}), "", 4, 60, 1200},
      {"ScaleUpUnreadyNoScale", 3, 30, 1000, {{}, not_ready, not_ready}, levels({400, 500, 700}), "", 3, 40, 800},
      {"ScaleUpIgnoresFailedPods", 2, 30, 1000, {{}, {}, failed, failed}, levels({500, 700}), "", 4, 60, 1200},
      {"ScaleUpIgnoresDeletionPods", 2, 30, 1000, {{}, {}, deleting, deleting}, levels({500, 700}), "", 4, 60, 1200},
      {"ScaleDown", 5, 50, 1000, running(5), levels({100, 300, 500, 250, 250}), "", 3, 28, 560},
      {"ScaleDownExcludeUnreadyPods", 5, 50, 1000, {{}, {}, {}, not_ready, not_ready}, levels({100, 300, 500, 250, 250}), "", 2, 30, 600},
      {"ScaleDownExcludeUnscheduledPods", 5, 50, 1000, {{}, pending, pending, pending, pending}, levels({100}), "", 1, 10, 200},
      {"ScaleDownIgnoreHotCpuPods", 5, 50, 1000, {{}, {}, {}, hot, hot}, levels({100, 300, 500, 250, 250}), "", 2, 30, 600},
      {"ScaleDownIgnoresFailedPods", 5, 50, 1000, {{}, {}, {}, {}, {}, failed, failed}, levels({100, 300, 500, 250, 250}), "", 3, 28, 560},
      {"SuperfluousMetrics", 4, 100, 1000, running(4), levels({4000, 9500, 3000, 7000, 3200, 2000}), "", 24, 587, 11750},
      {"MissingMetrics", 4, 100, 1000, running(4), levels({400, 95}), "", 3, 24, 495},
      {"MissingMetricsNoChangeEq", 2, 100, 1000, running(2), levels({1000}), "", 2, 100, 2000},
      {"MissingMetricsNoChangeGt", 2, 100, 1000, running(2), levels({1900}), "", 2, 190, 3800},
      {"MissingMetricsNoChangeLt", 2, 100, 1000, running(2), levels({600}), "", 2, 60, 1200},
      {"MissingMetricsUnreadyChange", 3, 50, 1000, {not_ready, {}, {}}, levels({100, 450}), "", 3, 45, 900},
      {"EmptyCPURequest", 1, 100, 0, running(1), levels({200}), "", 0, 0, 0, "missing request for cpu in container container1 of Pod test-pod-0"},
      {"NoPods", 1, 100, 1000, {}, levels({200}), "", 0, 0, 0, "no pods returned by selector while calculating replica count"},
      {"AllUnready", 2, 100, 1000, {not_ready, not_ready}, levels({200, 200}), "", 0, 0, 0,
       "did not receive metrics for targeted pods (pods might be unready)"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto pods = make_pods(c);
    std::vector<const api::Pod*> ptrs;
    for (const auto& p : pods) ptrs.push_back(&p);
    // Hot pods' samples were taken before one window after they became ready.
    auto samples = resource_metric(make_metrics(c, kHot + seconds(30)), "cpu", c.container);
    REQUIRE(samples);
    ReplicaCalculator calc({}, kNow);
    auto r = calc.utilization_replicas(c.current, c.target, "cpu", ptrs, *samples, c.container);
    if (!c.want_error.empty()) {
      REQUIRE_FALSE(r);
      CHECK(r.error() == c.want_error);
      continue;
    }
    REQUIRE(r);
    CHECK(r->replicas == c.want_replicas);
    CHECK(r->utilization == c.want_utilization);
    CHECK(r->raw_average_milli == c.want_raw);
  }
}

TEST_CASE("replica calculator: a change within the tolerance keeps the count", "[controllers][hpa]") {
  // Upstream TestReplicaCalcTolerance: requests 0.9, 1.0, 1.1 per container, use 1010, 1030, 1020.
  Case c{.current = 3, .target = 100, .pods = running(3), .levels = levels({1010, 1030, 1020})};
  auto pods = make_pods(c);
  const int64_t requests[] = {900, 1000, 1100};
  for (size_t i = 0; i < pods.size(); ++i)
    for (auto& ctr : pods[i].spec.containers)
      ctr.resources.requests["cpu"] = api::Quantity::from_milli(requests[i], api::Quantity::Format::DecimalSI);
  std::vector<const api::Pod*> ptrs;
  for (const auto& p : pods) ptrs.push_back(&p);
  auto samples = resource_metric(make_metrics(c, kNow), "cpu", "");
  REQUIRE(samples);
  auto r = ReplicaCalculator({}, kNow).utilization_replicas(3, 100, "cpu", ptrs, *samples);
  REQUIRE(r);
  CHECK(r->replicas == 3);
  CHECK(r->utilization == 102);
  CHECK(r->raw_average_milli == 2040);
  // A tolerance of 0 acts on the 2 %.
  auto strict = ReplicaCalculator({.tolerance = 0.0}, kNow).utilization_replicas(3, 100, "cpu", ptrs, *samples);
  REQUIRE(strict);
  CHECK(strict->replicas == 4);
}

TEST_CASE("replica calculator: average value targets", "[controllers][hpa]") {
  // Three ready pods using 200m, 300m, 400m (summed over their two containers: 400m..800m)
  // against an average target of 300m per pod: 600m average, ratio 2, 6 replicas.
  Case c{.current = 3, .target = 0, .pods = running(3), .levels = levels({200, 300, 400})};
  const auto pods = make_pods(c);
  std::vector<const api::Pod*> ptrs;
  for (const auto& p : pods) ptrs.push_back(&p);
  auto samples = resource_metric(make_metrics(c, kNow), "cpu", "");
  REQUIRE(samples);
  auto r = ReplicaCalculator({}, kNow).average_value_replicas(3, 300, "cpu", ptrs, *samples);
  REQUIRE(r);
  CHECK(r->replicas == 6);
  CHECK(r->average_milli == 600);
  // Memory is never "unready": a pod that is not ready still counts.
  Case m{.current = 2, .pods = {{.ready = "False"}, {}}, .levels = levels({100, 100})};
  const auto mpods = make_pods(m);
  std::vector<const api::Pod*> mptrs{&mpods[0], &mpods[1]};
  std::vector<metrics::PodMetrics> mem = make_metrics(m, kNow);
  for (auto& pm : mem)
    for (auto& ctr : pm.containers) ctr.usage = {{"memory", *api::Quantity::parse("100Mi")}};
  auto msamples = resource_metric(mem, "memory", "");
  REQUIRE(msamples);
  CHECK(msamples->size() == 2);
  auto mr = ReplicaCalculator({}, kNow).average_value_replicas(2, (50LL << 20) * 1000, "memory", mptrs, *msamples);
  REQUIRE(mr);
  CHECK(mr->replicas == 8);  // 200Mi per pod against 50Mi: ratio 4
}

TEST_CASE("replica calculator: metrics of pods from the metrics API", "[controllers][hpa]") {
  CHECK(resource_metric({}, "cpu", "").error() == "no metrics returned from resource metrics API");
  metrics::PodMetrics p;
  p.name = "a";
  p.containers = {{"app", {{"cpu", *api::Quantity::parse("250m")}}},
                  {"sidecar", {{"cpu", *api::Quantity::parse("50m")}}}};
  metrics::PodMetrics q;
  q.name = "b";  // a container without cpu: no sample for the pod
  q.containers = {{"app", {{"cpu", *api::Quantity::parse("100m")}}}, {"sidecar", {}}};
  auto all = resource_metric({p, q}, "cpu", "");
  REQUIRE(all);
  CHECK(all->size() == 1);
  CHECK(all->at("a").milli_value == 300);
  auto app = resource_metric({p, q}, "cpu", "app");
  REQUIRE(app);
  CHECK(app->size() == 2);
  CHECK(app->at("a").milli_value == 250);
  CHECK(app->at("b").milli_value == 100);
  // A container without the resource, or not in a pod's metrics at all: that pod has no
  // sample (it counts as missing), as upstream 1.32 — not an error for the whole metric.
  metrics::PodMetrics r;
  r.name = "c";
  r.containers = {{"app", {{"cpu", *api::Quantity::parse("70m")}}}};
  auto sidecar = resource_metric({p, q, r}, "cpu", "sidecar");
  REQUIRE(sidecar);
  CHECK(sidecar->size() == 1);
  CHECK(sidecar->at("a").milli_value == 50);
}
