// The HorizontalPodAutoscaler end to end on a VirtualClock: the kubelets model the pods' cpu
// (kactor.io/cpu-usage), the metrics server scrapes it, and the controller scales a
// ReplicationController through its scale, on upstream's schedule (a sync every 15 s, the
// default scale-up limit, the 300 s scale-down stabilization window) and within its
// behavior's policies.
#include <optional>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "actors/client/blocking_client.hpp"
#include "api/testing/builders.hpp"
#include "api/time/virtual_clock.hpp"
#include "api/types/autoscaling.hpp"
#include "tests/integration/cluster_support.hpp"
#include "tests/integration/virtual_time.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

constexpr Duration kLeaseInterval = 10s;
constexpr const char* kUsage = "kactor.io/cpu-usage";

/// An RC of `replicas` pods requesting 200m cpu each, using `usage`.
api::ReplicationController web_rc(int32_t replicas, const std::string& usage) {
  auto rc = api::testing::make_replication_controller("default", "web", replicas, {{"app", "web"}});
  rc.spec.template_->spec.containers[0].resources.requests["cpu"] = api::testing::qty("200m");
  rc.spec.template_->metadata.annotations[kUsage] = usage;
  return rc;
}

/// An autoscaling/v2 HPA of rc/web: 1..10 replicas, cpu at 50 % of the request.
api::HorizontalPodAutoscaler web_hpa() {
  api::HorizontalPodAutoscaler h;
  h.metadata.namespace_ = "default";
  h.metadata.name = "web";
  h.spec.scale_target_ref = {"ReplicationController", "web", "v1"};
  h.spec.min_replicas = 1;
  h.spec.max_replicas = 10;
  api::MetricSpec cpu;
  cpu.type = "Resource";
  cpu.resource = api::ResourceMetricSource{"cpu", {.type = "Utilization", .average_utilization = 50}};
  h.spec.metrics.push_back(cpu);
  return h;
}

int32_t rc_replicas(Cluster& cluster) {
  auto rc = cluster.client().get<api::ReplicationController>("default", "web");
  REQUIRE(rc);
  return (*rc)->spec.replicas.value_or(1);
}

/// Sets the cpu use of every pod of rc/web, and of the pods it makes from now on.
void set_load(Cluster& cluster, const std::string& usage) {
  auto& client = cluster.client();
  const std::string patch = R"({"metadata":{"annotations":{")" + std::string(kUsage) + R"(":")" + usage + R"("}}})";
  // The template (a merge patch: the HPA may be writing spec.replicas meanwhile).
  const std::string rc_patch = R"({"spec":{"template":)" + patch + "}}";
  REQUIRE(client.patch(api::ReplicationController::static_type(), "default", "web",
                       "application/merge-patch+json", rc_patch));
  auto pods = client.list<api::Pod>("default");
  REQUIRE(pods);
  for (const auto& p : pods->items)
    if (p->metadata.labels.count("app") && !p->metadata.deletion_timestamp)
      REQUIRE(client.patch(api::Pod::static_type(), "default", p->metadata.name,
                           "application/merge-patch+json", patch));
}

/// Follows rc/web's spec.replicas while time moves: every change and when it happened.
struct ScaleLog {
  std::vector<std::pair<int32_t, TimePoint>> steps;
  void observe(int32_t replicas, TimePoint now) {
    if (steps.empty() || steps.back().first != replicas) steps.push_back({replicas, now});
  }
  std::vector<int32_t> counts() const {
    std::vector<int32_t> out;
    for (const auto& [r, t] : steps) out.push_back(r);
    return out;
  }
};

/// Moves time until rc/web asks for `want` replicas, logging every count on the way.
bool advance_until_replicas(VirtualTime& time, VirtualClock& clock, Cluster& cluster, ScaleLog& log,
                            int32_t want, Duration limit) {
  return time.advance_until(
      api::ReplicationController::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        for (const auto& o : objs)
          if (auto rc = api::as<api::ReplicationController>(o); rc && rc->metadata.name == "web") {
            log.observe(rc->spec.replicas.value_or(1), clock.now());
            return rc->spec.replicas.value_or(1) == want;
          }
        return false;
      },
      limit);
}

const api::HorizontalPodAutoscalerCondition* condition(const api::HorizontalPodAutoscaler& h,
                                                       const std::string& type) {
  for (const auto& c : h.status.conditions)
    if (c.type == type) return &c;
  return nullptr;
}

std::unique_ptr<Cluster> start_cluster(VirtualClock& clock) {
  auto opts = seeded_options();
  opts.clock = &clock;
  opts.nodes = 2;
  auto started = Cluster::start(opts);
  REQUIRE(started.has_value());
  REQUIRE((*started)->wait_nodes_ready(2, kWait));
  return std::move(*started);
}

}  // namespace

TEST_CASE("the HPA scales an RC up 1 -> 4 -> 8 under load and down only after 300 s", "[hpa]") {
  VirtualClock clock;
  auto cluster_ptr = start_cluster(clock);
  auto& cluster = *cluster_ptr;
  VirtualTime time(cluster, clock, kLeaseInterval);

  // One pod at 50m: 25 % of its request, half the 50 % target.
  REQUIRE(cluster.client().create(web_rc(1, "50m")));
  REQUIRE(cluster.client().create(web_hpa()));
  // The HPA reads the metric and stays at 1 (the desired count, ceil(0.5 x 1) = 1).
  REQUIRE(time.advance_until(
      api::HorizontalPodAutoscaler::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        for (const auto& o : objs)
          if (auto h = api::as<api::HorizontalPodAutoscaler>(o); h && !h->status.current_metrics.empty() &&
                                                                 h->status.current_metrics[0].resource)
            return h->status.current_metrics[0].resource->current.average_utilization == 25;
        return false;
      },
      120s));
  {
    auto h = cluster.client().get<api::HorizontalPodAutoscaler>("default", "web");
    REQUIRE(h);
    CHECK((*h)->status.current_replicas == 1);
    CHECK((*h)->status.desired_replicas == 1);
    REQUIRE(condition(**h, "ScalingActive"));
    CHECK(condition(**h, "ScalingActive")->reason == "ValidMetricFound");
    CHECK(condition(**h, "ScalingActive")->message ==
          "the HPA was able to successfully calculate a replica count from cpu resource utilization "
          "(percentage of request)");
    CHECK(condition(**h, "AbleToScale")->reason == "ReadyForNewScale");
  }
  CHECK(rc_replicas(cluster) == 1);

  // The load step: every pod at 400m, 200 % of its request, 4 x the target. The default
  // scale-up limit (double, at least 4) takes it to 4, then 8, then the maximum.
  const auto step = clock.now();
  set_load(cluster, "400m");
  ScaleLog up;
  REQUIRE(advance_until_replicas(time, clock, cluster, up, 10, 300s));
  CHECK(up.counts() == std::vector<int32_t>{1, 4, 8, 10});
  // Rescales happen at syncs, a period apart (observed at 1 s steps, so within a step of
  // it), and the first within two syncs and a metrics scrape of the step.
  REQUIRE(up.steps.size() == 4);
  CHECK(up.steps[1].second - step <= 60s);
  // Syncs a period apart: read from the SuccessfulRescale events, stamped when the controller
  // acted (the 1 s observation steps above can see a rescale late).
  auto rescaled_at = [&](int32_t n) -> std::optional<TimePoint> {
    auto listed = cluster.client().list<api::Event>("default");
    if (!listed) return std::nullopt;
    const std::string prefix = "New size: " + std::to_string(n) + ";";
    for (const auto& e : listed->items)
      if (e->reason == "SuccessfulRescale" && e->message.starts_with(prefix))
        return e->first_timestamp.value;
    return std::nullopt;
  };
  // The last rescale's event is recorded once its scale write has answered, which the test
  // can see first: wait for it (it needs no more virtual time).
  REQUIRE(cluster.wait_for(
      api::Event::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        for (const auto& o : objs)
          if (auto e = api::as<api::Event>(o);
              e && e->reason == "SuccessfulRescale" && e->message.starts_with("New size: 10;"))
            return true;
        return false;
      },
      std::chrono::seconds(10)));
  const auto at4 = rescaled_at(4), at8 = rescaled_at(8), at10 = rescaled_at(10);
  REQUIRE(at4);
  REQUIRE(at8);
  REQUIRE(at10);
  // Each rescale comes from a later sync. Not asserted as "a period apart": the event is
  // stamped when the sync's requests have returned, and the harness moves virtual time on
  // while they are in flight (by several steps on a loaded machine: CI once saw 8 s between
  // two syncs 15 s apart). The 1 -> 4 -> 8 -> 10 counts above are what the period limits.
  CHECK(*at8 > *at4);
  CHECK(*at10 > *at8);
  {
    auto h = cluster.client().get<api::HorizontalPodAutoscaler>("default", "web");
    REQUIRE(h);
    REQUIRE((*h)->status.last_scale_time);
    CHECK(condition(**h, "AbleToScale")->reason == "SucceededRescale");
  }
  // Events: SuccessfulRescale with upstream's wording.
  auto events = cluster.client().list<api::Event>("default");
  REQUIRE(events);
  std::vector<std::string> rescales;
  for (const auto& e : events->items)
    if (e->reason == "SuccessfulRescale") rescales.push_back(e->message);
  CHECK(std::count(rescales.begin(), rescales.end(),
                   "New size: 4; reason: cpu resource utilization (percentage of request) above target") == 1);
  CHECK(std::count(rescales.begin(), rescales.end(),
                   "New size: 8; reason: cpu resource utilization (percentage of request) above target") == 1);

  // The load goes. The recommendations of the last 300 s still include 10 or more, so the
  // count holds that long, then drops to what the metric asks for (10 x 0.5 = 5).
  const auto quiet = clock.now();
  set_load(cluster, "50m");
  ScaleLog down;
  REQUIRE(advance_until_replicas(time, clock, cluster, down, 5, 420s));
  REQUIRE(down.steps.size() >= 2);
  CHECK(down.steps[0].first == 10);
  // Down only. A sync whose metrics were scraped while the load changed (some pods' usage
  // read before it, some after) recommends a count between 10 and 5; it stays in the
  // window after the high ones left it, so the count may stop there for a sync or two on
  // its way to 5 (a full test run once logged three counts), as upstream's would.
  for (size_t i = 1; i < down.steps.size(); ++i) CHECK(down.steps[i].first < down.steps[i - 1].first);
  // The first drop: not before the window has passed the last high recommendation, which
  // may come from the sync just before the load went (the next sample already shows the
  // new load): the window ends at most a period early.
  CHECK(down.steps[1].second - quiet >= 300s - 15s);
  CHECK(down.steps[1].second - quiet <= 300s + 60s);
  // (The AbleToScale condition is not checked here: by the time the count is seen it may
  // already show the next sync's ScaleDownStabilized.)
}

TEST_CASE("the HPA's behavior policies limit how fast it scales", "[hpa]") {
  VirtualClock clock;
  auto cluster_ptr = start_cluster(clock);
  auto& cluster = *cluster_ptr;
  VirtualTime time(cluster, clock, kLeaseInterval);

  REQUIRE(cluster.client().create(web_rc(1, "400m")));
  auto h = web_hpa();
  // At most 2 pods a minute up; never down.
  h.spec.behavior = api::HorizontalPodAutoscalerBehavior{
      .scale_up = api::HPAScalingRules{.policies = {{"Pods", 2, 60}}},
      .scale_down = api::HPAScalingRules{.select_policy = "Disabled"}};
  REQUIRE(cluster.client().create(h));
  {
    // The API server filled in the rest of the behavior.
    auto stored = cluster.client().get<api::HorizontalPodAutoscaler>("default", "web");
    REQUIRE(stored);
    const auto& b = *(*stored)->spec.behavior;
    CHECK(b.scale_up->stabilization_window_seconds == 0);
    CHECK(b.scale_up->select_policy == "Max");
    CHECK(b.scale_down->stabilization_window_seconds == 300);
    CHECK(b.scale_down->policies == std::vector<api::HPAScalingPolicy>{{"Percent", 100, 15}});
  }
  ScaleLog up;
  REQUIRE(advance_until_replicas(time, clock, cluster, up, 3, 120s));
  // No more within the policy's minute.
  const auto first = up.steps.back().second;
  REQUIRE(advance_until_replicas(time, clock, cluster, up, 5, 150s));
  CHECK(up.counts() == std::vector<int32_t>{1, 3, 5});
  CHECK(up.steps[2].second - first >= 60s - 1s);
  {
    auto stored = cluster.client().get<api::HorizontalPodAutoscaler>("default", "web");
    REQUIRE(stored);
    REQUIRE(condition(**stored, "ScalingLimited"));
  }

  // selectPolicy Disabled: with the load gone (and the metrics caught up) it never scales
  // down, though the metric asks for 1.
  set_load(cluster, "10m");
  time.advance(60s);
  const int32_t settled = rc_replicas(cluster);
  CHECK(settled >= 5);
  time.advance(360s);
  CHECK(rc_replicas(cluster) == settled);
  auto stored = cluster.client().get<api::HorizontalPodAutoscaler>("default", "web");
  REQUIRE(stored);
  CHECK((*stored)->status.desired_replicas == settled);
}

TEST_CASE("the HPA reports a target it cannot find", "[hpa]") {
  VirtualClock clock;
  auto cluster_ptr = start_cluster(clock);
  auto& cluster = *cluster_ptr;
  VirtualTime time(cluster, clock, kLeaseInterval);
  REQUIRE(cluster.client().create(web_hpa()));  // no rc/web
  REQUIRE(time.advance_until(
      api::HorizontalPodAutoscaler::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        for (const auto& o : objs)
          if (auto h = api::as<api::HorizontalPodAutoscaler>(o); h && condition(*h, "AbleToScale"))
            return condition(*h, "AbleToScale")->reason == "FailedGetScale";
        return false;
      },
      60s));
  auto h = cluster.client().get<api::HorizontalPodAutoscaler>("default", "web");
  REQUIRE(h);
  const auto* c = condition(**h, "AbleToScale");
  CHECK(c->status == "False");
  CHECK(c->message.rfind("the HPA controller was unable to get the target's current scale: ", 0) == 0);
}

TEST_CASE("the HPA scales a Deployment through its scale subresource", "[hpa]") {
  VirtualClock clock;
  auto cluster_ptr = start_cluster(clock);
  auto& cluster = *cluster_ptr;
  VirtualTime time(cluster, clock, kLeaseInterval);

  // A Deployment of one pod at 400m against a 200m request: 4 x the 50 % target.
  api::Deployment d;
  d.metadata.namespace_ = "default";
  d.metadata.name = "web";
  d.spec.replicas = 1;
  d.spec.selector = api::LabelSelector{};
  d.spec.selector->match_labels = {{"app", "web"}};
  d.spec.template_ = web_rc(1, "400m").spec.template_.value();
  REQUIRE(cluster.client().create(d));
  auto hpa = web_hpa();
  hpa.spec.scale_target_ref = {"Deployment", "web", "apps/v1"};
  REQUIRE(cluster.client().create(hpa));

  // The default scale-up limit (double, at least 4) takes it from 1 to 4 at the first
  // sync that sees the metric; the Deployment rolls that out through its ReplicaSet.
  REQUIRE(time.advance_until(
      api::ReplicaSet::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        for (const auto& o : objs)
          if (auto rs = api::as<api::ReplicaSet>(o); rs && rs->metadata.name.starts_with("web-"))
            return rs->spec.replicas.value_or(1) >= 4;
        return false;
      },
      120s));
  auto dep = cluster.client().get<api::Deployment>("default", "web");
  REQUIRE(dep);
  CHECK((*dep)->spec.replicas.value_or(1) >= 4);
  // The status of the sync that rescaled is written after the scale (as in the test above).
  REQUIRE(cluster.wait_for(
      api::HorizontalPodAutoscaler::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        for (const auto& o : objs)
          if (auto h = api::as<api::HorizontalPodAutoscaler>(o); h && h->metadata.name == "web")
            return h->status.desired_replicas >= 4;
        return false;
      },
      std::chrono::seconds(10)));
  auto h = cluster.client().get<api::HorizontalPodAutoscaler>("default", "web");
  REQUIRE(h);
  CHECK(condition(**h, "AbleToScale")->reason == "SucceededRescale");
  // The status answers the HPA's current spec.
  CHECK((*h)->status.observed_generation == (*h)->metadata.generation);
}

TEST_CASE("a ContainerResource metric counts only its container", "[hpa]") {
  VirtualClock clock;
  auto cluster_ptr = start_cluster(clock);
  auto& cluster = *cluster_ptr;
  VirtualTime time(cluster, clock, kLeaseInterval);

  // Each pod: app (200m request) at 400m, a sidecar (200m request) idle. The pod as a whole
  // is at 100 % of its requests (2 x the 50 % target), the app container alone at 200 % (4 x).
  auto rc = web_rc(1, "0m");
  auto& tpl = *rc.spec.template_;
  tpl.spec.containers[0].name = "app";
  api::Container sidecar = tpl.spec.containers[0];
  sidecar.name = "sidecar";
  tpl.spec.containers.push_back(sidecar);
  tpl.metadata.annotations[std::string(kUsage) + ".app"] = "400m";
  REQUIRE(cluster.client().create(rc));
  auto hpa = web_hpa();
  hpa.spec.metrics[0].type = "ContainerResource";
  hpa.spec.metrics[0].resource.reset();
  hpa.spec.metrics[0].container_resource =
      api::ContainerResourceMetricSource{"cpu", {.type = "Utilization", .average_utilization = 50}, "app"};
  REQUIRE(cluster.client().create(hpa));

  // ceil(4 x 1) = 4: the container's ratio, not the pod's (which would give 2).
  ScaleLog log;
  REQUIRE(advance_until_replicas(time, clock, cluster, log, 4, 120s));
  CHECK(log.counts() == std::vector<int32_t>{1, 4});
  // The controller writes the scale, then the status of the sync that made it: seen between
  // the two, the status is still the first sync's (no samples yet, so no metric in it). That
  // write needs no more time, only a moment.
  REQUIRE(cluster.wait_for(
      api::HorizontalPodAutoscaler::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        for (const auto& o : objs)
          if (auto h = api::as<api::HorizontalPodAutoscaler>(o); h && h->metadata.name == "web")
            return h->status.desired_replicas == 4;
        return false;
      },
      std::chrono::seconds(10)));
  auto h = cluster.client().get<api::HorizontalPodAutoscaler>("default", "web");
  REQUIRE(h);
  REQUIRE((*h)->status.current_metrics.size() == 1);
  const auto& current = (*h)->status.current_metrics[0];
  CHECK(current.type == "ContainerResource");
  CHECK_FALSE(current.resource);
  REQUIRE(current.container_resource);
  CHECK(current.container_resource->name == "cpu");
  CHECK(current.container_resource->container == "app");
  CHECK(current.container_resource->current.average_utilization == 200);
  CHECK(condition(**h, "ScalingActive")->message ==
        "the HPA was able to successfully calculate a replica count from cpu container resource "
        "utilization (percentage of request)");
  auto events = cluster.client().list<api::Event>("default");
  REQUIRE(events);
  bool rescaled = false;
  for (const auto& e : events->items)
    rescaled |= e->reason == "SuccessfulRescale" &&
                e->message == "New size: 4; reason: cpu container resource utilization (percentage of "
                              "request) above target";
  CHECK(rescaled);

  // A container no pod has: no pod has a sample, so the metric is unavailable.
  bool updated = false;
  for (int attempt = 0; attempt < 20 && !updated; ++attempt) {  // the controller writes status too
    auto fresh = cluster.client().get<api::HorizontalPodAutoscaler>("default", "web");
    REQUIRE(fresh);
    auto edited = **fresh;
    edited.spec.metrics[0].container_resource->container = "nope";
    auto r = cluster.client().update(edited);
    if (!r) REQUIRE(r.error().code == 409);
    updated = r.has_value();
  }
  REQUIRE(updated);
  REQUIRE(time.advance_until(
      api::HorizontalPodAutoscaler::static_type(),
      [](const std::vector<api::ObjectPtr>& objs) {
        for (const auto& o : objs)
          if (auto x = api::as<api::HorizontalPodAutoscaler>(o); x) {
            auto* c = condition(*x, "ScalingActive");
            return c && c->status == "False" && c->reason == "FailedGetContainerResourceMetric";
          }
        return false;
      },
      120s));
  CHECK(rc_replicas(cluster) == 4);
}
