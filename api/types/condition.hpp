// metav1.Condition: the generic condition shape newer APIs (Service status, ...) use.
#pragma once

#include <cstdint>
#include <string>

#include "api/describe.hpp"
#include "api/types/values.hpp"

namespace kactor::api {

/// metav1.Condition. Unlike the older per-kind conditions every field but
/// observedGeneration is always written.
struct Condition {
  std::string type;
  std::string status;  // True, False, Unknown
  int64_t observed_generation = 0;
  Time last_transition_time;
  std::string reason;
  std::string message;
  bool operator==(const Condition&) const = default;
};
template <class V>
void describe(V& v, Condition& x) {
  v("type", x.type, keep_zero);
  v("status", x.status, keep_zero);
  v("observedGeneration", x.observed_generation);
  v("lastTransitionTime", x.last_transition_time, keep_zero);
  v("reason", x.reason, keep_zero);
  v("message", x.message, keep_zero);
}

}  // namespace kactor::api
