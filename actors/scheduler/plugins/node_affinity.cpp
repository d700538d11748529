// NodeAffinity: spec.nodeSelector and required node affinity filter; matching
// preferred terms add their weights to the score (normalized, not reversed).
#include "actors/scheduler/plugins/helpers.hpp"
#include "actors/scheduler/plugins/plugins.hpp"

namespace kactor::scheduler::plugins {
namespace {

/// Shared by every rejection (no strings built per rejected node).
const Reasons kNodeAffinityReasons{std::string(NodeAffinity::kReason)};

class NodeAffinityPlugin final : public PreFilterPlugin,
                                 public FilterPlugin,
                                 public PreScorePlugin,
                                 public ScorePlugin {
 public:
  std::string_view name() const override { return NodeAffinity::kName; }

  std::vector<ClusterEventWithHint> events_to_register() const override {
    return {{{EventResource::node, action::add | action::update_node_label}, nullptr}};
  }

  /// Neither a nodeSelector nor required terms: every node passes (upstream Skip).
  PluginResult pre_filter(CycleState&, const api::Pod& pod) override {
    const auto& a = pod.spec.affinity;
    const bool required = a && a->node_affinity &&
                          a->node_affinity->required_during_scheduling_ignored_during_execution;
    return pod.spec.node_selector.empty() && !required ? PluginResult::skip()
                                                       : PluginResult::success();
  }

  /// No preferred terms: every node scores 0 (upstream Skip).
  PluginResult pre_score(CycleState&, const api::Pod& pod,
                         const std::vector<const NodeInfo*>&) override {
    const auto& a = pod.spec.affinity;
    const bool preferred =
        a && a->node_affinity &&
        !a->node_affinity->preferred_during_scheduling_ignored_during_execution.empty();
    return preferred ? PluginResult::success() : PluginResult::skip();
  }

  PluginResult filter(const CycleState&, const api::Pod& pod, const NodeInfo& node) const override {
    if (!node.node) return PluginResult::success();
    auto& labels = node.node->metadata.labels;
    for (auto& [k, v] : pod.spec.node_selector) {
      auto it = labels.find(k);
      if (it == labels.end() || it->second != v) return mismatch();
    }
    if (auto& a = pod.spec.affinity; a && a->node_affinity) {
      auto& req = a->node_affinity->required_during_scheduling_ignored_during_execution;
      if (req && !selector_matches(*req, *node.node)) return mismatch();
    }
    return PluginResult::success();
  }

  int64_t score(const CycleState&, const api::Pod& pod, const NodeInfo& node) const override {
    auto& a = pod.spec.affinity;
    if (!node.node || !a || !a->node_affinity) return 0;
    int64_t sum = 0;
    for (auto& t : a->node_affinity->preferred_during_scheduling_ignored_during_execution)
      if (t.weight != 0 && term_matches(t.preference, *node.node)) sum += t.weight;
    return sum;
  }

  void normalize(const CycleState&, const api::Pod&, std::vector<int64_t>& s) const override {
    default_normalize(s, false);
  }

 private:
  static PluginResult mismatch() {
    return PluginResult::unresolvable(kNodeAffinityReasons);
  }
};

}  // namespace

std::shared_ptr<Plugin> make_node_affinity() {
  return std::make_shared<NodeAffinityPlugin>();
}

}  // namespace kactor::scheduler::plugins
