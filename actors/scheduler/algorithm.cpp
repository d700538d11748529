#include "actors/scheduler/algorithm.hpp"

#include <fmt/format.h>
#include <algorithm>

namespace kactor::scheduler {

namespace {

/// How many nodes ahead the filter loop prefetches.
constexpr size_t kPrefetchAhead = 4;

/// Asks the CPU to load the NodeInfo's first lines early: the fields filters and
/// scores read, up to non_zero_requested.
void prefetch_node(const NodeInfo* info) {
  const auto* p = reinterpret_cast<const char*>(info);
  const auto* last = reinterpret_cast<const char*>(&info->non_zero_requested.memory);
  for (; p <= last + 64; p += 64) __builtin_prefetch(p);
}

}  // namespace

std::string FitError::message() const {
  if (num_all_nodes == 0) return "no nodes available to schedule pods";
  std::vector<std::string> parts;
  for (auto& [reason, count] : reasons) parts.push_back(fmt::format("{} {}", count, reason));
  // Upstream sorts the formatted strings, counts included.
  std::sort(parts.begin(), parts.end());
  std::string joined;
  for (auto& p : parts) joined += (joined.empty() ? "" : ", ") + p;
  auto msg = fmt::format("0/{} nodes are available: {}.", num_all_nodes, joined);
  if (!post_filter_message.empty()) msg += " " + post_filter_message;
  return msg;
}

size_t num_feasible_nodes_to_find(size_t n, int32_t percentage) {
  constexpr size_t kMinFeasible = 100;
  constexpr int64_t kMinPercentage = 5;
  if (n < kMinFeasible || percentage >= 100) return n;
  int64_t pct = percentage;
  if (pct <= 0) pct = std::max<int64_t>(50 - static_cast<int64_t>(n) / 125, kMinPercentage);
  size_t num = n * static_cast<size_t>(pct) / 100;
  return std::max(num, kMinFeasible);
}

size_t select_host(const std::vector<int64_t>& scores, Random& random) {
  size_t chosen = 0;
  int64_t best = scores[0];
  uint64_t ties = 1;
  for (size_t i = 1; i < scores.size(); ++i) {
    if (scores[i] > best) {
      best = scores[i];
      chosen = i;
      ties = 1;
    } else if (scores[i] == best) {
      ++ties;
      // Replacing with probability 1/ties keeps every tie equally likely.
      if (random.uniform(ties) == 0) chosen = i;
    }
  }
  return chosen;
}

Algorithm::Algorithm(std::vector<PluginEntry> plugins, AlgorithmOptions options, Random random)
    : framework_(plugins), options_(options), random_(std::move(random)) {}

std::expected<ScheduleResult, FitError> Algorithm::schedule(CycleState& state, const api::Pod& pod,
                                                            const Snapshot& nodes) {
  FitError fit;
  fit.num_all_nodes = nodes.size();
  if (nodes.empty()) return std::unexpected(std::move(fit));
  state.pod = compute_pod_resources(pod);
  state.snapshot = &nodes;
  state.framework = &framework_;
  state.nominator = nominator_;

  if (auto pre = framework_.run_pre_filter(state, pod); !pre.ok()) {
    // A PreFilter rejection holds for every node.
    fit.unschedulable_plugins.emplace(pre.plugin);
    for (auto& r : pre.reasons) fit.reasons[r] += static_cast<int64_t>(nodes.size());
    return std::unexpected(std::move(fit));
  }

  if (fits_nominated_node(state, pod, nodes))
    return ScheduleResult{pod.status.nominated_node_name, 1, 1};

  const size_t n = nodes.size();
  const size_t want = num_feasible_nodes_to_find(n, options_.percentage_of_nodes_to_score);
  std::vector<const NodeInfo*> feasible;
  feasible.reserve(std::min(want, n));
  // Why the others failed matters only when no node fits (the FitError, PostFilter):
  // kept unformatted until then.
  std::vector<std::pair<const NodeInfo*, PluginResult>> rejected;
  size_t processed = 0;
  const size_t start = next_start_ % n;
  // The nodes from `start` on, wrapping around (indices kept in range without a division
  // per node: this loop runs for hundreds of nodes per pod).
  auto at = [&](size_t i) -> const NodeInfo* {
    size_t k = start + i;
    return nodes[k >= n ? k - n : k].get();
  };
  for (size_t i = 0; i < n && feasible.size() < want; ++i) {
    // NodeInfos live apart on the heap: asking for a few nodes ahead overlaps their
    // cache misses, which otherwise cost more than the filters themselves.
    if (i + kPrefetchAhead < n) prefetch_node(at(i + kPrefetchAhead));
    const NodeInfo& info = *at(i);
    ++processed;
    auto r = framework_.run_filter_with_nominated_pods(state, pod, info);
    if (r.ok())
      feasible.push_back(&info);
    else
      rejected.emplace_back(&info, std::move(r));
  }
  next_start_ = (start + processed) % n;  // once per pod

  if (feasible.empty()) {
    for (auto& [info, r] : rejected) {
      for (auto& reason : r.reasons) ++fit.reasons[reason];
      fit.unschedulable_plugins.emplace(r.plugin);
      fit.failures.emplace(info->name(), std::move(r));
    }
    fit.post_filter =
        framework_.run_post_filter(state, pod, fit.failures, fit.post_filter_message);
    return std::unexpected(std::move(fit));
  }
  ScheduleResult result{"", processed, feasible.size()};
  if (feasible.size() == 1) {
    result.node = feasible[0]->name();
    return result;
  }
  if (auto pre = framework_.run_pre_score(state, pod, feasible); !pre.ok()) {
    for (auto& r : pre.reasons) fit.reasons[r] += static_cast<int64_t>(n);
    return std::unexpected(std::move(fit));
  }
  auto scores = framework_.run_score(state, pod, feasible);
  result.node = feasible[select_host(scores, random_)]->name();
  return result;
}

bool Algorithm::fits_nominated_node(CycleState& state, const api::Pod& pod,
                                    const Snapshot& nodes) const {
  const auto& name = pod.status.nominated_node_name;
  if (name.empty()) return false;
  const NodeInfo* info = nodes.get(name);
  return info && framework_.run_filter_with_nominated_pods(state, pod, *info).ok();
}

}  // namespace kactor::scheduler
