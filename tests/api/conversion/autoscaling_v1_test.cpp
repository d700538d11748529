// autoscaling/v1 <-> v2 HorizontalPodAutoscaler conversion (api/conversion/autoscaling_v1.*).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api/codec/object_codec.hpp"
#include "api/conversion/autoscaling_v1.hpp"
#include "api/registry.hpp"
#include "api/served_versions.hpp"
#include "api/types/autoscaling.hpp"

using namespace kactor::api;
using nlohmann::json;

TEST_CASE("autoscaling/v1: what kubectl autoscale sends becomes a v2 cpu metric", "[conversion]") {
  // kubectl 1.32's `autoscale rc/web --min=1 --max=10 --cpu-percent=50`.
  json doc = json::parse(R"({"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1",
    "metadata":{"name":"web","creationTimestamp":null},
    "spec":{"scaleTargetRef":{"kind":"ReplicationController","name":"web","apiVersion":"v1"},
      "minReplicas":1,"maxReplicas":10,"targetCPUUtilizationPercentage":50},"status":{"currentReplicas":0,"desiredReplicas":0}})");
  REQUIRE(conversion::hpa_v1_to_v2(doc));
  CHECK(doc["apiVersion"] == "autoscaling/v2");
  CHECK(doc["spec"]["metrics"] == json::parse(R"([{"type":"Resource","resource":{"name":"cpu",
    "target":{"type":"Utilization","averageUtilization":50}}}])"));
  CHECK_FALSE(doc["spec"].contains("targetCPUUtilizationPercentage"));
  auto obj = decode_json(doc, {.strict = true}, &HorizontalPodAutoscaler::static_type());
  REQUIRE(obj);
  CHECK(as<HorizontalPodAutoscaler>(**obj)->spec.max_replicas == 10);
}

TEST_CASE("autoscaling/v1: a v2 object round-trips through v1 without loss", "[conversion]") {
  const json v2 = json::parse(R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
    "metadata":{"name":"web","namespace":"default","annotations":{"team":"a"}},
    "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},"minReplicas":2,"maxReplicas":10,
      "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}},
        {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"100Mi"}}}],
      "behavior":{"scaleDown":{"stabilizationWindowSeconds":60}}},
    "status":{"currentReplicas":2,"desiredReplicas":3,
      "currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":70,"averageValue":"140m"}}}],
      "conditions":[{"type":"AbleToScale","status":"True","reason":"SucceededRescale"}]}})");
  json v1 = v2;
  conversion::hpa_v2_to_v1(v1);
  CHECK(v1["apiVersion"] == "autoscaling/v1");
  CHECK(v1["spec"]["targetCPUUtilizationPercentage"] == 50);
  CHECK_FALSE(v1["spec"].contains("metrics"));
  CHECK_FALSE(v1["spec"].contains("behavior"));
  CHECK(v1["status"]["currentCPUUtilizationPercentage"] == 70);
  const auto& annotations = v1["metadata"]["annotations"];
  CHECK(annotations["team"] == "a");
  CHECK(json::parse(annotations[conversion::kMetricsAnnotation].get<std::string>()) ==
        json::parse(R"([{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"100Mi"}}}])"));
  CHECK(annotations.contains(conversion::kBehaviorAnnotation));
  CHECK(annotations.contains(conversion::kConditionsAnnotation));
  // The cpu current value went into currentCPUUtilizationPercentage; its averageValue is
  // v2-only and is dropped, as upstream does.
  CHECK_FALSE(annotations.contains(conversion::kCurrentMetricsAnnotation));

  json back = v1;
  REQUIRE(conversion::hpa_v1_to_v2(back));
  CHECK(back["spec"] == v2["spec"]);
  CHECK(back["metadata"] == v2["metadata"]);
  CHECK(back["status"]["conditions"] == v2["status"]["conditions"]);
  CHECK(back["status"]["currentMetrics"][0]["resource"]["current"]["averageUtilization"] == 70);
}

TEST_CASE("autoscaling/v1: a ContainerResource metric travels in the metrics annotation",
          "[conversion]") {
  // v1 has no containerResource: a cpu ContainerResource metric is not the v1 cpu target,
  // and both it and its current value keep their v2 shape in the annotations.
  const json v2 = json::parse(R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
    "metadata":{"name":"web","namespace":"default"},
    "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":10,
      "metrics":[{"type":"ContainerResource","containerResource":{"name":"cpu","container":"app",
        "target":{"type":"Utilization","averageUtilization":60}}}]},
    "status":{"currentReplicas":2,"desiredReplicas":2,
      "currentMetrics":[{"type":"ContainerResource","containerResource":{"name":"cpu","container":"app",
        "current":{"averageUtilization":55,"averageValue":"110m"}}}]}})");
  json v1 = v2;
  conversion::hpa_v2_to_v1(v1);
  CHECK_FALSE(v1["spec"].contains("targetCPUUtilizationPercentage"));
  CHECK_FALSE(v1["status"].contains("currentCPUUtilizationPercentage"));
  const auto& annotations = v1["metadata"]["annotations"];
  CHECK(json::parse(annotations[conversion::kMetricsAnnotation].get<std::string>()) == v2["spec"]["metrics"]);
  CHECK(json::parse(annotations[conversion::kCurrentMetricsAnnotation].get<std::string>()) ==
        v2["status"]["currentMetrics"]);
  json back = v1;
  REQUIRE(conversion::hpa_v1_to_v2(back));
  CHECK(back["spec"] == v2["spec"]);
  CHECK(back["status"]["currentMetrics"] == v2["status"]["currentMetrics"]);
  CHECK_FALSE(back["metadata"].contains("annotations"));
  auto obj = decode_json(back, {.strict = true}, &HorizontalPodAutoscaler::static_type());
  REQUIRE(obj);
  const auto& m = as<HorizontalPodAutoscaler>(**obj)->spec.metrics.at(0);
  REQUIRE(m.container_resource);
  CHECK(m.container_resource->container == "app");
}

TEST_CASE("autoscaling/v1: a malformed annotation is a clear error", "[conversion]") {
  json doc = json::parse(R"({"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler",
    "metadata":{"name":"web","annotations":{"autoscaling.alpha.kubernetes.io/metrics":"{not json"}},
    "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":3}})");
  auto r = conversion::hpa_v1_to_v2(doc);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == 400);
  CHECK(r.error().message ==
        "metadata.annotations[autoscaling.alpha.kubernetes.io/metrics]: must be the JSON array of "
        "the autoscaling/v2 field");
}

TEST_CASE("served versions: autoscaling/v1 is the HorizontalPodAutoscaler's only other version", "[conversion]") {
  const auto& hpa = HorizontalPodAutoscaler::static_type();
  CHECK(hpa.api_version() == "autoscaling/v2");
  REQUIRE(other_version(hpa, "v1"));
  CHECK(other_version(hpa, "v1")->api_version() == "autoscaling/v1");
  CHECK_FALSE(other_version(hpa, "v2"));
  CHECK(other_versions(hpa).size() == 1);
  for (const auto* t : Registry::builtin().all())
    if (t != &hpa) CHECK(other_versions(*t).empty());
}
