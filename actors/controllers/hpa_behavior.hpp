// How the HorizontalPodAutoscaler turns the replica count its metrics ask for into the count
// it sets (upstream 1.32's normalizeDesiredReplicas*): stabilization over the recent
// recommendations, rate limits, and minReplicas/maxReplicas, with the AbleToScale and
// ScalingLimited conditions that explain the outcome. Pure: the state of one HPA
// (recommendations and scale events) is a value, "now" is given.
//
// - Without spec.behavior (upstream's older path): scale-down takes the highest
//   recommendation of the last --horizontal-pod-autoscaler-downscale-stabilization (5 min);
//   scale-up is limited to max(2 x current, 4) per sync.
// - With spec.behavior (defaulted by the API server): scale-up and scale-down stabilization
//   windows, and per direction the policies (Pods / Percent per periodSeconds) over the scale
//   events of their periods, combined by selectPolicy (Max: the biggest change, Min: the
//   smallest, Disabled: none).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/time/clock.hpp"
#include "api/types/autoscaling.hpp"

namespace kactor::actors::controllers::hpa {

struct TimedRecommendation {
  int32_t replicas = 0;
  TimePoint at{};
};

struct ScaleEvent {
  int32_t change = 0;  // pods added (scale-up events) or removed (scale-down events)
  TimePoint at{};
  bool outdated = false;
};

/// What the controller remembers of one HPA between syncs (upstream keeps it in memory too:
/// a restarted controller starts afresh).
struct BehaviorState {
  std::vector<TimedRecommendation> recommendations;
  std::vector<ScaleEvent> scale_up_events;
  std::vector<ScaleEvent> scale_down_events;
};

/// A condition to set: type, status, reason, message.
struct ConditionUpdate {
  std::string type;
  std::string status;
  std::string reason;
  std::string message;
};

struct Normalized {
  int32_t replicas = 0;
  /// AbleToScale (why the recommendation was or was not stabilized) and ScalingLimited.
  std::vector<ConditionUpdate> conditions;
};

/// The first recommendation: the target's current count (upstream recordInitialRecommendation).
void record_initial_recommendation(BehaviorState& state, int32_t current, TimePoint now);

/// Without spec.behavior.
Normalized normalize(BehaviorState& state, int32_t current, int32_t desired, int32_t min_replicas,
                     int32_t max_replicas, Duration downscale_stabilization, TimePoint now);

/// With spec.behavior: `behavior` as the API server stored it; unset parts are the defaults
/// (a scale-down window unset: `downscale_stabilization`).
Normalized normalize_with_behavior(BehaviorState& state,
                                   const api::HorizontalPodAutoscalerBehavior& behavior,
                                   int32_t current, int32_t desired, int32_t min_replicas,
                                   int32_t max_replicas, Duration downscale_stabilization,
                                   TimePoint now);

/// Remembers a rescale from `from` to `to` for the policies' periods (only with a behavior).
void record_scale_event(BehaviorState& state, const api::HorizontalPodAutoscalerBehavior& behavior,
                        int32_t from, int32_t to, TimePoint now);

/// The most replicas `rules` allow from `current` given the recent events (upstream
/// calculateScaleUpLimitWithScalingRules); and the fewest (calculateScaleDownLimitWithBehaviors).
int32_t scale_up_limit(int32_t current, const std::vector<ScaleEvent>& up,
                       const std::vector<ScaleEvent>& down, const api::HPAScalingRules& rules,
                       TimePoint now);
int32_t scale_down_limit(int32_t current, const std::vector<ScaleEvent>& up,
                         const std::vector<ScaleEvent>& down, const api::HPAScalingRules& rules,
                         TimePoint now);

}  // namespace kactor::actors::controllers::hpa
