// Stabilization and rate limits of the HorizontalPodAutoscaler (upstream 1.32's
// normalizeDesiredReplicas and normalizeDesiredReplicasWithBehaviors), under a given clock.
#include "actors/controllers/hpa_behavior.hpp"
#include "api/defaults/autoscaling_defaults.hpp"
#include "tests/support/api_fixture.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace kactor::actors::controllers::hpa;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

const TimePoint t0 = test_epoch();

api::HPAScalingRules rules(std::vector<api::HPAScalingPolicy> policies, std::string select = "Max",
                           int32_t window = 0) {
  return {.stabilization_window_seconds = window, .select_policy = select, .policies = std::move(policies)};
}

const ConditionUpdate* find(const Normalized& n, const std::string& type) {
  for (const auto& c : n.conditions)
    if (c.type == type) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("hpa behavior: scale-up limits of the policies", "[controllers][hpa]") {
  const auto up = api::default_scale_up_rules();  // 4 pods or 100 % per 15 s, Max
  CHECK(scale_up_limit(1, {}, {}, up, t0) == 5);
  CHECK(scale_up_limit(4, {}, {}, up, t0) == 8);
  CHECK(scale_up_limit(10, {}, {}, up, t0) == 20);
  // 3 pods were added 5 s ago: the period started at 1.
  const std::vector<ScaleEvent> added{{3, t0 - seconds(5)}};
  CHECK(scale_up_limit(4, added, {}, up, t0) == 5);
  // Once the event is older than the period it no longer counts.
  CHECK(scale_up_limit(4, added, {}, up, t0 + seconds(11)) == 8);
  // A removal within the period raises the start: 2 removed, so it started at 6.
  const std::vector<ScaleEvent> removed{{2, t0 - seconds(5)}};
  CHECK(scale_up_limit(4, {}, removed, up, t0) == 12);
  // Min takes the smallest change, Disabled none.
  CHECK(scale_up_limit(10, {}, {}, rules({{"Pods", 4, 60}, {"Percent", 100, 60}}, "Min"), t0) == 14);
  CHECK(scale_up_limit(10, {}, {}, rules({{"Pods", 4, 60}}, "Disabled"), t0) == 10);
  // Percent rounds up: 3 x 1.1 = 3.3 -> 4.
  CHECK(scale_up_limit(3, {}, {}, rules({{"Percent", 10, 60}}), t0) == 4);
}

TEST_CASE("hpa behavior: scale-down limits of the policies", "[controllers][hpa]") {
  CHECK(scale_down_limit(10, {}, {}, api::default_scale_down_rules(), t0) == 0);
  const auto both = std::vector<api::HPAScalingPolicy>{{"Pods", 2, 60}, {"Percent", 10, 60}};
  CHECK(scale_down_limit(10, {}, {}, rules(both, "Max"), t0) == 8);
  CHECK(scale_down_limit(10, {}, {}, rules(both, "Min"), t0) == 9);
  CHECK(scale_down_limit(10, {}, {}, rules(both, "Disabled"), t0) == 10);
  // Percent rounds down: 7 x 0.9 = 6.3 -> 6.
  CHECK(scale_down_limit(7, {}, {}, rules({{"Percent", 10, 60}}), t0) == 6);
  // 2 pods removed 30 s ago used up the 2-pod budget of the minute.
  const std::vector<ScaleEvent> removed{{2, t0 - seconds(30)}};
  CHECK(scale_down_limit(10, {}, removed, rules({{"Pods", 2, 60}}), t0) == 10);
  CHECK(scale_down_limit(10, {}, removed, rules({{"Pods", 2, 60}}), t0 + seconds(31)) == 8);
}

TEST_CASE("hpa behavior: without a behavior, scale-up doubles (at least 4) per sync", "[controllers][hpa]") {
  BehaviorState s;
  record_initial_recommendation(s, 1, t0);
  const auto window = minutes(5);
  auto n = normalize(s, 1, 16, 1, 10, window, t0);
  CHECK(n.replicas == 4);
  REQUIRE(find(n, "ScalingLimited"));
  CHECK(find(n, "ScalingLimited")->status == "True");
  CHECK(find(n, "ScalingLimited")->reason == "ScaleUpLimit");
  CHECK(find(n, "ScalingLimited")->message ==
        "the desired replica count is increasing faster than the maximum scale rate");
  CHECK(find(n, "AbleToScale")->reason == "ReadyForNewScale");
  n = normalize(s, 4, 16, 1, 10, window, t0 + seconds(15));
  CHECK(n.replicas == 8);
  n = normalize(s, 8, 16, 1, 10, window, t0 + seconds(30));
  CHECK(n.replicas == 10);
  CHECK(find(n, "ScalingLimited")->reason == "TooManyReplicas");
  // 16 was recommended within the window: still more than maxReplicas allows.
  n = normalize(s, 10, 10, 1, 10, window, t0 + seconds(45));
  CHECK(n.replicas == 10);
  CHECK(find(n, "AbleToScale")->reason == "ScaleDownStabilized");
  CHECK(find(n, "ScalingLimited")->reason == "TooManyReplicas");
  BehaviorState fresh;
  n = normalize(fresh, 3, 3, 1, 10, window, t0);
  CHECK(n.replicas == 3);
  CHECK(find(n, "ScalingLimited")->status == "False");
  CHECK(find(n, "ScalingLimited")->reason == "DesiredWithinRange");
  CHECK(find(n, "ScalingLimited")->message == "the desired count is within the acceptable range");
}

TEST_CASE("hpa behavior: without a behavior, scale-down waits for the stabilization window", "[controllers][hpa]") {
  BehaviorState s;
  record_initial_recommendation(s, 8, t0);
  const auto window = minutes(5);
  // The load went: every sync now recommends 1, but 8 was recommended within 5 minutes.
  for (int i = 1; i <= 20; ++i) {
    INFO("sync at " << 15 * i << " s");
    auto n = normalize(s, 8, 1, 1, 10, window, t0 + seconds(15 * i));
    CHECK(n.replicas == 8);
    CHECK(find(n, "AbleToScale")->reason == "ScaleDownStabilized");
    CHECK(find(n, "AbleToScale")->message ==
          "recent recommendations were higher than current one, applying the highest recent "
          "recommendation");
  }
  // Just past 300 s the initial 8 has aged out; every recent recommendation says 1.
  auto n = normalize(s, 8, 1, 1, 10, window, t0 + seconds(301));
  CHECK(n.replicas == 1);
  CHECK(find(n, "AbleToScale")->reason == "ReadyForNewScale");
  // Below minReplicas.
  BehaviorState fresh;
  n = normalize(fresh, 3, 0, 2, 10, window, t0);
  CHECK(n.replicas == 2);
  CHECK(find(n, "ScalingLimited")->reason == "TooFewReplicas");
}

TEST_CASE("hpa behavior: the defaulted behavior", "[controllers][hpa]") {
  api::HorizontalPodAutoscalerBehavior b;  // both directions defaulted, as the API server does
  b.scale_up = api::default_scale_up_rules();
  b.scale_down = api::default_scale_down_rules();
  BehaviorState s;
  record_initial_recommendation(s, 1, t0);
  auto n = normalize_with_behavior(s, b, 1, 16, 1, 20, minutes(5), t0);
  CHECK(n.replicas == 5);  // max(1 + 4 pods, 1 x 200 %)
  CHECK(find(n, "ScalingLimited")->reason == "ScaleUpLimit");
  record_scale_event(s, b, 1, 5, t0);
  // 5 s later the 15 s period still holds the +4: no more room.
  n = normalize_with_behavior(s, b, 5, 16, 1, 20, minutes(5), t0 + seconds(5));
  CHECK(n.replicas == 5);
  // After the period: 5 -> max(9, 10) = 10.
  n = normalize_with_behavior(s, b, 5, 16, 1, 20, minutes(5), t0 + seconds(15));
  CHECK(n.replicas == 10);
  record_scale_event(s, b, 5, 10, t0 + seconds(15));
  // Scale-down: the last 300 s recommended 16, so 10 stays.
  n = normalize_with_behavior(s, b, 10, 2, 1, 20, minutes(5), t0 + seconds(60));
  CHECK(n.replicas == 10);
  CHECK(find(n, "AbleToScale")->reason == "ScaleDownStabilized");
  // Once the 16s are older than 300 s, all 100 % may go at once: down to the recommendation.
  n = normalize_with_behavior(s, b, 10, 2, 1, 20, minutes(5), t0 + seconds(400));
  CHECK(n.replicas == 2);
}

TEST_CASE("hpa behavior: custom policies and windows", "[controllers][hpa]") {
  api::HorizontalPodAutoscalerBehavior b;
  b.scale_up = rules({{"Pods", 1, 60}}, "Max", 30);      // one pod a minute, 30 s window
  b.scale_down = rules({{"Percent", 50, 60}}, "Max", 0);  // half a minute, no window
  BehaviorState s;
  record_initial_recommendation(s, 2, t0);
  // Within the 30 s scale-up window the lowest recommendation (2) holds.
  auto n = normalize_with_behavior(s, b, 2, 6, 1, 10, minutes(5), t0 + seconds(15));
  CHECK(n.replicas == 2);
  CHECK(find(n, "AbleToScale")->reason == "ScaleUpStabilized");
  // At 45 s every recommendation of the last 30 s says 6: one pod per minute allows 3.
  n = normalize_with_behavior(s, b, 2, 6, 1, 10, minutes(5), t0 + seconds(45));
  CHECK(n.replicas == 3);
  CHECK(find(n, "ScalingLimited")->status == "True");
  record_scale_event(s, b, 2, 3, t0 + seconds(45));
  n = normalize_with_behavior(s, b, 3, 6, 1, 10, minutes(5), t0 + seconds(60));
  CHECK(n.replicas == 3);  // the minute's pod is spent
  n = normalize_with_behavior(s, b, 3, 6, 1, 10, minutes(5), t0 + seconds(106));
  CHECK(n.replicas == 4);
  // Scale-down without a window: half of 8 a minute.
  BehaviorState d;
  n = normalize_with_behavior(d, b, 8, 1, 1, 10, minutes(5), t0);
  CHECK(n.replicas == 4);
  CHECK(find(n, "ScalingLimited")->reason == "ScaleDownLimit");
  // selectPolicy Disabled: no scale-down at all.
  b.scale_down = rules({{"Percent", 50, 60}}, "Disabled", 0);
  BehaviorState off;
  n = normalize_with_behavior(off, b, 8, 1, 1, 10, minutes(5), t0);
  CHECK(n.replicas == 8);
}
