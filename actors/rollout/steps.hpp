// The arithmetic of a rolling update, apart from any API: how far the new controller may grow
// and the old one shrink at each step (kubectl 1.17's RollingUpdater.scaleUp/scaleDown and
// deploymentutil.ResolveFenceposts, rewritten).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/status.hpp"

namespace kactor::rollout {

/// An int or a percentage of the desired replicas ("1", "25%"), as intstr.IntOrString.
struct IntOrPercent {
  int32_t value = 0;
  bool percent = false;
  bool operator==(const IntOrPercent&) const = default;
  std::string to_string() const;
};

/// "3" or "25%": a non-negative integer, optionally followed by '%'. BadRequest naming `flag`
/// otherwise.
api::Result<IntOrPercent> parse_int_or_percent(std::string_view text, std::string_view flag);

/// `v` scaled against `total`: an int as is; a percentage rounded up (`round_up`) or down.
int32_t scaled_value(const IntOrPercent& v, int32_t total, bool round_up);

/// maxSurge (rounded up) and maxUnavailable (rounded down) for `desired` replicas. When both
/// come to zero maxUnavailable becomes 1, as upstream: a percentage may round to nothing, and
/// the update must still move.
struct Fenceposts {
  int32_t max_surge = 0;
  int32_t max_unavailable = 0;
  bool operator==(const Fenceposts&) const = default;
};
Fenceposts resolve_fenceposts(const IntOrPercent& max_surge, const IntOrPercent& max_unavailable,
                              int32_t desired);

/// The limits of one update: the pods that must stay available, the most pods there may be.
struct Limits {
  int32_t desired = 0;
  int32_t max_surge = 0;
  int32_t max_unavailable = 0;
  int32_t min_available = 0;  // max(0, desired - maxUnavailable); 0 when desired is 0
  int32_t max_total() const { return desired + max_surge; }
};
/// `old_replicas`: the old controller's current size (a scale to zero may drop everything).
Limits limits_for(const Fenceposts& f, int32_t desired, int32_t old_replicas);

/// The new controller's next size: grown up to the surge ceiling, straight to `desired` once
/// the old one is empty; `new_replicas` when it cannot grow.
int32_t scale_up_target(const Limits& l, int32_t old_replicas, int32_t new_replicas);

/// The old controller's next size: shrunk as far as keeps `min_available` pods available,
/// counting the old controller's pods as available and the new one's unavailable pods as not;
/// to zero once the new one is fully available; `old_replicas` when it cannot shrink.
int32_t scale_down_target(const Limits& l, int32_t old_replicas, int32_t new_replicas,
                          int32_t new_available);

}  // namespace kactor::rollout
