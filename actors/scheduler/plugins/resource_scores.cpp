#include "actors/scheduler/plugins/resource_scores.hpp"

#include <algorithm>
#include <cmath>

#include "actors/scheduler/framework.hpp"

namespace kactor::scheduler::plugins {

std::vector<ResourceSpec> default_resource_specs() {
  return {{"cpu", 1}, {"memory", 1}};
}

bool is_scalar_resource(const std::string& name) {
  return name != "cpu" && name != "memory" && name != "ephemeral-storage";
}

bool is_extended_resource(const std::string& name) {
  // Native resources have no domain or one in kubernetes.io; "requests." is quota syntax.
  return name.find('/') != std::string::npos && name.find("kubernetes.io/") == std::string::npos &&
         !name.starts_with("requests.");
}

namespace {

template <class PerResource>
int64_t weighted_average(const NodeInfo& node, const PodResources& pod,
                         const std::vector<ResourceSpec>& specs, PerResource per_resource) {
  int64_t sum = 0, weights = 0;
  for (auto& spec : specs) {
    auto u = resource_use(node, pod, spec, /*use_requested=*/false);
    if (u.allocatable == 0) continue;
    sum += per_resource(u.requested, u.allocatable) * u.weight;
    weights += u.weight;
  }
  return weights == 0 ? 0 : sum / weights;
}

}  // namespace

int64_t least_allocated_score(const NodeInfo& node, const PodResources& pod,
                              const std::vector<ResourceSpec>& specs) {
  return weighted_average(node, pod, specs, least_allocated);
}

int64_t most_allocated_score(const NodeInfo& node, const PodResources& pod,
                             const std::vector<ResourceSpec>& specs) {
  return weighted_average(node, pod, specs, most_allocated);
}

int64_t broken_linear(const std::vector<UtilizationShapePoint>& shape, int64_t p) {
  for (size_t i = 0; i < shape.size(); ++i) {
    if (p > shape[i].utilization) continue;
    if (i == 0) return shape[0].score;
    const auto& a = shape[i - 1];
    const auto& b = shape[i];
    return a.score + (b.score - a.score) * (p - a.utilization) / (b.utilization - a.utilization);
  }
  return shape.back().score;
}

std::vector<UtilizationShapePoint> scale_shape(std::vector<UtilizationShapePoint> shape) {
  constexpr int64_t kMaxCustomScore = 10;  // configured scores are 0..10
  for (auto& p : shape) p.score *= kMaxNodeScore / kMaxCustomScore;
  return shape;
}

int64_t requested_to_capacity_ratio_score(const NodeInfo& node, const PodResources& pod,
                                          const std::vector<ResourceSpec>& specs,
                                          const std::vector<UtilizationShapePoint>& scaled_shape) {
  constexpr int64_t kMaxUtilization = 100;
  int64_t sum = 0, weights = 0;
  for (auto& spec : specs) {
    auto u = resource_use(node, pod, spec, /*use_requested=*/false);
    if (u.allocatable == 0) continue;
    int64_t utilization = u.requested > u.allocatable
                              ? kMaxUtilization
                              : u.requested * kMaxUtilization / u.allocatable;
    int64_t score = broken_linear(scaled_shape, utilization);
    // Upstream averages over the resources that score at all.
    if (score <= 0) continue;
    sum += score * u.weight;
    weights += u.weight;
  }
  if (weights == 0) return 0;
  return static_cast<int64_t>(std::llround(static_cast<double>(sum) / static_cast<double>(weights)));
}

namespace {

/// trunc((1 - std) * 100) over fractions already capped at 1.
int64_t balance_score(const double* fractions, size_t n) {
  double std_dev = 0;
  if (n == 2) {
    std_dev = std::abs(fractions[0] - fractions[1]) / 2;
  } else if (n > 2) {
    double mean = 0;
    for (size_t i = 0; i < n; ++i) mean += fractions[i];
    mean /= static_cast<double>(n);
    double var = 0;
    for (size_t i = 0; i < n; ++i) var += (fractions[i] - mean) * (fractions[i] - mean);
    std_dev = std::sqrt(var / static_cast<double>(n));
  }
  return static_cast<int64_t>((1 - std_dev) * static_cast<double>(kMaxNodeScore));
}

double fraction(int64_t req, int64_t alloc) {
  return std::min(1.0, static_cast<double>(req) / static_cast<double>(alloc));
}

}  // namespace

int64_t balanced_allocation(const std::vector<std::pair<int64_t, int64_t>>& req_alloc) {
  std::vector<double> fractions;
  for (auto [req, alloc] : req_alloc)
    if (alloc != 0) fractions.push_back(fraction(req, alloc));
  return balance_score(fractions.data(), fractions.size());
}

int64_t balanced_allocation_score(const NodeInfo& node, const PodResources& pod,
                                  const std::vector<ResourceSpec>& specs) {
  // The usual few resources stay on the stack.
  constexpr size_t kInline = 8;
  double inline_fractions[kInline];
  std::vector<double> many;
  if (specs.size() > kInline) many.resize(specs.size());
  double* fractions = specs.size() > kInline ? many.data() : inline_fractions;
  size_t n = 0;
  for (auto& spec : specs) {
    auto u = resource_use(node, pod, spec, /*use_requested=*/true);
    if (u.allocatable != 0) fractions[n++] = fraction(u.requested, u.allocatable);
  }
  return balance_score(fractions, n);
}

Resources requested_with_pod(const NodeInfo& node, const PodResources& pod) {
  Resources r = node.non_zero_requested;
  r.add(pod.non_zero);
  return r;
}

}  // namespace kactor::scheduler::plugins
