// PodTopologySpread's PreFilter/Filter and PreScore/Score (upstream filtering.go and
// scoring.go). Both phases count, once per pod, the matching pods of every domain — in
// tallies kept across cycles, so only nodes changed since the last pod asking the same
// are recounted — and the per-node work reads those counts.
#include "actors/scheduler/plugins/pod_topology_spread.hpp"

#include <cmath>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "actors/scheduler/plugins/helpers.hpp"
#include "actors/scheduler/plugins/tally_keys.hpp"
#include "actors/scheduler/plugins/topology_tally.hpp"
#include "actors/scheduler/workload_selectors.hpp"
#include "api/labels/selector.hpp"

namespace kactor::scheduler::plugins {
namespace {

/// Shared by every rejection (no strings built per rejected node).
const Reasons kSpreadNodeLabelNotMatchList{std::string(kSpreadNodeLabelNotMatch)};
const Reasons kSpreadConstraintsNotMatchList{std::string(kSpreadConstraintsNotMatch)};

constexpr std::string_view kHostnameKey = kHostnameLabel;
constexpr std::string_view kZoneKey = kZoneLabel;
const StateKey kFilterStateKey{"PreFilterPodTopologySpread"};
const StateKey kScoreStateKey{"PreScorePodTopologySpread"};

/// A constraint with its selector parsed and its optional fields resolved (upstream
/// topologySpreadConstraint).
struct Constraint {
  int32_t max_skew = 1;
  std::string topology_key;
  api::labels::Selector selector;
  int32_t min_domains = 1;
  bool honor_node_affinity = true;  // nodeAffinityPolicy, default Honor
  bool honor_node_taints = false;   // nodeTaintsPolicy, default Ignore
};
using Constraints = std::vector<Constraint>;

/// Upstream nodeLabelsMatchSpreadConstraints: the node has every constraint's key.
bool has_all_keys(const NodeInfo& node, const Constraints& cs) {
  for (auto& c : cs)
    if (!node.label(c.topology_key)) return false;
  return true;
}

/// Upstream matchNodeInclusionPolicies.
bool node_included(const Constraint& c, const api::Pod& pod, const api::Node& node) {
  if (c.honor_node_affinity && !matches_required_node_affinity(pod, node)) return false;
  if (c.honor_node_taints && !tolerates_no_schedule_taints(pod, node)) return false;
  return true;
}

/// Upstream countPodsMatchSelector: pods of `ns` on the node matching, terminating ones
/// left out.
int64_t count_matching(const NodeInfo& node, const api::labels::Selector& selector,
                       const std::string& ns) {
  int64_t n = 0;
  for (auto& p : node.pods) {
    const auto& m = p->pod->metadata;
    if (m.deletion_timestamp || m.namespace_ != ns) continue;
    if (selector.matches(m.labels)) ++n;
  }
  return n;
}

/// Upstream filterTopologySpreadConstraints: the constraints of one action, parsed.
api::Result<Constraints> parse_constraints(const std::vector<api::TopologySpreadConstraint>& in,
                                           const api::Labels& pod_labels,
                                           std::string_view action) {
  Constraints out;
  for (auto& c : in) {
    if (c.when_unsatisfiable != action) continue;
    Constraint pc;
    pc.max_skew = c.max_skew;
    pc.topology_key = c.topology_key;
    if (c.label_selector) {
      auto sel = api::labels::Selector::from_label_selector(*c.label_selector);
      if (!sel) return std::unexpected(sel.error());
      pc.selector = std::move(*sel);
    } else {
      pc.selector = api::labels::Selector::nothing();
    }
    // matchLabelKeys: the pod's values of those keys ANDed into the selector (upstream
    // mergeLabelSetWithSelector; keys the pod lacks are ignored).
    api::Labels match;
    for (auto& k : c.match_label_keys)
      if (auto v = pod_labels.find(k); v != pod_labels.end()) match[k] = v->second;
    if (!match.empty()) {
      auto merged = api::labels::Selector::from_set(match);
      for (auto& r : pc.selector.requirements()) merged = merged.add(r);
      pc.selector = std::move(merged);
    }
    if (c.min_domains) pc.min_domains = *c.min_domains;
    if (c.node_affinity_policy) pc.honor_node_affinity = *c.node_affinity_policy == "Honor";
    if (c.node_taints_policy) pc.honor_node_taints = *c.node_taints_policy == "Honor";
    out.push_back(std::move(pc));
  }
  return out;
}

/// What PreFilter computed: per DoNotSchedule constraint, matching pods per domain (a
/// tally of the plugin's, valid for this cycle) and the smallest domain count.
struct FilterState {
  Constraints constraints;
  std::vector<const TopologyTally*> counts;
  std::vector<int64_t> min_counts;    // upstream criticalPaths[0]
  std::vector<size_t> domain_counts;
  std::vector<int64_t> self_match;    // 1 if the pod matches the constraint's selector
  /// Per constraint, what a what-if run (preemption, nominated pods) changed of the counts.
  std::vector<TallyOverlay> overlays;

  int64_t count(size_t i, const std::string& value) const {
    return total(counts[i], overlays[i], constraints[i].topology_key, value);
  }

  /// Upstream updateWithPod: `delta` pods matching constraint i in `value`'s domain, and the
  /// smallest domain count kept exact (a domain at the minimum may have grown).
  void change(size_t i, const std::string& value, int64_t delta) {
    const auto before = count(i, value);
    overlays[i].add(constraints[i].topology_key, value, delta);
    const auto after = before + delta;
    if (after < min_counts[i]) {
      min_counts[i] = after;
    } else if (before == min_counts[i] && after > before) {
      int64_t min = std::numeric_limits<int32_t>::max();
      if (const auto* ds = counts[i]->domains(constraints[i].topology_key))
        for (auto& [v, d] : *ds) min = std::min(min, d.sum + overlays[i].delta(constraints[i].topology_key, v));
      min_counts[i] = min;
    }
  }
  /// The global minimum for the skew: 0 while fewer domains than minDomains exist.
  int64_t global_min(size_t i) const {
    if (domain_counts[i] < static_cast<size_t>(constraints[i].min_domains)) return 0;
    return min_counts[i];
  }
};

/// What PreScore computed (upstream preScoreState).
struct ScoreState {
  Constraints constraints;
  /// Feasible nodes that lack one of the keys: scored 0.
  std::unordered_set<const NodeInfo*> ignored;
  /// Per constraint, matching pods per domain (hostname: per node).
  std::vector<const TopologyTally*> counts;
  std::vector<double> weights;
};

/// Raw scores are >= 0; an ignored node gets this, and 0 after normalization.
constexpr int64_t kInvalidScore = -1;

/// The part of a tally key every constraint of a pod shares: its namespace and the keys
/// a node must have.
std::string key_prefix(const char* phase, const api::Pod& pod, const Constraints& cs) {
  std::string key = phase;
  key += pod.metadata.namespace_;
  key += '\x1e';
  for (auto& c : cs) {
    key += c.topology_key;
    key += '\x1f';
  }
  key += '\x1e';
  return key;
}

/// What counting a constraint depends on besides the prefix.
void append_constraint_key(std::string& key, const Constraint& c, const api::Pod& pod) {
  key += c.topology_key;
  key += '\x1e';
  append_key(key, c.selector);
  key += c.honor_node_affinity ? 'A' : '-';
  if (c.honor_node_affinity) append_node_affinity_key(key, pod);
  key += c.honor_node_taints ? 'T' : '-';
  if (c.honor_node_taints) append_tolerations_key(key, pod);
}

class PodTopologySpread final : public PreFilterPlugin,
                                public FilterPlugin,
                                public PreScorePlugin,
                                public ScorePlugin {
 public:
  explicit PodTopologySpread(PodTopologySpreadArgs args)
      : system_defaulted_(args.defaulting_type == "System"),
        defaults_(system_defaulted_ ? system_default_constraints()
                                    : std::move(args.default_constraints)) {}

  std::string_view name() const override { return kPodTopologySpreadName; }

  std::vector<ClusterEventWithHint> events_to_register() const override {
    // Upstream: pods added, deleted or relabelled change the counts; nodes added or
    // relabelled (and, for nodeTaintsPolicy Honor, retainted) change the domains.
    return {
        {{EventResource::assigned_pod, action::add | action::remove | action::update_pod_label},
         nullptr},
        {{EventResource::node, action::add | action::remove | action::update_node_label |
                                   action::update_node_taint},
         nullptr},
    };
  }

  const PreFilterExtensions* pre_filter_extensions() const override { return &extensions_; }

  PluginResult pre_filter(CycleState& state, const api::Pod& pod) override {
    auto cs = constraints_for(pod, "DoNotSchedule", state.snapshot);
    if (!cs) return error(cs.error());
    // No DoNotSchedule constraint: nothing to filter (upstream Skip).
    if (cs->empty() || !state.snapshot) return PluginResult::skip();
    FilterState fs;
    fs.constraints = std::move(*cs);
    const auto& ns = pod.metadata.namespace_;
    const auto prefix = key_prefix("F", pod, fs.constraints);
    for (size_t i = 0; i < fs.constraints.size(); ++i) {
      const auto& c = fs.constraints[i];
      auto key = prefix;
      append_constraint_key(key, c, pod);
      // Nodes with every key that the policies include open a domain, with their matching pods.
      const auto& tally = tallies_.get(key, *state.snapshot, [&](const NodeInfo& info) -> NodeCounts {
        if (!info.node || !has_all_keys(info, fs.constraints) || !node_included(c, pod, *info.node))
          return {};
        return {{c.topology_key, *info.label(c.topology_key),
                 count_matching(info, c.selector, ns)}};
      });
      fs.counts.push_back(&tally);
      int64_t min = std::numeric_limits<int32_t>::max();
      size_t domains = 0;
      if (const auto* ds = tally.domains(c.topology_key)) {
        domains = ds->size();
        for (auto& [value, d] : *ds) min = std::min(min, d.sum);
      }
      fs.min_counts.push_back(min);
      fs.domain_counts.push_back(domains);
      fs.self_match.push_back(c.selector.matches(pod.metadata.labels) ? 1 : 0);
    }
    fs.overlays.resize(fs.constraints.size());
    state.write(kFilterStateKey, std::move(fs));
    return PluginResult::success();
  }

  PluginResult filter(const CycleState& state, const api::Pod& pod,
                      const NodeInfo& node) const override {
    const auto* fs = state.read<FilterState>(kFilterStateKey);
    if (!fs || fs->constraints.empty() || !node.node) return PluginResult::success();
    for (size_t i = 0; i < fs->constraints.size(); ++i) {
      const auto& c = fs->constraints[i];
      // A node counted for the constraint has its key: its domain's sum without a label
      // lookup. Others (left out by a policy, or without the key, or a what-if run's copy)
      // look their label up.
      auto matching = fs->overlays[i].empty() ? fs->counts[i]->total_at(node) : std::nullopt;
      if (!matching) {
        const auto* value = node.label(c.topology_key);
        if (!value) return PluginResult::unresolvable(kSpreadNodeLabelNotMatchList);
        matching = fs->count(i, *value);
      }
      // existing matching pods + this pod if it matches itself - global minimum <= maxSkew
      if (*matching + fs->self_match[i] - fs->global_min(i) > c.max_skew)
        return PluginResult::unschedulable(kSpreadConstraintsNotMatchList);
    }
    return PluginResult::success();
  }

  PluginResult pre_score(CycleState& state, const api::Pod& pod,
                         const std::vector<const NodeInfo*>& feasible) override {
    auto cs = constraints_for(pod, "ScheduleAnyway", state.snapshot);
    if (!cs) return error(cs.error());
    if (cs->empty() || !state.snapshot || state.snapshot->empty()) return PluginResult::skip();
    ScoreState ss;
    ss.constraints = std::move(*cs);
    const size_t n = ss.constraints.size();
    const auto& ns = pod.metadata.namespace_;
    // Only pods with their own constraints need every key on a node: under the system
    // defaults a node without a zone label still spreads by hostname.
    const bool require_all = !pod.spec.topology_spread_constraints.empty() || !system_defaulted_;
    for (auto* info : feasible)
      if (require_all && !has_all_keys(*info, ss.constraints)) ss.ignored.insert(info);
    const auto prefix = key_prefix(require_all ? "S" : "s", pod, ss.constraints);
    for (size_t i = 0; i < n; ++i) {
      const auto& c = ss.constraints[i];
      size_t size = 0;
      if (c.topology_key == kHostnameKey) {
        // Counted per node in Score, as upstream: every node, no policy applied.
        std::string key = "H";
        key += ns;
        key += '\x1e';
        append_key(key, c.selector);
        // A node without the label counts nothing (an empty entry), so Score needs no
        // label lookup for the nodes counted here.
        ss.counts.push_back(&tallies_.get(key, *state.snapshot, [&](const NodeInfo& info) -> NodeCounts {
          if (!info.node || !info.label(c.topology_key)) return {};
          return {{c.topology_key, "", count_matching(info, c.selector, ns)}};
        }));
        size = feasible.size() - ss.ignored.size();
      } else {
        auto key = prefix;
        append_constraint_key(key, c, pod);
        ss.counts.push_back(&tallies_.get(key, *state.snapshot, [&](const NodeInfo& info) -> NodeCounts {
          if (!info.node || (require_all && !has_all_keys(info, ss.constraints)) ||
              !node_included(c, pod, *info.node))
            return {};
          const auto* value = info.label(c.topology_key);
          return {{c.topology_key, value ? *value : std::string(),
                   count_matching(info, c.selector, ns)}};
        }));
        // The domains of the feasible nodes (a missing label is the domain "").
        std::unordered_set<std::string_view> domains;
        for (auto* info : feasible) {
          if (ss.ignored.contains(info)) continue;
          const auto* value = info->label(c.topology_key);
          domains.insert(value ? std::string_view(*value) : std::string_view());
        }
        size = domains.size();
      }
      // log(size + 2): a pod count in a small topology weighs as much as in a large one.
      ss.weights.push_back(std::log(static_cast<double>(size + 2)));
    }
    state.write(kScoreStateKey, std::move(ss));
    return PluginResult::success();
  }

  int64_t score(const CycleState& state, const api::Pod& pod, const NodeInfo& node) const override {
    const auto* ss = state.read<ScoreState>(kScoreStateKey);
    if (!ss || !node.node) return 0;
    if (!ss->ignored.empty() && ss->ignored.contains(&node)) return kInvalidScore;
    double score = 0;
    for (size_t i = 0; i < ss->constraints.size(); ++i) {
      const auto& c = ss->constraints[i];
      int64_t count = 0;
      if (c.topology_key == kHostnameKey) {
        if (const auto* mine = ss->counts[i]->of(node)) {
          if (mine->empty()) continue;  // no hostname label
          count = mine->front().count;
        } else {
          // Not counted in the tally (a copy made for a what-if run): count here.
          if (!node.label(c.topology_key)) continue;
          count = count_matching(node, c.selector, pod.metadata.namespace_);
        }
      } else {
        const auto* value = node.label(c.topology_key);
        if (!value) continue;
        count = ss->counts[i]->total(c.topology_key, *value);
      }
      // maxSkew - 1 waters the differences down: a larger skew tolerates more.
      score += static_cast<double>(count) * ss->weights[i] + static_cast<double>(c.max_skew - 1);
    }
    return std::llround(score);
  }

  void normalize(const CycleState& state, const api::Pod&,
                 std::vector<int64_t>& scores) const override {
    if (!state.read<ScoreState>(kScoreStateKey)) return;
    // Fewer matching pods is better: min/max are over the nodes not ignored.
    int64_t lo = std::numeric_limits<int64_t>::max();
    int64_t hi = 0;
    for (auto s : scores) {
      if (s == kInvalidScore) continue;
      lo = std::min(lo, s);
      hi = std::max(hi, s);
    }
    for (auto& s : scores) {
      if (s == kInvalidScore)
        s = 0;
      else if (hi == 0)
        s = kMaxNodeScore;
      else
        s = kMaxNodeScore * (hi + lo - s) / hi;
    }
  }

 private:
  static PluginResult error(const api::Status& st) {
    return {PluginResult::Code::error, {st.message}};
  }

  /// `p` added to (+1) or removed from (-1) `node` in a what-if run: the domain counts of
  /// the constraints it matches change, counted as PreFilter counts (same namespace, not
  /// terminating, a node with every key that the policies include).
  static PluginResult update(CycleState& state, const api::Pod& incoming, const PodInfo& p,
                             const NodeInfo& node, int64_t sign) {
    auto* fs = state.read_mutable<FilterState>(kFilterStateKey);
    if (!fs || !node.node) return PluginResult::success();
    const auto& m = p.pod->metadata;
    if (m.namespace_ != incoming.metadata.namespace_ || m.deletion_timestamp ||
        !has_all_keys(node, fs->constraints))
      return PluginResult::success();
    for (size_t i = 0; i < fs->constraints.size(); ++i) {
      const auto& c = fs->constraints[i];
      if (!c.selector.matches(m.labels) || !node_included(c, incoming, *node.node)) continue;
      fs->change(i, *node.label(c.topology_key), sign);
    }
    return PluginResult::success();
  }

  TallyExtensions extensions_{&update};

  /// The pod's own constraints of `action`, or (when it has none) the defaults with the
  /// selector of its Services and controllers (upstream getConstraints /
  /// buildDefaultConstraints).
  api::Result<Constraints> constraints_for(const api::Pod& pod, std::string_view action,
                                           const Snapshot* snapshot) const {
    if (!pod.spec.topology_spread_constraints.empty())
      return parse_constraints(pod.spec.topology_spread_constraints, pod.metadata.labels, action);
    auto cs = parse_constraints(defaults_, pod.metadata.labels, action);
    if (!cs || cs->empty()) return cs;
    if (!snapshot || !snapshot->workloads) return Constraints{};
    auto selector = default_selector(pod, *snapshot->workloads);
    if (selector.empty()) return Constraints{};
    for (auto& c : *cs) c.selector = selector;
    return cs;
  }

  bool system_defaulted_;
  std::vector<api::TopologySpreadConstraint> defaults_;
  /// Counts kept across cycles (a pod's filter and score use at most a few each).
  TallyCache tallies_{16};
};

}  // namespace

const std::vector<api::TopologySpreadConstraint>& system_default_constraints() {
  static const std::vector<api::TopologySpreadConstraint> defaults = [] {
    api::TopologySpreadConstraint host;
    host.topology_key = std::string(kHostnameKey);
    host.when_unsatisfiable = "ScheduleAnyway";
    host.max_skew = 3;
    api::TopologySpreadConstraint zone;
    zone.topology_key = std::string(kZoneKey);
    zone.when_unsatisfiable = "ScheduleAnyway";
    zone.max_skew = 5;
    return std::vector{host, zone};
  }();
  return defaults;
}

std::shared_ptr<Plugin> make_pod_topology_spread(PodTopologySpreadArgs args) {
  return std::make_shared<PodTopologySpread>(std::move(args));
}

}  // namespace kactor::scheduler::plugins
