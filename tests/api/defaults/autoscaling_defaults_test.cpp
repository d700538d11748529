// HorizontalPodAutoscaler defaulting (api/defaults/autoscaling_defaults.cpp), as upstream's
// autoscaling/v2 SetDefaults_HorizontalPodAutoscaler.
#include "api/defaults/autoscaling_defaults.hpp"
#include "api/types/autoscaling.hpp"
#include "tests/api/support/manifests.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("horizontal pod autoscaler defaults", "[defaults]") {
  auto obj = load(R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"h"},
    "spec":{"scaleTargetRef":{"kind":"Deployment","name":"d","apiVersion":"apps/v1"},"maxReplicas":5}})");
  obj->type().set_defaults(*obj);
  const auto& h = *as<HorizontalPodAutoscaler>(*obj);
  CHECK(h.spec.min_replicas == 1);
  REQUIRE(h.spec.metrics.size() == 1);
  CHECK(h.spec.metrics[0].type == "Resource");
  CHECK(h.spec.metrics[0].resource->name == "cpu");
  CHECK(h.spec.metrics[0].resource->target.type == "Utilization");
  CHECK(h.spec.metrics[0].resource->target.average_utilization == 80);
  // No behavior given: none stored (the controller applies the defaults itself).
  CHECK_FALSE(h.spec.behavior.has_value());

  auto partial = load(R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"h"},
    "spec":{"scaleTargetRef":{"kind":"Deployment","name":"d"},"maxReplicas":5,
      "behavior":{"scaleDown":{"policies":[{"type":"Pods","value":1,"periodSeconds":60}]}}}})");
  partial->type().set_defaults(*partial);
  const auto& b = *as<HorizontalPodAutoscaler>(*partial)->spec.behavior;
  // Scale-up: 0 s window, 4 pods or 100 % per 15 s, the bigger.
  REQUIRE(b.scale_up);
  CHECK(b.scale_up->stabilization_window_seconds == 0);
  CHECK(b.scale_up->select_policy == "Max");
  CHECK(b.scale_up->policies == std::vector<HPAScalingPolicy>{{"Pods", 4, 15}, {"Percent", 100, 15}});
  // Scale-down: the given policy kept, the 300 s window and Max filled in.
  REQUIRE(b.scale_down);
  CHECK(b.scale_down->stabilization_window_seconds == 300);
  CHECK(b.scale_down->select_policy == "Max");
  CHECK(b.scale_down->policies == std::vector<HPAScalingPolicy>{{"Pods", 1, 60}});
  CHECK(default_scale_down_rules().policies == std::vector<HPAScalingPolicy>{{"Percent", 100, 15}});
}
