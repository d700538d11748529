// InterPodAffinity's PreFilter/Filter and PreScore/Score (upstream filtering.go and
// scoring.go): once per pod, count per topology domain the pods that match the terms (in
// tallies kept across cycles: only changed nodes are recounted); per node, look the
// node's domains up.
#include "actors/scheduler/plugins/inter_pod_affinity.hpp"

#include <limits>
#include <string>
#include <unordered_map>

#include "actors/scheduler/affinity_term.hpp"
#include "actors/scheduler/plugins/tally_keys.hpp"
#include "actors/scheduler/plugins/topology_tally.hpp"

namespace kactor::scheduler::plugins {
namespace {

/// Shared by every rejection (no strings built per rejected node).
const Reasons kAffinityRulesNotMatchList{std::string(kAffinityRulesNotMatch)};
const Reasons kAntiAffinityRulesNotMatchList{std::string(kAntiAffinityRulesNotMatch)};
const Reasons kExistingAntiAffinityRulesNotMatchList{std::string(kExistingAntiAffinityRulesNotMatch)};

const StateKey kFilterStateKey{"PreFilterInterPodAffinity"};
const StateKey kScoreStateKey{"PreScoreInterPodAffinity"};

/// upstream podMatchesAllAffinityTerms: false for no terms. The incoming pod's namespace
/// selectors are resolved into namespaces, so no namespace labels are needed.
bool matches_all(const std::vector<AffinityTerm>& terms, const api::Pod& pod) {
  if (terms.empty()) return false;
  for (auto& t : terms)
    if (!t.matches(pod, nullptr)) return false;
  return true;
}

/// Adds `delta` to the node's domain of `key`, if the node has that label (upstream
/// topologyToMatchedTermCount.update / scoreMap.processTerm).
void add(NodeCounts& out, const NodeInfo& node, const std::string& key, int64_t delta) {
  if (const auto* v = node.label(key)) out.push_back({key, *v, delta});
}

/// Whether any of the node's domains has a positive count in `tally` (with what a what-if
/// run changed on top).
bool any_positive_on(const TopologyTally& tally, const TallyOverlay& overlay, const NodeInfo& node) {
  for (auto& [key, values] : tally.all()) {
    const auto* v = node.label(key);
    if (!v) continue;
    if (auto it = values.find(*v);
        it != values.end() && it->second.sum + overlay.delta(key, *v) > 0)
      return true;
  }
  for (auto& d : overlay.deltas()) {  // domains only a what-if opened
    const auto* v = node.label(d.key);
    if (v && *v == d.value && !tally.has_domain(d.key, d.value) && d.count > 0) return true;
  }
  return false;
}

/// What PreFilter computed. The tallies are the plugin's, valid for this cycle; null
/// when there was nothing to count.
struct FilterState {
  PodAffinityTerms terms;  // the incoming pod's, namespace selectors resolved
  /// Existing pods whose required anti-affinity the incoming pod matches.
  const TopologyTally* existing_anti_affinity = nullptr;
  /// Existing pods matching all the incoming pod's required affinity terms.
  const TopologyTally* affinity = nullptr;
  /// Existing pods matching one of its required anti-affinity terms.
  const TopologyTally* anti_affinity = nullptr;
  /// The incoming pod's namespace labels (the snapshot's), for existing pods' terms.
  const api::Labels* ns_labels = nullptr;
  /// What a what-if run (preemption, nominated pods) changed of the three tallies.
  TallyOverlay existing_anti_affinity_delta;
  TallyOverlay affinity_delta;
  TallyOverlay anti_affinity_delta;
};

struct ScoreState {
  const TopologyTally* scores = nullptr;
};

class InterPodAffinity final : public PreFilterPlugin,
                               public FilterPlugin,
                               public PreScorePlugin,
                               public ScorePlugin {
 public:
  explicit InterPodAffinity(InterPodAffinityArgs args) : args_(args) {}

  std::string_view name() const override { return kInterPodAffinityName; }

  std::vector<ClusterEventWithHint> events_to_register() const override {
    // Upstream: assigned pods added, deleted or relabelled; nodes added or relabelled.
    return {
        {{EventResource::assigned_pod, action::add | action::remove | action::update_pod_label},
         nullptr},
        {{EventResource::node, action::add | action::update_node_label}, nullptr},
    };
  }

  const PreFilterExtensions* pre_filter_extensions() const override { return &extensions_; }

  PluginResult pre_filter(CycleState& state, const api::Pod& pod) override {
    FilterState fs;
    fs.terms = compile_affinity_terms(pod);
    if (fs.terms.error) return {PluginResult::Code::error, {fs.terms.error->message}};
    if (!state.snapshot) {
      state.write(kFilterStateKey, std::move(fs));
      return PluginResult::success();
    }
    const auto& snapshot = *state.snapshot;
    // No required terms of its own and no pod anywhere with required anti-affinity:
    // nothing can reject a node (upstream Skip).
    if (fs.terms.required_affinity.empty() && fs.terms.required_anti_affinity.empty() &&
        snapshot.nodes_with_required_anti_affinity_pods == size_t{0})
      return PluginResult::skip();
    const auto* namespaces = snapshot.namespaces.get();
    for (auto& t : fs.terms.required_affinity) resolve_namespace_selector(t, namespaces);
    for (auto& t : fs.terms.required_anti_affinity) resolve_namespace_selector(t, namespaces);
    const auto* ns_labels = snapshot.namespace_labels(pod.metadata.namespace_);
    fs.ns_labels = ns_labels;

    // Existing pods' required anti-affinity depends on who the incoming pod is: its
    // namespace (and that namespace's labels) and its labels.
    std::string key = "A";
    key += pod.metadata.namespace_;
    key += '\x1e';
    append_key(key, pod.metadata.labels);
    if (ns_labels) append_key(key, *ns_labels);
    fs.existing_anti_affinity = &tallies_.get(key, snapshot, [&](const NodeInfo& info) -> NodeCounts {
      NodeCounts out;
      if (!info.node) return out;
      for (auto& existing : info.pods_with_required_anti_affinity)
        for (auto& t : existing->affinity_terms().required_anti_affinity)
          if (t.matches(pod, ns_labels)) add(out, info, t.topology_key, 1);
      return out;
    });

    if (!fs.terms.required_affinity.empty()) {
      std::string k = "R";
      for (auto& t : fs.terms.required_affinity) append_key(k, t);
      const auto& terms = fs.terms.required_affinity;
      fs.affinity = &tallies_.get(k, snapshot, [&](const NodeInfo& info) -> NodeCounts {
        NodeCounts out;
        if (!info.node) return out;
        for (auto& existing : info.pods)
          if (matches_all(terms, *existing->pod))
            for (auto& t : terms) add(out, info, t.topology_key, 1);
        return out;
      });
    }
    if (!fs.terms.required_anti_affinity.empty()) {
      std::string k = "X";
      for (auto& t : fs.terms.required_anti_affinity) append_key(k, t);
      const auto& terms = fs.terms.required_anti_affinity;
      // Every node with a term's key opens its domain, matching pods or not, so that
      // Filter finds a one-term count at the node without a label lookup (total_at).
      fs.anti_affinity = &tallies_.get(k, snapshot, [&](const NodeInfo& info) -> NodeCounts {
        NodeCounts out;
        if (!info.node) return out;
        for (auto& t : terms) {
          int64_t matching = 0;
          for (auto& existing : info.pods)
            if (t.matches(*existing->pod, nullptr)) ++matching;
          add(out, info, t.topology_key, matching);
        }
        return out;
      });
    }
    state.write(kFilterStateKey, std::move(fs));
    return PluginResult::success();
  }

  PluginResult filter(const CycleState& state, const api::Pod& pod,
                      const NodeInfo& info) const override {
    const auto* fs = state.read<FilterState>(kFilterStateKey);
    if (!fs || !info.node) return PluginResult::success();
    const auto& node = info;
    if (!satisfies_affinity(*fs, pod, node))
      return PluginResult::unresolvable(kAffinityRulesNotMatchList);
    if (any_positive(fs->anti_affinity, fs->anti_affinity_delta)) {
      const auto& terms = fs->terms.required_anti_affinity;
      // One term, the usual case: its domain here is the first the node opened (not in a
      // what-if run, whose changes the tally does not hold).
      auto here = terms.size() == 1 && fs->anti_affinity_delta.empty()
                      ? fs->anti_affinity->total_at(info)
                      : std::nullopt;
      if (here) {
        if (*here > 0) return PluginResult::unschedulable(kAntiAffinityRulesNotMatchList);
      } else {
        for (auto& t : terms) {
          const auto* v = node.label(t.topology_key);
          if (v && total(fs->anti_affinity, fs->anti_affinity_delta, t.topology_key, *v) > 0)
            return PluginResult::unschedulable(kAntiAffinityRulesNotMatchList);
        }
      }
    }
    if (fs->existing_anti_affinity &&
        any_positive(fs->existing_anti_affinity, fs->existing_anti_affinity_delta) &&
        any_positive_on(*fs->existing_anti_affinity, fs->existing_anti_affinity_delta, node))
      return PluginResult::unschedulable(kExistingAntiAffinityRulesNotMatchList);
    return PluginResult::success();
  }

  PluginResult pre_score(CycleState& state, const api::Pod& pod,
                         const std::vector<const NodeInfo*>& feasible) override {
    if (feasible.empty() || !state.snapshot) return PluginResult::success();
    auto terms = compile_affinity_terms(pod);
    if (terms.error) return {PluginResult::Code::error, {terms.error->message}};
    const bool has_constraints =
        !terms.preferred_affinity.empty() || !terms.preferred_anti_affinity.empty();
    const auto& snapshot = *state.snapshot;
    // Nothing to weigh: no preferred terms of its own, and existing pods' terms are
    // ignored or there are none (upstream Skip).
    if (!has_constraints &&
        (args_.ignore_preferred_terms_of_existing_pods ||
         snapshot.nodes_with_affinity_pods == size_t{0}))
      return PluginResult::skip();
    const auto* namespaces = snapshot.namespaces.get();
    for (auto& w : terms.preferred_affinity) resolve_namespace_selector(w.term, namespaces);
    for (auto& w : terms.preferred_anti_affinity) resolve_namespace_selector(w.term, namespaces);
    const auto* ns_labels = snapshot.namespace_labels(pod.metadata.namespace_);

    std::string key = has_constraints ? "P" : "p";
    key += pod.metadata.namespace_;
    key += '\x1e';
    append_key(key, pod.metadata.labels);
    if (ns_labels) append_key(key, *ns_labels);
    for (auto* list : {&terms.preferred_affinity, &terms.preferred_anti_affinity}) {
      for (auto& w : *list) {
        append_key(key, w.term);
        key += std::to_string(w.weight);
      }
      key += '\x1e';
    }
    const auto& tally = tallies_.get(key, snapshot, [&](const NodeInfo& info) -> NodeCounts {
      NodeCounts out;
      if (!info.node || info.node->metadata.labels.empty()) return out;
      const auto& node = info;
      // Without preferred terms of its own, only existing pods with affinity can matter.
      const auto& existing_pods = has_constraints ? info.pods : info.pods_with_affinity;
      for (auto& existing : existing_pods) {
        // The incoming pod's preferred terms, matched by the existing pod.
        for (auto& w : terms.preferred_affinity)
          if (w.term.matches(*existing->pod, nullptr)) add(out, node, w.term.topology_key, w.weight);
        for (auto& w : terms.preferred_anti_affinity)
          if (w.term.matches(*existing->pod, nullptr)) add(out, node, w.term.topology_key, -w.weight);
        // The existing pod's terms, matched by the incoming pod.
        const auto& et = existing->affinity_terms();
        if (args_.hard_pod_affinity_weight > 0)
          for (auto& t : et.required_affinity)
            if (t.matches(pod, ns_labels)) add(out, node, t.topology_key, args_.hard_pod_affinity_weight);
        for (auto& w : et.preferred_affinity)
          if (w.term.matches(pod, ns_labels)) add(out, node, w.term.topology_key, w.weight);
        for (auto& w : et.preferred_anti_affinity)
          if (w.term.matches(pod, ns_labels)) add(out, node, w.term.topology_key, -w.weight);
      }
      return out;
    });
    // No term matched anywhere: every node would score the same.
    if (tally.all().empty()) return PluginResult::skip();
    state.write(kScoreStateKey, ScoreState{&tally});
    return PluginResult::success();
  }

  int64_t score(const CycleState& state, const api::Pod&, const NodeInfo& info) const override {
    const auto* ss = state.read<ScoreState>(kScoreStateKey);
    if (!ss || !info.node) return 0;
    int64_t sum = 0;
    for (auto& [key, values] : ss->scores->all()) {
      const auto* v = info.label(key);
      if (!v) continue;
      if (auto it = values.find(*v); it != values.end()) sum += it->second.sum;
    }
    return sum;
  }

  void normalize(const CycleState& state, const api::Pod&,
                 std::vector<int64_t>& scores) const override {
    if (!state.read<ScoreState>(kScoreStateKey) || scores.empty()) return;
    // Min/max scaling: raw scores may be negative (anti-affinity).
    int64_t lo = std::numeric_limits<int64_t>::max();
    int64_t hi = std::numeric_limits<int64_t>::min();
    for (auto s : scores) {
      lo = std::min(lo, s);
      hi = std::max(hi, s);
    }
    const int64_t diff = hi - lo;
    for (auto& s : scores) {
      double f = 0;
      if (diff > 0)
        f = static_cast<double>(kMaxNodeScore) * (static_cast<double>(s - lo) / static_cast<double>(diff));
      s = static_cast<int64_t>(f);
    }
  }

 private:
  /// upstream satisfyPodAffinity: every required affinity term's domain on this node
  /// holds a matching pod; the node must have every term's key. The first pod of a
  /// group that matches its own terms may go anywhere when no pod matches yet.
  static bool satisfies_affinity(const FilterState& fs, const api::Pod& pod, const NodeInfo& node) {
    const auto* counts = fs.affinity;  // null: nothing was counted (no terms, no snapshot)
    bool pods_exist = true;
    for (auto& t : fs.terms.required_affinity) {
      const auto* v = node.label(t.topology_key);
      if (!v) return false;
      if (total(counts, fs.affinity_delta, t.topology_key, *v) <= 0) pods_exist = false;
    }
    if (pods_exist) return true;
    return !any_positive(counts, fs.affinity_delta) && matches_all(fs.terms.required_affinity, pod);
  }

  /// Upstream updateWithPod: `p` added to (+1) or removed from (-1) `node` in a what-if run
  /// changes the three counts PreFilter made.
  static PluginResult update(CycleState& state, const api::Pod& incoming, const PodInfo& p,
                             const NodeInfo& node, int64_t sign) {
    auto* fs = state.read_mutable<FilterState>(kFilterStateKey);
    if (!fs || !node.node) return PluginResult::success();
    auto change = [&](TallyOverlay& overlay, const std::string& key) {
      if (const auto* v = node.label(key)) overlay.add(key, *v, sign);
    };
    for (auto& t : p.affinity_terms().required_anti_affinity)
      if (t.matches(incoming, fs->ns_labels)) change(fs->existing_anti_affinity_delta, t.topology_key);
    if (matches_all(fs->terms.required_affinity, *p.pod))
      for (auto& t : fs->terms.required_affinity) change(fs->affinity_delta, t.topology_key);
    for (auto& t : fs->terms.required_anti_affinity)
      if (t.matches(*p.pod, nullptr)) change(fs->anti_affinity_delta, t.topology_key);
    return PluginResult::success();
  }

  TallyExtensions extensions_{&update};

  InterPodAffinityArgs args_;
  /// Counts kept across cycles (a pod uses at most four).
  TallyCache tallies_{16};
};

}  // namespace

std::shared_ptr<Plugin> make_inter_pod_affinity(InterPodAffinityArgs args) {
  return std::make_shared<InterPodAffinity>(args);
}

}  // namespace kactor::scheduler::plugins
