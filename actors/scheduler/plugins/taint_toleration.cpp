// TaintToleration: NoSchedule/NoExecute taints must be tolerated; untolerated
// PreferNoSchedule taints lower the score (fewer is better, reverse-normalized).
#include "actors/scheduler/plugins/helpers.hpp"
#include "actors/scheduler/plugins/plugins.hpp"

namespace kactor::scheduler::plugins {
namespace {

class TaintTolerationPlugin final : public FilterPlugin, public ScorePlugin {
 public:
  std::string_view name() const override { return TaintToleration::kName; }

  std::vector<ClusterEventWithHint> events_to_register() const override {
    return {{{EventResource::node, action::add | action::update_node_taint}, nullptr}};
  }

  PluginResult filter(const CycleState&, const api::Pod& pod, const NodeInfo& node) const override {
    if (!node.node || !node.has_schedule_taints) return PluginResult::success();
    for (auto& taint : node.node->spec.taints) {
      if (taint.effect != "NoSchedule" && taint.effect != "NoExecute") continue;
      if (tolerated(pod.spec.tolerations, taint)) continue;
      return PluginResult::unresolvable(
          {std::string(TaintToleration::kReasonPrefix) + "{" + taint.key + ": " + taint.value + "}"});
    }
    return PluginResult::success();
  }

  int64_t score(const CycleState&, const api::Pod& pod, const NodeInfo& node) const override {
    if (!node.node || !node.has_prefer_no_schedule_taints) return 0;
    // Only tolerations that speak about PreferNoSchedule (or every effect) count.
    std::vector<api::Toleration> relevant;
    for (auto& t : pod.spec.tolerations)
      if (t.effect.empty() || t.effect == "PreferNoSchedule") relevant.push_back(t);
    int64_t count = 0;
    for (auto& taint : node.node->spec.taints)
      if (taint.effect == "PreferNoSchedule" && !tolerated(relevant, taint)) ++count;
    return count;
  }

  void normalize(const CycleState&, const api::Pod&, std::vector<int64_t>& s) const override {
    default_normalize(s, true);
  }
};

}  // namespace

std::shared_ptr<Plugin> make_taint_toleration() {
  return std::make_shared<TaintTolerationPlugin>();
}

}  // namespace kactor::scheduler::plugins
