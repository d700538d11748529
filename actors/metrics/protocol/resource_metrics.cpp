#include "actors/metrics/protocol/resource_metrics.hpp"

#include <limits>

namespace kactor::metrics {
namespace {

int64_t clamp_to_int64(uint64_t v) {
  constexpr auto max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  return static_cast<int64_t>(v > max ? max : v);
}

}  // namespace

api::Quantity cpu_quantity(uint64_t nano_cores) {
  return api::Quantity::from_scaled(clamp_to_int64(nano_cores), -9);
}

api::Quantity memory_quantity(uint64_t bytes) {
  return api::Quantity::from_value(clamp_to_int64(bytes), api::Quantity::Format::BinarySI);
}

}  // namespace kactor::metrics
