#include "api/types/taint_util.hpp"

#include <algorithm>

namespace kactor::api {

bool tolerates(const Toleration& t, const Taint& taint) {
  if (!t.effect.empty() && t.effect != taint.effect) return false;
  if (!t.key.empty() && t.key != taint.key) return false;
  // An empty key with Exists tolerates every taint (of the effect).
  if (t.operator_ == "Exists") return true;
  if (t.operator_.empty() || t.operator_ == "Equal") return !t.key.empty() && t.value == taint.value;
  return false;
}

bool tolerated(const std::vector<Toleration>& ts, const Taint& taint) {
  return std::any_of(ts.begin(), ts.end(), [&](auto& t) { return tolerates(t, taint); });
}

const Taint* find_taint(const std::vector<Taint>& taints, const std::string& key,
                        const std::string& effect) {
  auto it = std::find_if(taints.begin(), taints.end(),
                         [&](const Taint& t) { return t.key == key && t.effect == effect; });
  return it == taints.end() ? nullptr : &*it;
}

std::optional<Duration> toleration_time(const std::vector<Toleration>& tolerations,
                                        const std::vector<Taint>& no_execute_taints) {
  if (no_execute_taints.empty()) return std::nullopt;
  std::optional<int64_t> min_seconds;
  for (const auto& taint : no_execute_taints) {
    bool any = false;
    for (const auto& t : tolerations) {
      if (!tolerates(t, taint)) continue;
      any = true;
      if (t.toleration_seconds)
        min_seconds = min_seconds ? std::min(*min_seconds, *t.toleration_seconds)
                                  : *t.toleration_seconds;
    }
    if (!any) return Duration::zero();
  }
  if (!min_seconds) return std::nullopt;
  if (*min_seconds <= 0) return Duration::zero();
  return std::chrono::seconds(*min_seconds);
}

}  // namespace kactor::api
