#include "actors/scheduler/preemption/victims.hpp"

#include <algorithm>
#include <functional>
#include <limits>

#include "api/labels/selector.hpp"

namespace kactor::scheduler::preemption {

int32_t priority_of(const api::Pod& pod) {
  return pod.spec.priority.value_or(0);
}

namespace {

/// Upstream GetPodStartTime: status.startTime, or now when unset, which is later than
/// any recorded start.
TimePoint start_time(const api::Pod& pod) {
  return pod.status.start_time.is_set() ? pod.status.start_time.value : TimePoint::max();
}

bool selects(const api::PodDisruptionBudget& pdb, const api::Pod& pod) {
  if (pdb.metadata.namespace_ != pod.metadata.namespace_ || !pdb.spec.selector) return false;
  auto selector = api::labels::Selector::from_label_selector(*pdb.spec.selector);
  // An invalid selector selects nothing; an empty one too (policy/v1).
  if (!selector || selector->empty()) return false;
  return selector->matches(pod.metadata.labels);
}

}  // namespace

bool more_important(const api::Pod& a, const api::Pod& b) {
  auto pa = priority_of(a), pb = priority_of(b);
  if (pa != pb) return pa > pb;
  return start_time(a) < start_time(b);
}

PdbSplit split_by_pdb_violation(const std::vector<PodInfoPtr>& pods, const PdbList& pdbs) {
  std::vector<int64_t> allowed;
  allowed.reserve(pdbs.size());
  for (auto& pdb : pdbs) allowed.push_back(pdb->status.disruptions_allowed);
  PdbSplit out;
  for (auto& info : pods) {
    const api::Pod& pod = *info->pod;
    bool violated = false;
    // A pod without labels matches no budget.
    if (!pod.metadata.labels.empty()) {
      for (size_t i = 0; i < pdbs.size(); ++i) {
        if (!selects(*pdbs[i], pod)) continue;
        // Already being disrupted (evicted): the API server counted it; counting it
        // again would take the budget down twice.
        if (pdbs[i]->status.disrupted_pods.contains(pod.metadata.name)) continue;
        if (--allowed[i] < 0) violated = true;
      }
    }
    (violated ? out.violating : out.non_violating).push_back(info);
  }
  return out;
}

std::expected<Candidate, PluginResult> select_victims_on_node(const CycleState& state,
                                                              const api::Pod& pod,
                                                              const NodeInfo& node,
                                                              const PdbList& pdbs) {
  if (!state.framework)
    return std::unexpected(
        PluginResult{PluginResult::Code::error, {"no framework in the cycle state"}});
  const Framework& fw = *state.framework;
  const int32_t priority = priority_of(pod);
  std::vector<PodInfoPtr> potential;
  for (auto& p : node.pods)
    if (priority_of(*p->pod) < priority) potential.push_back(p);
  // Checked before copying anything: on a full cluster of equal priorities this is
  // every node's answer.
  if (potential.empty()) return std::unexpected(PluginResult::unresolvable({kNoVictims}));
  CycleState what_if = state;
  NodeInfo info = node;
  for (auto& p : potential) {
    info.remove_pod(*p);
    if (auto r = fw.run_pre_filter_remove_pod(what_if, pod, *p, info); !r.ok())
      return std::unexpected(r);
  }
  // Does not fit even with every lower-priority pod gone: no use for this node.
  if (auto r = fw.run_filter_with_nominated_pods(what_if, pod, info); !r.ok())
    return std::unexpected(r);

  std::sort(potential.begin(), potential.end(), [](const PodInfoPtr& a, const PodInfoPtr& b) {
    return more_important(*a->pod, *b->pod);
  });
  auto split = split_by_pdb_violation(potential, pdbs);
  Candidate out{node.name(), {}, 0};
  // Puts `p` back; if the pod no longer fits, `p` is a victim after all.
  auto reprieve = [&](const PodInfoPtr& p) -> std::expected<bool, PluginResult> {
    info.add_pod(p);
    if (auto r = fw.run_pre_filter_add_pod(what_if, pod, *p, info); !r.ok())
      return std::unexpected(r);
    if (fw.run_filter_with_nominated_pods(what_if, pod, info).ok()) return true;
    info.remove_pod(*p);
    if (auto r = fw.run_pre_filter_remove_pod(what_if, pod, *p, info); !r.ok())
      return std::unexpected(r);
    out.victims.push_back(p);
    return false;
  };
  for (auto& p : split.violating) {
    auto fits = reprieve(p);
    if (!fits) return std::unexpected(fits.error());
    if (!*fits) ++out.num_pdb_violations;
  }
  for (auto& p : split.non_violating)
    if (auto fits = reprieve(p); !fits) return std::unexpected(fits.error());
  // Two groups were appended one after the other: restore importance order, so the
  // first victim is the most important (node choice reads it).
  if (!split.violating.empty() && !split.non_violating.empty())
    std::stable_sort(
        out.victims.begin(), out.victims.end(),
        [](const PodInfoPtr& a, const PodInfoPtr& b) { return more_important(*a->pod, *b->pod); });
  return out;
}

namespace {

/// Upstream GetEarliestPodStartTime: the earliest start among the victims of the
/// highest priority.
TimePoint earliest_start_of_highest(const Candidate& c) {
  int32_t highest = std::numeric_limits<int32_t>::min();
  TimePoint earliest = TimePoint::max();
  for (auto& v : c.victims) {
    auto p = priority_of(*v->pod);
    auto t = start_time(*v->pod);
    if (p > highest) {
      highest = p;
      earliest = t;
    } else if (p == highest && t < earliest) {
      earliest = t;
    }
  }
  return earliest;
}

}  // namespace

size_t pick_one_node(const std::vector<Candidate>& candidates) {
  // Each criterion is a score, higher is better; a criterion decides when one
  // candidate alone has the best score, else the tied ones go to the next.
  using Score = std::function<int64_t(const Candidate&)>;
  const Score criteria[] = {
      [](const Candidate& c) { return -c.num_pdb_violations; },
      [](const Candidate& c) {
        // Victims are most important first: the first has the highest priority.
        return -static_cast<int64_t>(priority_of(*c.victims.front()->pod));
      },
      [](const Candidate& c) {
        int64_t sum = 0;
        for (auto& v : c.victims)
          sum += static_cast<int64_t>(priority_of(*v->pod)) +
                 (static_cast<int64_t>(std::numeric_limits<int32_t>::max()) + 1);
        return -sum;
      },
      [](const Candidate& c) { return -static_cast<int64_t>(c.victims.size()); },
      [](const Candidate& c) {
        return static_cast<int64_t>(earliest_start_of_highest(c).time_since_epoch().count());
      },
  };
  std::vector<size_t> tied(candidates.size());
  for (size_t i = 0; i < tied.size(); ++i) tied[i] = i;
  for (auto& score : criteria) {
    std::vector<size_t> best;
    int64_t best_score = std::numeric_limits<int64_t>::min();
    for (auto i : tied) {
      auto s = score(candidates[i]);
      if (s > best_score) {
        best_score = s;
        best.clear();
      }
      if (s == best_score) best.push_back(i);
    }
    if (best.size() == 1) return best.front();
    tied = std::move(best);
  }
  return tied.front();
}

}  // namespace kactor::scheduler::preemption
