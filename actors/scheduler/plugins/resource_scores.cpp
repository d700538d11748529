#include "actors/scheduler/plugins/resource_scores.hpp"

#include <algorithm>
#include <cmath>

#include "actors/scheduler/framework.hpp"

namespace kactor::scheduler::plugins {

int64_t least_allocated(int64_t requested, int64_t allocatable) {
  if (allocatable == 0 || requested > allocatable) return 0;
  return (allocatable - requested) * kMaxNodeScore / allocatable;
}

int64_t balanced_allocation(const std::vector<std::pair<int64_t, int64_t>>& req_alloc) {
  std::vector<double> fractions;
  for (auto [req, alloc] : req_alloc) {
    if (alloc == 0) continue;
    fractions.push_back(std::min(1.0, static_cast<double>(req) / static_cast<double>(alloc)));
  }
  double std_dev = 0;
  if (fractions.size() == 2) {
    std_dev = std::abs(fractions[0] - fractions[1]) / 2;
  } else if (fractions.size() > 2) {
    double mean = 0;
    for (auto f : fractions) mean += f;
    mean /= static_cast<double>(fractions.size());
    double var = 0;
    for (auto f : fractions) var += (f - mean) * (f - mean);
    std_dev = std::sqrt(var / static_cast<double>(fractions.size()));
  }
  return static_cast<int64_t>((1 - std_dev) * static_cast<double>(kMaxNodeScore));
}

Resources requested_with_pod(const NodeInfo& node, const PodResources& pod) {
  Resources r = node.non_zero_requested;
  r.add(pod.non_zero);
  return r;
}

}  // namespace kactor::scheduler::plugins
