// Settings of the horizontal pod autoscaler controller ("horizontalpodautoscaling"), as
// kube-controller-manager's --horizontal-pod-autoscaler-* flags, with upstream's 1.32
// defaults. No CAF here: runtime/cluster.hpp carries them.
#pragma once

#include <chrono>

#include "api/time/clock.hpp"

namespace kactor::actors::controllers {

struct HpaOptions {
  /// --horizontal-pod-autoscaler-sync-period: how often every HPA is reconciled.
  Duration sync_period = std::chrono::seconds(15);
  /// --horizontal-pod-autoscaler-tolerance: a usage ratio within 1 ± this changes nothing.
  double tolerance = 0.1;
  /// --horizontal-pod-autoscaler-cpu-initialization-period: after a pod starts, cpu samples
  /// taken before it was ready (or while it is not) are skipped.
  Duration cpu_initialization_period = std::chrono::minutes(5);
  /// --horizontal-pod-autoscaler-initial-readiness-delay: after that, a pod not ready that
  /// never was within this time of its start still counts as unready.
  Duration initial_readiness_delay = std::chrono::seconds(30);
  /// --horizontal-pod-autoscaler-downscale-stabilization: scale-down follows the highest
  /// recommendation of this window (HPAs without spec.behavior).
  Duration downscale_stabilization = std::chrono::minutes(5);
};

}  // namespace kactor::actors::controllers
