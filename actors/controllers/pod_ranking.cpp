#include "actors/controllers/pod_ranking.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <string>

#include "api/types/pod_util.hpp"

namespace kactor::actors::controllers {

namespace {

int phase_rank(const std::string& phase) {
  if (phase == "Pending") return 0;
  if (phase == "Unknown") return 1;
  if (phase == "Running") return 2;
  return 3;
}

/// controller.kubernetes.io/pod-deletion-cost; absent or malformed counts as 0.
int32_t deletion_cost(const api::Pod& pod) {
  auto it = pod.metadata.annotations.find("controller.kubernetes.io/pod-deletion-cost");
  if (it == pod.metadata.annotations.end()) return 0;
  int32_t v = 0;
  auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  return ec == std::errc() && p == it->second.data() + it->second.size() ? v : 0;
}

int32_t max_restarts(const api::Pod& pod) {
  int32_t m = 0;
  for (auto& c : pod.status.container_statuses) m = std::max(m, c.restart_count);
  return m;
}

TimePoint ready_since(const api::Pod& pod) {
  auto* c = pod.status.condition("Ready");
  return c ? c->last_transition_time.value : TimePoint{};
}

}  // namespace

std::vector<PodPtr> rank_for_deletion(std::vector<PodPtr> pods,
                                      const std::vector<PodPtr>& related) {
  std::map<std::string, int> per_node;
  for (auto& p : related)
    if (!p->spec.node_name.empty() && api::is_active(*p)) ++per_node[p->spec.node_name];
  auto node_count = [&](const api::Pod& p) {
    if (p.spec.node_name.empty()) return 0;
    auto it = per_node.find(p.spec.node_name);
    return it == per_node.end() ? 0 : it->second;
  };
  // `a` goes before `b` (is deleted first).
  auto first = [&](const PodPtr& pa, const PodPtr& pb) {
    const auto& a = *pa;
    const auto& b = *pb;
    bool a_assigned = !a.spec.node_name.empty(), b_assigned = !b.spec.node_name.empty();
    if (a_assigned != b_assigned) return !a_assigned;
    int pa_rank = phase_rank(a.status.phase), pb_rank = phase_rank(b.status.phase);
    if (pa_rank != pb_rank) return pa_rank < pb_rank;
    bool ar = api::is_ready(a), br = api::is_ready(b);
    if (ar != br) return !ar;
    int32_t ac = deletion_cost(a), bc = deletion_cost(b);
    if (ac != bc) return ac < bc;
    int an = node_count(a), bn = node_count(b);
    if (an != bn) return an > bn;
    if (ar && br && ready_since(a) != ready_since(b)) return ready_since(a) > ready_since(b);
    int32_t aR = max_restarts(a), bR = max_restarts(b);
    if (aR != bR) return aR > bR;
    if (a.metadata.creation_timestamp != b.metadata.creation_timestamp)
      return a.metadata.creation_timestamp > b.metadata.creation_timestamp;
    return a.metadata.name < b.metadata.name;  // deterministic among equals
  };
  std::stable_sort(pods.begin(), pods.end(), first);
  return pods;
}

}  // namespace kactor::actors::controllers
