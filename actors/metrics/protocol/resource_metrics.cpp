#include "actors/metrics/protocol/resource_metrics.hpp"

#include <limits>

namespace kactor::metrics {
namespace {

int64_t clamp_to_int64(uint64_t v) {
  constexpr auto max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  return static_cast<int64_t>(v > max ? max : v);
}

/// The digits of `frac` (of `digits` places) without trailing zeros, after a dot; "" for 0.
std::string fraction(uint64_t frac, int digits) {
  if (frac == 0) return "";
  std::string s = std::to_string(frac);
  s.insert(0, static_cast<size_t>(digits) - s.size(), '0');
  while (!s.empty() && s.back() == '0') s.pop_back();
  return "." + s;
}

}  // namespace

api::Quantity cpu_quantity(uint64_t nano_cores) {
  return api::Quantity::from_scaled(clamp_to_int64(nano_cores), -9);
}

api::Quantity memory_quantity(uint64_t bytes) {
  return api::Quantity::from_value(clamp_to_int64(bytes), api::Quantity::Format::BinarySI);
}

std::string go_duration(Duration d) {
  int64_t ns = d.count();
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  // Durations here are small and positive; the magnitude of INT64_MIN is not a concern.
  uint64_t u = static_cast<uint64_t>(ns < 0 ? -ns : ns);
  // Under a second Go prints the largest fitting unit: "1.5ms", "250µs", "12ns".
  if (u < 1000) return sign + std::to_string(u) + "ns";
  if (u < 1000000) return sign + std::to_string(u / 1000) + fraction(u % 1000, 3) + "µs";
  if (u < 1000000000) return sign + std::to_string(u / 1000000) + fraction(u % 1000000, 6) + "ms";
  const uint64_t secs = u / 1000000000, frac = u % 1000000000;
  const uint64_t h = secs / 3600, m = (secs % 3600) / 60, s = secs % 60;
  std::string out = sign;
  if (h) out += std::to_string(h) + "h";
  if (h || m) out += std::to_string(m) + "m";
  return out + std::to_string(s) + fraction(frac, 9) + "s";
}

}  // namespace kactor::metrics
