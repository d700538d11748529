// Settings of the node lifecycle controller, as kube-controller-manager's flags of the same
// names, with upstream's 1.32 defaults. No CAF here: runtime/cluster.hpp carries them.
#pragma once

#include <chrono>

#include "api/time/clock.hpp"

namespace kactor::actors::controllers {

struct NodeLifecycleOptions {
  /// --node-monitor-period: how often every node's health is checked.
  Duration monitor_period = std::chrono::seconds(5);
  /// --node-monitor-grace-period: a node whose kubelet has neither renewed its Lease nor
  /// posted its status for this long becomes Unknown (50 s since 1.32).
  Duration monitor_grace_period = std::chrono::seconds(50);
  /// --node-startup-grace-period: the same, for a node that never posted a Ready condition.
  Duration startup_grace_period = std::chrono::seconds(60);
  /// --node-eviction-rate: nodes per second that get a NoExecute taint, per zone, when the
  /// zone is healthy (and when it is fully disrupted but others are not).
  double eviction_rate = 0.1;
  /// --secondary-node-eviction-rate: the rate in a partially disrupted zone of more than
  /// `large_cluster_size_threshold` nodes (smaller zones: none).
  double secondary_eviction_rate = 0.01;
  /// --large-cluster-size-threshold.
  int large_cluster_size_threshold = 50;
  /// --unhealthy-zone-threshold: the share of not-Ready nodes (more than 2) that makes a
  /// zone partially disrupted.
  double unhealthy_zone_threshold = 0.55;
};

}  // namespace kactor::actors::controllers
