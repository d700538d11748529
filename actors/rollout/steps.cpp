#include "actors/rollout/steps.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace kactor::rollout {

std::string IntOrPercent::to_string() const {
  return std::to_string(value) + (percent ? "%" : "");
}

api::Result<IntOrPercent> parse_int_or_percent(std::string_view text, std::string_view flag) {
  IntOrPercent out;
  std::string_view digits = text;
  if (!digits.empty() && digits.back() == '%') {
    out.percent = true;
    digits.remove_suffix(1);
  }
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out.value);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() ||
      out.value < 0)
    return api::fail(api::bad_request(std::string(flag) + " must be a non-negative integer or a "
                                      "percentage such as 25%, not \"" + std::string(text) + "\""));
  return out;
}

int32_t scaled_value(const IntOrPercent& v, int32_t total, bool round_up) {
  if (!v.percent) return v.value;
  const int64_t product = int64_t{v.value} * total;
  return static_cast<int32_t>(round_up ? (product + 99) / 100 : product / 100);
}

Fenceposts resolve_fenceposts(const IntOrPercent& max_surge, const IntOrPercent& max_unavailable,
                              int32_t desired) {
  Fenceposts f{scaled_value(max_surge, desired, true),
               scaled_value(max_unavailable, desired, false)};
  if (f.max_surge == 0 && f.max_unavailable == 0) f.max_unavailable = 1;
  return f;
}

Limits limits_for(const Fenceposts& f, int32_t desired, int32_t old_replicas) {
  Limits l{desired, f.max_surge, f.max_unavailable, std::max(0, desired - f.max_unavailable)};
  // Scaling to zero: nothing need stay available, whatever the fenceposts say.
  if (desired == 0) {
    l.max_unavailable = old_replicas;
    l.min_available = 0;
  }
  return l;
}

int32_t scale_up_target(const Limits& l, int32_t old_replicas, int32_t new_replicas) {
  if (new_replicas == l.desired) return new_replicas;
  int32_t increment = l.max_total() - (old_replicas + new_replicas);
  if (old_replicas == 0) increment = l.desired - new_replicas;
  if (increment <= 0) return new_replicas;
  return std::min(new_replicas + increment, l.desired);
}

int32_t scale_down_target(const Limits& l, int32_t old_replicas, int32_t new_replicas,
                          int32_t new_available) {
  if (old_replicas == 0) return 0;
  const int32_t new_unavailable = new_replicas - new_available;
  const int32_t decrement = old_replicas + new_replicas - l.min_available - new_unavailable;
  // Zero or less: shrinking would break the floor (or the old pods died on their own); wait
  // for readiness to change.
  if (decrement <= 0) return old_replicas;
  if (new_replicas == l.desired && new_available == l.desired) return 0;
  return std::max(0, old_replicas - decrement);
}

}  // namespace kactor::rollout
