// The HorizontalPodAutoscaler with the real kubectl: `kubectl autoscale` (which posts an
// autoscaling/v1 object), `kubectl get hpa` (v2, the preferred version, as a server-side
// Table), `kubectl describe hpa`, and the documentation walkthrough's manifests applied
// unchanged (tests/e2e/manifests/autoscaling/).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "actors/client/blocking_client.hpp"
#include "api/types/autoscaling.hpp"
#include "kubectl_fixture.hpp"

using namespace kactor::testing;
namespace api = kactor::api;

namespace {

std::string manifest(const std::string& name) {
  return (std::filesystem::path(KACTOR_E2E_MANIFESTS_DIR) / "autoscaling" / name).string();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string ok(const Kubectl& k, std::vector<std::string> args) {
  auto r = k.run(args);
  INFO("kubectl " << k.minor() << " stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

/// A line of `text` (columns folded, indentation dropped) starts with `prefix`.
bool has_line(const std::string& text, const std::string& prefix) {
  for (auto l : folded_lines(text)) {
    if (!l.empty() && l.front() == ' ') l.erase(0, 1);
    if (l.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

/// A served cluster whose metrics server scrapes every second and whose HPA controller syncs
/// every second, so the walkthrough's numbers show within the kubelet's first samples.
ServedCluster fast_cluster() {
  return ServedCluster(true, 2, std::chrono::seconds(30), [](kactor::ClusterOptions& o) {
    o.metrics.resolution = std::chrono::seconds(1);
    o.hpa.sync_period = std::chrono::seconds(1);
  });
}

}  // namespace

TEST_CASE("kubectl: autoscale an RC, get and describe its HPA", "[hpa]") {
  for (const auto& bin : kubectls()) {
    auto c = fast_cluster();
    Kubectl k(bin, c);
    INFO("kubectl " << k.minor());
    CHECK(ok(k, {"apply", "-f", manifest("web-rc.yaml")}) == "replicationcontroller/web created\n");
    CHECK(ok(k, {"autoscale", "rc", "web", "--cpu-percent=50", "--min=1", "--max=10"}) ==
          "horizontalpodautoscaler.autoscaling/web autoscaled\n");

    // kubectl autoscale sent autoscaling/v1: stored as v2 with the cpu metric.
    auto stored = c.cluster->client().get<api::HorizontalPodAutoscaler>("default", "web");
    REQUIRE(stored);
    REQUIRE((*stored)->spec.metrics.size() == 1);
    CHECK((*stored)->spec.metrics[0].resource->target.average_utilization == 50);
    CHECK((*stored)->spec.scale_target_ref.kind == "ReplicationController");

    // The pod's 50m of its 200m request: 25 % against the 50 % target.
    REQUIRE(c.cluster->wait_for(api::HorizontalPodAutoscaler::static_type(), [](const auto& objs) {
      for (const auto& o : objs)
        if (auto h = api::as<api::HorizontalPodAutoscaler>(o);
            h && !h->status.current_metrics.empty() && h->status.current_metrics[0].resource)
          return h->status.current_metrics[0].resource->current.average_utilization == 25;
      return false;
    }, std::chrono::seconds(60)));

    auto table = folded_lines(ok(k, {"get", "hpa"}));
    REQUIRE(table.size() >= 2);
    CHECK(table[0] == "NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE");
    CHECK(table[1].rfind("web ReplicationController/web cpu: 25%/50% 1 10 1 ", 0) == 0);

    // The v1 view of the same object.
    CHECK(ok(k, {"get", "horizontalpodautoscalers.v1.autoscaling", "web", "-o",
                 "jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage} "
                 "{.status.currentCPUUtilizationPercentage}"}) == "autoscaling/v1 50 25");

    if (k.minor() >= 23) {  // describe reads autoscaling/v2 (GA in 1.23)
      auto d = ok(k, {"describe", "hpa", "web"});
      INFO(d);
      CHECK(has_line(d, "Name: web"));
      CHECK(has_line(d, "Namespace: default"));
      CHECK(has_line(d, "Reference: ReplicationController/web"));
      CHECK(has_line(d, "Metrics: ( current / target )"));
      CHECK(has_line(d, "resource cpu on pods (as a percentage of request): 25% (50m) / 50%"));
      CHECK(has_line(d, "Min replicas: 1"));
      CHECK(has_line(d, "Max replicas: 10"));
      CHECK(has_line(d, "ReplicationController pods: 1 current / 1 desired"));
      CHECK(has_line(d, "AbleToScale True ReadyForNewScale recommended size matches current size"));
      CHECK(has_line(d, "ScalingActive True ValidMetricFound the HPA was able to successfully "
                        "calculate a replica count from cpu resource utilization (percentage of "
                        "request)"));
      CHECK(has_line(d, "ScalingLimited False DesiredWithinRange the desired count is within the "
                        "acceptable range"));
    }

    // A bad edit is refused with upstream's message.
    auto bad = k.run({"patch", "hpa", "web", "--type=merge", "-p", R"({"spec":{"minReplicas":0}})"});
    CHECK(bad.exit_code == 1);
    CHECK(contains(bad.err, "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"));
    // A v1 patch goes through the v1 document.
    ok(k, {"patch", "horizontalpodautoscalers.v1.autoscaling", "web", "--type=merge", "-p",
           R"({"spec":{"targetCPUUtilizationPercentage":70}})"});
    stored = c.cluster->client().get<api::HorizontalPodAutoscaler>("default", "web");
    REQUIRE(stored);
    CHECK((*stored)->spec.metrics[0].resource->target.average_utilization == 70);
  }
}

TEST_CASE("walkthrough: HorizontalPodAutoscaler Walkthrough manifests", "[hpa]") {
  for (const auto& bin : kubectls()) {
    auto c = fast_cluster();
    Kubectl k(bin, c);
    INFO("kubectl " << k.minor());
    CHECK(ok(k, {"apply", "-f", manifest("php-apache.yaml")}) ==
          "deployment.apps/php-apache created\nservice/php-apache created\n");
    CHECK(ok(k, {"autoscale", "deployment", "php-apache", "--cpu-percent=50", "--min=1", "--max=10"}) ==
          "horizontalpodautoscaler.autoscaling/php-apache autoscaled\n");
    auto table = folded_lines(ok(k, {"get", "hpa"}));
    REQUIRE(table.size() >= 2);
    CHECK(table[0] == "NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE");
    CHECK(table[1].rfind("php-apache Deployment/php-apache cpu: ", 0) == 0);
    CHECK(contains(table[1], "/50% 1 10 "));
    CHECK(ok(k, {"delete", "hpa", "php-apache"}) ==
          "horizontalpodautoscaler.autoscaling \"php-apache\" deleted\n");

    // The declarative form of the same autoscaler (autoscaling/v2).
    CHECK(ok(k, {"apply", "-f", manifest("hpa/php-apache.yaml")}) ==
          "horizontalpodautoscaler.autoscaling/php-apache created\n");
    CHECK(ok(k, {"get", "hpa", "php-apache", "-o", "jsonpath={.spec.metrics[0].resource.target}"}) ==
          R"({"averageUtilization":50,"type":"Utilization"})");
    // Applying it again changes nothing.
    CHECK(ok(k, {"apply", "-f", manifest("hpa/php-apache.yaml")}) ==
          "horizontalpodautoscaler.autoscaling/php-apache unchanged\n");
    // Listed in `kubectl get all` (category all) by its short name's kind.
    CHECK(contains(ok(k, {"get", "all"}), "horizontalpodautoscaler.autoscaling/php-apache"));
  }
}
