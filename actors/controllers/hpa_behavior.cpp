#include "actors/controllers/hpa_behavior.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "api/defaults/autoscaling_defaults.hpp"

namespace kactor::actors::controllers::hpa {

namespace {

using std::chrono::seconds;

const char* kScaleUpLimitMessage = "the desired replica count is increasing faster than the maximum scale rate";
const char* kTooManyMessage = "the desired replica count is more than the maximum replica count";
const char* kTooFewMessage = "the desired replica count is less than the minimum replica count";
const char* kWithinRangeMessage = "the desired count is within the acceptable range";

ConditionUpdate able_to_scale(std::string reason, std::string message) {
  return {"AbleToScale", "True", std::move(reason), std::move(message)};
}

ConditionUpdate scaling_limited(bool limited, std::string reason, std::string message) {
  return {"ScalingLimited", limited ? "True" : "False", std::move(reason), std::move(message)};
}

ConditionUpdate ready_for_new_scale() {
  return able_to_scale("ReadyForNewScale", "recommended size matches current size");
}

/// Replaces the first sample older than the windows, or appends: the list stays as long as
/// the windows hold samples.
void remember(BehaviorState& state, int32_t desired, TimePoint now, bool found_old, size_t old_index) {
  if (found_old) state.recommendations[old_index] = {desired, now};
  else state.recommendations.push_back({desired, now});
}

/// The net change the events of the last `period_seconds` made.
int32_t change_in_period(int32_t period_seconds, const std::vector<ScaleEvent>& events, TimePoint now) {
  const auto cutoff = now - seconds(period_seconds);
  int32_t sum = 0;
  for (const auto& e : events)
    if (e.at > cutoff) sum += e.change;
  return sum;
}

int32_t longest_period(const api::HPAScalingRules& rules) {
  int32_t longest = 0;
  for (const auto& p : rules.policies) longest = std::max(longest, p.period_seconds);
  return longest;
}

void add_event(std::vector<ScaleEvent>& events, int32_t change, int32_t longest, TimePoint now) {
  const auto cutoff = now - seconds(longest);
  // Events older than every period are reused (the last such), so the list stays short.
  ScaleEvent* reuse = nullptr;
  for (auto& e : events) {
    if (e.at < cutoff) e.outdated = true;
    if (e.outdated) reuse = &e;
  }
  if (reuse) *reuse = {change, now, false};
  else events.push_back({change, now, false});
}

}  // namespace

void record_initial_recommendation(BehaviorState& state, int32_t current, TimePoint now) {
  if (state.recommendations.empty()) state.recommendations.push_back({current, now});
}

Normalized normalize(BehaviorState& state, int32_t current, int32_t desired, int32_t min_replicas,
                     int32_t max_replicas, Duration downscale_stabilization, TimePoint now) {
  Normalized out;
  // Stabilize: the highest recommendation within the window.
  int32_t stabilized = desired;
  bool found_old = false;
  size_t old_index = 0;
  const auto cutoff = now - downscale_stabilization;
  for (size_t i = 0; i < state.recommendations.size(); ++i) {
    const auto& r = state.recommendations[i];
    if (r.at < cutoff) {
      found_old = true;
      old_index = i;
    } else if (r.replicas > stabilized) {
      stabilized = r.replicas;
    }
  }
  remember(state, desired, now, found_old, old_index);
  out.conditions.push_back(
      stabilized != desired
          ? able_to_scale("ScaleDownStabilized",
                          "recent recommendations were higher than current one, applying the "
                          "highest recent recommendation")
          : ready_for_new_scale());

  // Limit: minReplicas, maxReplicas, and at most doubling (or 4) per sync, as upstream guards
  // against a bogus usage report driving a burst.
  const int32_t up_limit = static_cast<int32_t>(std::max(2.0 * current, 4.0));
  int32_t maximum = max_replicas;
  std::string reason = "TooManyReplicas", message = kTooManyMessage;
  if (max_replicas > up_limit) {
    maximum = up_limit;
    reason = "ScaleUpLimit";
    message = kScaleUpLimitMessage;
  }
  if (stabilized < min_replicas) {
    out.replicas = min_replicas;
    out.conditions.push_back(scaling_limited(true, "TooFewReplicas", kTooFewMessage));
  } else if (stabilized > maximum) {
    out.replicas = maximum;
    out.conditions.push_back(scaling_limited(true, reason, message));
  } else {
    out.replicas = stabilized;
    out.conditions.push_back(scaling_limited(false, "DesiredWithinRange", kWithinRangeMessage));
  }
  return out;
}

int32_t scale_up_limit(int32_t current, const std::vector<ScaleEvent>& up,
                       const std::vector<ScaleEvent>& down, const api::HPAScalingRules& rules,
                       TimePoint now) {
  const auto select = rules.select_policy.value_or("Max");
  if (select == "Disabled") return current;
  const bool min = select == "Min";
  int32_t result = min ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int32_t>::min();
  for (const auto& p : rules.policies) {
    // The count at the start of the policy's period: what it may grow from.
    const int32_t start = current - change_in_period(p.period_seconds, up, now) +
                          change_in_period(p.period_seconds, down, now);
    int32_t proposed = start;
    if (p.type == "Pods") proposed = start + p.value;
    else if (p.type == "Percent")
      proposed = static_cast<int32_t>(std::ceil(start * (1 + p.value / 100.0)));
    result = min ? std::min(result, proposed) : std::max(result, proposed);
  }
  return result;
}

int32_t scale_down_limit(int32_t current, const std::vector<ScaleEvent>& up,
                         const std::vector<ScaleEvent>& down, const api::HPAScalingRules& rules,
                         TimePoint now) {
  const auto select = rules.select_policy.value_or("Max");
  if (select == "Disabled") return current;
  const bool min = select == "Min";
  int32_t result = min ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int32_t>::max();
  for (const auto& p : rules.policies) {
    const int32_t start = current - change_in_period(p.period_seconds, up, now) +
                          change_in_period(p.period_seconds, down, now);
    int32_t proposed = start;
    if (p.type == "Pods") proposed = start - p.value;
    else if (p.type == "Percent") proposed = static_cast<int32_t>(start * (1 - p.value / 100.0));
    // Min picks the smallest change: the highest floor; Max the lowest.
    result = min ? std::max(result, proposed) : std::min(result, proposed);
  }
  return result;
}

Normalized normalize_with_behavior(BehaviorState& state,
                                   const api::HorizontalPodAutoscalerBehavior& behavior,
                                   int32_t current, int32_t desired, int32_t min_replicas,
                                   int32_t max_replicas, Duration downscale_stabilization,
                                   TimePoint now) {
  auto down_defaults = api::default_scale_down_rules();
  down_defaults.stabilization_window_seconds =
      static_cast<int32_t>(std::chrono::duration_cast<seconds>(downscale_stabilization).count());
  const auto up_rules = api::complete_scaling_rules(behavior.scale_up, api::default_scale_up_rules());
  const auto down_rules = api::complete_scaling_rules(behavior.scale_down, down_defaults);
  Normalized out;

  // Stabilize: within the scale-up window take the lowest recommendation, within the
  // scale-down window the highest, and keep the current count between the two.
  const auto up_cutoff = now - seconds(*up_rules.stabilization_window_seconds);
  const auto down_cutoff = now - seconds(*down_rules.stabilization_window_seconds);
  int32_t up_rec = desired, down_rec = desired;
  bool found_old = false;
  size_t old_index = 0;
  for (size_t i = 0; i < state.recommendations.size(); ++i) {
    const auto& r = state.recommendations[i];
    if (r.at > up_cutoff) up_rec = std::min(r.replicas, up_rec);
    if (r.at > down_cutoff) down_rec = std::max(r.replicas, down_rec);
    if (r.at < up_cutoff && r.at < down_cutoff) {
      found_old = true;
      old_index = i;
    }
  }
  int32_t stabilized = current;
  if (stabilized < up_rec) stabilized = up_rec;
  if (stabilized > down_rec) stabilized = down_rec;
  remember(state, desired, now, found_old, old_index);
  if (stabilized != desired) {
    out.conditions.push_back(
        desired >= current
            ? able_to_scale("ScaleUpStabilized",
                            "recent recommendations were lower than current one, applying the "
                            "lowest recent recommendation")
            : able_to_scale("ScaleDownStabilized",
                            "recent recommendations were higher than current one, applying the "
                            "highest recent recommendation"));
  } else {
    out.conditions.push_back(ready_for_new_scale());
  }

  // Limit by the policies and by minReplicas/maxReplicas.
  int32_t result = stabilized;
  std::string reason = "DesiredWithinRange", message = kWithinRangeMessage;
  if (stabilized > current) {
    const int32_t limit = std::max(
        current, scale_up_limit(current, state.scale_up_events, state.scale_down_events, up_rules, now));
    int32_t maximum = max_replicas;
    std::string r = "TooManyReplicas", m = kTooManyMessage;
    if (maximum > limit) {
      maximum = limit;
      r = "ScaleUpLimit";
      m = kScaleUpLimitMessage;
    }
    if (stabilized > maximum) {
      result = maximum;
      reason = r;
      message = m;
    }
  } else if (stabilized < current) {
    const int32_t limit = std::min(
        current, scale_down_limit(current, state.scale_up_events, state.scale_down_events, down_rules, now));
    int32_t minimum = min_replicas;
    std::string r = "TooFewReplicas", m = kTooFewMessage;
    if (minimum < limit) {
      minimum = limit;
      r = "ScaleDownLimit";
      m = "the desired replica count is decreasing faster than the maximum scale rate";
    }
    if (stabilized < minimum) {
      result = minimum;
      reason = r;
      message = m;
    }
  }
  out.replicas = result;
  out.conditions.push_back(scaling_limited(result != stabilized, reason, message));
  return out;
}

void record_scale_event(BehaviorState& state, const api::HorizontalPodAutoscalerBehavior& behavior,
                        int32_t from, int32_t to, TimePoint now) {
  if (to > from) {
    const auto rules = api::complete_scaling_rules(behavior.scale_up, api::default_scale_up_rules());
    add_event(state.scale_up_events, to - from, longest_period(rules), now);
  } else if (to < from) {
    const auto rules = api::complete_scaling_rules(behavior.scale_down, api::default_scale_down_rules());
    add_event(state.scale_down_events, from - to, longest_period(rules), now);
  }
}

}  // namespace kactor::actors::controllers::hpa
