// The scheduling framework: Kubernetes' extension points as interfaces, and the
// Framework that runs a list of plugins at each of them. No actors here, so the
// algorithm can be unit-tested and benchmarked on its own.
#pragma once

#include <any>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/apiserver/protocol/protocol.hpp"
#include "actors/scheduler/node_info.hpp"

namespace kactor::scheduler {

class Framework;
class Nominator;

/// Why a plugin rejected a node, in upstream's wording, one per failing condition
/// ("Insufficient cpu"). Shared and immutable: a plugin that rejects thousands of nodes
/// for the same reason hands out one list (a reference count) instead of building
/// strings per node; `static const Reasons kX{...}` in the plugin.
class Reasons {
 public:
  Reasons() = default;
  Reasons(std::vector<std::string> list)  // NOLINT: implicit, as the vector it stands for
      : list_(list.empty() ? nullptr
                           : std::make_shared<const std::vector<std::string>>(std::move(list))) {}
  Reasons(std::initializer_list<std::string> list) : Reasons(std::vector<std::string>(list)) {}

  const std::vector<std::string>& list() const { return list_ ? *list_ : empty_list(); }
  auto begin() const { return list().begin(); }
  auto end() const { return list().end(); }
  size_t size() const { return list().size(); }
  bool empty() const { return !list_; }
  const std::string& operator[](size_t i) const { return list()[i]; }
  const std::string& front() const { return list().front(); }
  bool operator==(const Reasons& o) const { return list() == o.list(); }
  bool operator==(const std::vector<std::string>& o) const { return list() == o; }

 private:
  static const std::vector<std::string>& empty_list() {
    static const std::vector<std::string> empty;
    return empty;
  }
  std::shared_ptr<const std::vector<std::string>> list_;
};

/// The outcome of one plugin call (upstream framework.Status).
struct PluginResult {
  enum class Code : uint8_t {
    success,
    unschedulable,               ///< may fit after the cluster changes (or preemption)
    unschedulable_unresolvable,  ///< preemption cannot help
    error,
    /// From PreFilter or PreScore: nothing for this plugin to do for this pod, so its
    /// Filter (or Score) is not run this cycle (upstream framework.Skip).
    skip,
  };
  Code code = Code::success;
  Reasons reasons;
  /// The plugin that failed (set by the Framework): the queue moves the pod back only
  /// for events that plugin registered.
  std::string_view plugin;

  bool ok() const { return code == Code::success; }
  static PluginResult success() { return {}; }
  static PluginResult skip() { return {Code::skip, {}}; }
  static PluginResult unschedulable(Reasons reasons) {
    return {Code::unschedulable, std::move(reasons)};
  }
  static PluginResult unresolvable(Reasons reasons) {
    return {Code::unschedulable_unresolvable, std::move(reasons)};
  }
};

/// The name of something a plugin keeps in CycleState, interned once: reading it per node
/// is an index into a vector, not a string lookup.
class StateKey {
 public:
  explicit StateKey(std::string_view name);
  size_t id() const { return id_; }

 private:
  size_t id_;
};

/// Data plugins compute once per pod (in PreFilter/PreScore) and read per node.
class CycleState {
 public:
  /// The pod's resources, filled by the framework before PreFilter.
  PodResources pod;
  /// The cluster as this cycle sees it (upstream Handle.SnapshotSharedLister()): every
  /// node with its pods, namespaces. Set by the Algorithm before PreFilter.
  const Snapshot* snapshot = nullptr;
  /// The profile running this cycle (upstream framework.Handle: PostFilter runs the
  /// filters again on nodes with victims removed). Set by the Algorithm.
  const Framework* framework = nullptr;
  /// Pods nominated to nodes by earlier preemptions (upstream PodNominator); may be null.
  const Nominator* nominator = nullptr;
  /// Plugins whose PreFilter (PreScore) answered skip, by their slot in the Framework:
  /// their Filter (Score) does not run this cycle (upstream SkipFilterPlugins).
  uint64_t skip_filter = 0;
  uint64_t skip_score = 0;

  template <class T>
  void write(const StateKey& key, T value) {
    if (key.id() >= data_.size()) data_.resize(key.id() + 1);
    data_[key.id()] = std::move(value);
  }
  /// The value stored under `key`, or nullptr if absent or of another type.
  template <class T>
  const T* read(const StateKey& key) const {
    return key.id() < data_.size() ? std::any_cast<T>(&data_[key.id()]) : nullptr;
  }
  /// The same, to change in place (PreFilterExtensions, on a what-if copy of the state).
  template <class T>
  T* read_mutable(const StateKey& key) {
    return key.id() < data_.size() ? std::any_cast<T>(&data_[key.id()]) : nullptr;
  }

 private:
  std::vector<std::any> data_;  // by StateKey::id
};

/// Highest score a plugin may give a node after normalization.
inline constexpr int64_t kMaxNodeScore = 100;

// -- Cluster events (upstream EnqueueExtensions) ------------------------------------

/// What kind of object an event is about.
enum class EventResource : uint8_t {
  assigned_pod,    ///< a pod bound to a node (added, changed, deleted)
  unscheduled_pod, ///< another pending pod
  node,
  namespace_,
  pdb,
  wildcard,        ///< any resource
};

/// What happened, as a bit set (upstream ActionType).
namespace action {
inline constexpr uint32_t add = 1u << 0;
inline constexpr uint32_t remove = 1u << 1;
inline constexpr uint32_t update_node_allocatable = 1u << 2;
inline constexpr uint32_t update_node_label = 1u << 3;
inline constexpr uint32_t update_node_taint = 1u << 4;
inline constexpr uint32_t update_node_condition = 1u << 5;
inline constexpr uint32_t update_pod_label = 1u << 6;
inline constexpr uint32_t update_pod_scale_down = 1u << 7;  ///< a pod's requests went down
inline constexpr uint32_t update_other = 1u << 8;           ///< any other change
inline constexpr uint32_t update = update_node_allocatable | update_node_label | update_node_taint |
                                   update_node_condition | update_pod_label |
                                   update_pod_scale_down | update_other;
inline constexpr uint32_t all = add | remove | update;
}  // namespace action

struct ClusterEvent {
  EventResource resource = EventResource::wildcard;
  uint32_t actions = action::all;
};

enum class QueueingHint : uint8_t { skip, queue };

/// For one pod a plugin rejected: may this event make it schedulable? `old_obj` is
/// null for an add, `new_obj` null for a delete.
using QueueingHintFn = std::function<QueueingHint(const api::Pod& pending, const api::Object* old_obj,
                                                  const api::Object* new_obj)>;

struct ClusterEventWithHint {
  ClusterEvent event;
  QueueingHintFn hint;  ///< null: always queue
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual std::string_view name() const = 0;
  /// The events that can make a pod this plugin rejected schedulable. The default,
  /// any event, is always correct but moves pods back needlessly.
  virtual std::vector<ClusterEventWithHint> events_to_register() const {
    return {{ClusterEvent{}, nullptr}};
  }
};

/// Keeps what a PreFilter plugin computed from the snapshot right when a pod is added
/// to or removed from a node for a what-if run (upstream PreFilterExtensions):
/// preemption removes victims, the nominated pods are added.
class PreFilterExtensions {
 public:
  virtual ~PreFilterExtensions() = default;
  virtual PluginResult add_pod(CycleState& state, const api::Pod& to_schedule,
                               const PodInfo& added, const NodeInfo& node) const = 0;
  virtual PluginResult remove_pod(CycleState& state, const api::Pod& to_schedule,
                                  const PodInfo& removed, const NodeInfo& node) const = 0;
};

class PreFilterPlugin : public virtual Plugin {
 public:
  virtual PluginResult pre_filter(CycleState& state, const api::Pod& pod) = 0;
  /// Null: the plugin's state does not depend on other pods.
  virtual const PreFilterExtensions* pre_filter_extensions() const { return nullptr; }
};

class FilterPlugin : public virtual Plugin {
 public:
  virtual PluginResult filter(const CycleState& state, const api::Pod& pod,
                              const NodeInfo& node) const = 0;
};

/// Per node, the filter result that rejected it (what PostFilter plugins look at).
using NodeFailures = std::map<std::string, PluginResult>;

/// What a PostFilter plugin (preemption) decided: the node the pod is nominated to
/// and the pods that must go so it fits there. The actor carries it out. An empty
/// `nominated_node` (no victims) says preemption found no way and the pod's own
/// nomination, if any, is cleared (upstream's PostFilterResult with "" in ModeOverride).
struct PostFilterResult {
  std::string nominated_node;
  std::vector<std::shared_ptr<const api::Pod>> victims;
  /// Lower-priority pods nominated to that node whose nomination is cleared.
  std::vector<std::shared_ptr<const api::Pod>> clear_nominations;
};

/// Runs when no node fits (upstream: preemption). Returns a result when it found a
/// way to make the pod fit; `message` receives why not otherwise (upstream appends it
/// to the FitError, "preemption: 0/3 nodes are available: ...").
class PostFilterPlugin : public virtual Plugin {
 public:
  virtual std::optional<PostFilterResult> post_filter(CycleState& state, const api::Pod& pod,
                                                      const NodeFailures& failures,
                                                      std::string& message) = 0;
};

class PreScorePlugin : public virtual Plugin {
 public:
  virtual PluginResult pre_score(CycleState& state, const api::Pod& pod,
                                 const std::vector<const NodeInfo*>& feasible) = 0;
};

class ScorePlugin : public virtual Plugin {
 public:
  /// The raw score of one feasible node.
  virtual int64_t score(const CycleState& state, const api::Pod& pod,
                        const NodeInfo& node) const = 0;
  /// Brings raw scores into [0, kMaxNodeScore] (default: they already are).
  virtual void normalize(const CycleState&, const api::Pod&, std::vector<int64_t>&) const {}
};

class ReservePlugin : public virtual Plugin {
 public:
  virtual PluginResult reserve(CycleState& state, const api::Pod& pod, const std::string& node) = 0;
  virtual void unreserve(CycleState& state, const api::Pod& pod, const std::string& node) = 0;
};

/// Approves or rejects a binding (waiting is not supported).
class PermitPlugin : public virtual Plugin {
 public:
  virtual PluginResult permit(CycleState& state, const api::Pod& pod, const std::string& node) = 0;
};

/// Produces the API request that binds the pod (the actor sends it asynchronously);
/// nullopt passes to the next bind plugin.
class BindPlugin : public virtual Plugin {
 public:
  virtual std::optional<apiserver::Request> bind(const CycleState& state, const api::Pod& pod,
                                                 const std::string& node) const = 0;
};

/// A plugin's typed arguments (the struct its pluginConfig args parse into, e.g.
/// NodeResourcesFitArgs); empty means the plugin's defaults.
using PluginArgs = std::any;

/// The extension points, as bits: where a profile enables a plugin.
namespace extension_point {
inline constexpr uint32_t pre_filter = 1u << 0;
inline constexpr uint32_t filter = 1u << 1;
inline constexpr uint32_t post_filter = 1u << 2;
inline constexpr uint32_t pre_score = 1u << 3;
inline constexpr uint32_t score = 1u << 4;
inline constexpr uint32_t reserve = 1u << 5;
inline constexpr uint32_t permit = 1u << 6;
inline constexpr uint32_t bind = 1u << 7;
inline constexpr uint32_t all = (1u << 8) - 1;
}  // namespace extension_point

/// One plugin of a profile: its factory, its args, its score weight and the extension
/// points it runs at (those it implements, of `points`).
struct PluginEntry {
  std::string name;
  std::function<std::shared_ptr<Plugin>(const PluginArgs&)> make;
  int64_t weight = 0;  // for Score plugins
  PluginArgs args;
  uint32_t points = extension_point::all;
};

/// Upstream DefaultNormalizeScore: scales so the highest becomes kMaxNodeScore
/// (all zero stays zero); `reverse` turns s into kMaxNodeScore - s.
void default_normalize(std::vector<int64_t>& scores, bool reverse);

/// The plugins of one profile, sorted by extension point (in registration order).
class Framework {
 public:
  explicit Framework(const std::vector<PluginEntry>& entries);

  /// Plugins answering skip are recorded in state.skip_filter.
  PluginResult run_pre_filter(CycleState& state, const api::Pod& pod) const;
  /// Skips the plugins in state.skip_filter. Stops at the first failing plugin, as upstream does when not collecting all reasons.
  PluginResult run_filter(const CycleState& state, const api::Pod& pod, const NodeInfo& node) const;
  /// Upstream RunFilterPluginsWithNominatedPods: the pods nominated to the node with
  /// priority >= the pod's count as if there (state.nominator); if the pod passes, it must
  /// also pass without them (affinity may need them absent). Plain run_filter otherwise.
  PluginResult run_filter_with_nominated_pods(const CycleState& state, const api::Pod& pod,
                                              const NodeInfo& node) const;
  /// Tells every PreFilterExtensions that `p` was added to / removed from `node`.
  PluginResult run_pre_filter_add_pod(CycleState& state, const api::Pod& pod, const PodInfo& p,
                                      const NodeInfo& node) const;
  PluginResult run_pre_filter_remove_pod(CycleState& state, const api::Pod& pod, const PodInfo& p,
                                         const NodeInfo& node) const;
  std::optional<PostFilterResult> run_post_filter(CycleState& state, const api::Pod& pod,
                                                  const NodeFailures& failures,
                                                  std::string& message) const;
  /// Every plugin of the profile, in registration order.
  const std::vector<std::shared_ptr<Plugin>>& plugins() const { return all_; }
  /// Plugins answering skip are recorded in state.skip_score.
  PluginResult run_pre_score(CycleState& state, const api::Pod& pod,
                             const std::vector<const NodeInfo*>& feasible) const;
  /// Weighted, normalized totals, one per feasible node (same order); the plugins in
  /// state.skip_score are left out (a plugin giving every node the same score does not
  /// change the choice).
  std::vector<int64_t> run_score(const CycleState& state, const api::Pod& pod,
                                 const std::vector<const NodeInfo*>& feasible) const;
  PluginResult run_reserve(CycleState& state, const api::Pod& pod, const std::string& node) const;
  void run_unreserve(CycleState& state, const api::Pod& pod, const std::string& node) const;
  PluginResult run_permit(CycleState& state, const api::Pod& pod, const std::string& node) const;
  std::optional<apiserver::Request> run_bind(const CycleState& state, const api::Pod& pod,
                                             const std::string& node) const;


 private:
  /// A plugin at one extension point with its bit in CycleState's skip sets (its
  /// position among the profile's plugins).
  template <class P>
  struct Slot {
    P* plugin;
    uint64_t bit;
  };
  std::vector<std::shared_ptr<Plugin>> all_;
  std::vector<Slot<PreFilterPlugin>> pre_filter_;
  std::vector<Slot<FilterPlugin>> filter_;
  std::vector<PostFilterPlugin*> post_filter_;
  std::vector<Slot<PreScorePlugin>> pre_score_;
  struct ScoreSlot {
    ScorePlugin* plugin;
    uint64_t bit;
    int64_t weight;
  };
  std::vector<ScoreSlot> score_;
  std::vector<ReservePlugin*> reserve_;
  std::vector<PermitPlugin*> permit_;
  std::vector<BindPlugin*> bind_;
};

}  // namespace kactor::scheduler
