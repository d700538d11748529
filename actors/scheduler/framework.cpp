#include "actors/scheduler/framework.hpp"

#include <algorithm>
#include <mutex>

#include "actors/scheduler/nominator.hpp"

namespace kactor::scheduler {

namespace {

/// Every StateKey name ever made, its index the key's id (keys are few and live as long
/// as the program: they are constants of the plugins).
size_t intern_state_key(std::string_view name) {
  static std::mutex mutex;
  static std::vector<std::string> names;
  std::lock_guard lock(mutex);
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return i;
  names.emplace_back(name);
  return names.size() - 1;
}

}  // namespace

StateKey::StateKey(std::string_view name) : id_(intern_state_key(name)) {}

void default_normalize(std::vector<int64_t>& scores, bool reverse) {
  int64_t highest = 0;
  for (auto s : scores) highest = std::max(highest, s);
  for (auto& s : scores) {
    if (highest == 0) {
      s = reverse ? kMaxNodeScore : 0;
      continue;
    }
    s = kMaxNodeScore * s / highest;
    if (reverse) s = kMaxNodeScore - s;
  }
}

Framework::Framework(const std::vector<PluginEntry>& entries) {
  for (auto& e : entries) {
    auto p = e.make(e.args);
    if (!p) continue;
    Plugin* raw = p.get();
    namespace ep = extension_point;
    auto at = [&](uint32_t point) { return (e.points & point) != 0; };
    // Past 64 plugins a plugin has no skip bit: its Filter and Score always run.
    const uint64_t bit = all_.size() < 64 ? uint64_t{1} << all_.size() : 0;
    if (auto* x = dynamic_cast<PreFilterPlugin*>(raw); x && at(ep::pre_filter))
      pre_filter_.push_back({x, bit});
    if (auto* x = dynamic_cast<FilterPlugin*>(raw); x && at(ep::filter)) filter_.push_back({x, bit});
    if (auto* x = dynamic_cast<PostFilterPlugin*>(raw); x && at(ep::post_filter))
      post_filter_.push_back(x);
    if (auto* x = dynamic_cast<PreScorePlugin*>(raw); x && at(ep::pre_score))
      pre_score_.push_back({x, bit});
    // A score plugin with weight 0 would contribute nothing: leave it out.
    if (auto* x = dynamic_cast<ScorePlugin*>(raw); x && e.weight > 0 && at(ep::score))
      score_.push_back({x, bit, e.weight});
    if (auto* x = dynamic_cast<ReservePlugin*>(raw); x && at(ep::reserve)) reserve_.push_back(x);
    if (auto* x = dynamic_cast<PermitPlugin*>(raw); x && at(ep::permit)) permit_.push_back(x);
    if (auto* x = dynamic_cast<BindPlugin*>(raw); x && at(ep::bind)) bind_.push_back(x);
    all_.push_back(std::move(p));
  }
}

PluginResult Framework::run_pre_filter(CycleState& state, const api::Pod& pod) const {
  for (auto [p, bit] : pre_filter_) {
    auto r = p->pre_filter(state, pod);
    if (r.code == PluginResult::Code::skip) {
      state.skip_filter |= bit;
      continue;
    }
    if (!r.ok()) {
      r.plugin = p->name();
      return r;
    }
  }
  return PluginResult::success();
}

PluginResult Framework::run_filter(const CycleState& state, const api::Pod& pod,
                                   const NodeInfo& node) const {
  for (auto [p, bit] : filter_) {
    if (state.skip_filter & bit) continue;
    if (auto r = p->filter(state, pod, node); !r.ok()) {
      r.plugin = p->name();
      return r;
    }
  }
  return PluginResult::success();
}

PluginResult Framework::run_pre_filter_add_pod(CycleState& state, const api::Pod& pod,
                                               const PodInfo& p, const NodeInfo& node) const {
  // Upstream leaves out the plugins that skipped: their Filter does not run either.
  for (auto [plugin, bit] : pre_filter_)
    if (auto* ext = plugin->pre_filter_extensions(); ext && !(state.skip_filter & bit))
      if (auto r = ext->add_pod(state, pod, p, node); !r.ok()) return r;
  return PluginResult::success();
}

PluginResult Framework::run_pre_filter_remove_pod(CycleState& state, const api::Pod& pod,
                                                  const PodInfo& p, const NodeInfo& node) const {
  for (auto [plugin, bit] : pre_filter_)
    if (auto* ext = plugin->pre_filter_extensions(); ext && !(state.skip_filter & bit))
      if (auto r = ext->remove_pod(state, pod, p, node); !r.ok()) return r;
  return PluginResult::success();
}

PluginResult Framework::run_filter_with_nominated_pods(const CycleState& state, const api::Pod& pod,
                                                       const NodeInfo& node) const {
  // The common case, nothing nominated anywhere, costs one check.
  if (!state.nominator || state.nominator->empty()) return run_filter(state, pod, node);
  const auto& nominated = state.nominator->pods_on(node.name());
  const int32_t priority = pod.spec.priority.value_or(0);
  std::optional<CycleState> with_state;
  std::optional<NodeInfo> with_node;
  for (auto& p : nominated) {
    // Only pods this one must yield to: it may take room freed for lower priorities.
    if (p->pod->spec.priority.value_or(0) < priority || p->uid() == pod.metadata.uid) continue;
    if (!with_node) {
      with_state.emplace(state);
      with_node.emplace(node);
    }
    with_node->add_pod(p);
    if (auto r = run_pre_filter_add_pod(*with_state, pod, *p, *with_node); !r.ok()) return r;
  }
  if (!with_node) return run_filter(state, pod, node);
  // Both with and without them: resources and anti-affinity fail more easily with the
  // nominated pods there, affinity more easily without (they may land elsewhere).
  if (auto r = run_filter(*with_state, pod, *with_node); !r.ok()) return r;
  return run_filter(state, pod, node);
}

std::optional<PostFilterResult> Framework::run_post_filter(CycleState& state, const api::Pod& pod,
                                                           const NodeFailures& failures,
                                                           std::string& message) const {
  for (auto* p : post_filter_)
    if (auto result = p->post_filter(state, pod, failures, message)) return result;
  return std::nullopt;
}

PluginResult Framework::run_pre_score(CycleState& state, const api::Pod& pod,
                                      const std::vector<const NodeInfo*>& feasible) const {
  for (auto [p, bit] : pre_score_) {
    auto r = p->pre_score(state, pod, feasible);
    if (r.code == PluginResult::Code::skip) {
      state.skip_score |= bit;
      continue;
    }
    if (!r.ok()) return r;
  }
  return PluginResult::success();
}

std::vector<int64_t> Framework::run_score(const CycleState& state, const api::Pod& pod,
                                          const std::vector<const NodeInfo*>& feasible) const {
  std::vector<int64_t> total(feasible.size(), 0);
  std::vector<int64_t> scores(feasible.size());
  for (auto [plugin, bit, weight] : score_) {
    if (state.skip_score & bit) continue;
    for (size_t i = 0; i < feasible.size(); ++i) {
      // The node a few ahead may have left the cache since Filter read it.
      if (i + 4 < feasible.size()) __builtin_prefetch(&feasible[i + 4]->non_zero_requested);
      scores[i] = plugin->score(state, pod, *feasible[i]);
    }
    plugin->normalize(state, pod, scores);
    for (size_t i = 0; i < feasible.size(); ++i)
      total[i] += std::clamp<int64_t>(scores[i], 0, kMaxNodeScore) * weight;
  }
  return total;
}

PluginResult Framework::run_reserve(CycleState& state, const api::Pod& pod,
                                    const std::string& node) const {
  for (size_t i = 0; i < reserve_.size(); ++i) {
    if (auto r = reserve_[i]->reserve(state, pod, node); !r.ok()) {
      // Upstream unreserves every reserve plugin, in reverse order, on failure.
      run_unreserve(state, pod, node);
      return r;
    }
  }
  return PluginResult::success();
}

void Framework::run_unreserve(CycleState& state, const api::Pod& pod,
                              const std::string& node) const {
  for (auto it = reserve_.rbegin(); it != reserve_.rend(); ++it) (*it)->unreserve(state, pod, node);
}

PluginResult Framework::run_permit(CycleState& state, const api::Pod& pod,
                                   const std::string& node) const {
  for (auto* p : permit_)
    if (auto r = p->permit(state, pod, node); !r.ok()) return r;
  return PluginResult::success();
}

std::optional<apiserver::Request> Framework::run_bind(const CycleState& state, const api::Pod& pod,
                                                      const std::string& node) const {
  for (auto* p : bind_)
    if (auto req = p->bind(state, pod, node)) return req;
  return std::nullopt;
}

}  // namespace kactor::scheduler
