#include "api/defaults/policy_defaults.hpp"

namespace kactor::api {

void set_defaults(LimitRange& lr) {
  for (auto& item : lr.spec.limits) {
    if (item.type != "Container") continue;
    for (const auto& [k, q] : item.max)
      if (!item.default_.contains(k)) item.default_[k] = q;
    for (const auto& [k, q] : item.default_)
      if (!item.default_request.contains(k)) item.default_request[k] = q;
    for (const auto& [k, q] : item.min)
      if (!item.default_request.contains(k)) item.default_request[k] = q;
  }
}

void set_defaults(PriorityClass& pc) {
  if (!pc.preemption_policy) pc.preemption_policy = "PreemptLowerPriority";
}

}  // namespace kactor::api
