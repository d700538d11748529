// The scheduling framework: Kubernetes' extension points as interfaces, and the
// Framework that runs a list of plugins at each of them. No actors here, so the
// algorithm can be unit-tested and benchmarked on its own.
#pragma once

#include <any>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/apiserver/protocol/protocol.hpp"
#include "actors/scheduler/node_info.hpp"

namespace kactor::scheduler {

/// The outcome of one plugin call (upstream framework.Status).
struct PluginResult {
  enum class Code : uint8_t {
    success,
    unschedulable,               ///< may fit after the cluster changes (or preemption)
    unschedulable_unresolvable,  ///< preemption cannot help
    error,
  };
  Code code = Code::success;
  /// Upstream wording, one per failing condition ("Insufficient cpu").
  std::vector<std::string> reasons;

  bool ok() const { return code == Code::success; }
  static PluginResult success() { return {}; }
  static PluginResult unschedulable(std::vector<std::string> reasons) {
    return {Code::unschedulable, std::move(reasons)};
  }
  static PluginResult unresolvable(std::vector<std::string> reasons) {
    return {Code::unschedulable_unresolvable, std::move(reasons)};
  }
};

/// Data plugins compute once per pod (in PreFilter/PreScore) and read per node.
class CycleState {
 public:
  /// The pod's resources, filled by the framework before PreFilter.
  PodResources pod;

  template <class T>
  void write(const std::string& key, T value) {
    data_[key] = std::move(value);
  }
  /// The value stored under `key`, or nullptr if absent or of another type.
  template <class T>
  const T* read(const std::string& key) const {
    auto it = data_.find(key);
    return it == data_.end() ? nullptr : std::any_cast<T>(&it->second);
  }

 private:
  std::map<std::string, std::any> data_;
};

/// Highest score a plugin may give a node after normalization.
inline constexpr int64_t kMaxNodeScore = 100;

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual std::string_view name() const = 0;
};

class PreFilterPlugin : public virtual Plugin {
 public:
  virtual PluginResult pre_filter(CycleState& state, const api::Pod& pod) = 0;
};

class FilterPlugin : public virtual Plugin {
 public:
  virtual PluginResult filter(const CycleState& state, const api::Pod& pod,
                              const NodeInfo& node) const = 0;
};

/// Per node, the filter result that rejected it (what PostFilter plugins look at).
using NodeFailures = std::map<std::string, PluginResult>;

/// Runs when no node fits (upstream: preemption). May return a nominated node name.
class PostFilterPlugin : public virtual Plugin {
 public:
  virtual std::optional<std::string> post_filter(CycleState& state, const api::Pod& pod,
                                                 const NodeFailures& failures) = 0;
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

/// One plugin of a profile: how to make it and its score weight.
struct PluginEntry {
  std::string name;
  std::function<std::shared_ptr<Plugin>()> make;
  int64_t weight = 0;  // for Score plugins
};

/// Upstream DefaultNormalizeScore: scales so the highest becomes kMaxNodeScore
/// (all zero stays zero); `reverse` turns s into kMaxNodeScore - s.
void default_normalize(std::vector<int64_t>& scores, bool reverse);

/// The plugins of one profile, sorted by extension point (in registration order).
class Framework {
 public:
  explicit Framework(const std::vector<PluginEntry>& entries);

  PluginResult run_pre_filter(CycleState& state, const api::Pod& pod) const;
  /// Stops at the first failing plugin, as upstream does when not collecting all reasons.
  PluginResult run_filter(const CycleState& state, const api::Pod& pod, const NodeInfo& node) const;
  std::optional<std::string> run_post_filter(CycleState& state, const api::Pod& pod,
                                             const NodeFailures& failures) const;
  PluginResult run_pre_score(CycleState& state, const api::Pod& pod,
                             const std::vector<const NodeInfo*>& feasible) const;
  /// Weighted, normalized totals, one per feasible node (same order).
  std::vector<int64_t> run_score(const CycleState& state, const api::Pod& pod,
                                 const std::vector<const NodeInfo*>& feasible) const;
  PluginResult run_reserve(CycleState& state, const api::Pod& pod, const std::string& node) const;
  void run_unreserve(CycleState& state, const api::Pod& pod, const std::string& node) const;
  PluginResult run_permit(CycleState& state, const api::Pod& pod, const std::string& node) const;
  std::optional<apiserver::Request> run_bind(const CycleState& state, const api::Pod& pod,
                                             const std::string& node) const;


 private:
  std::vector<std::shared_ptr<Plugin>> all_;
  std::vector<PreFilterPlugin*> pre_filter_;
  std::vector<FilterPlugin*> filter_;
  std::vector<PostFilterPlugin*> post_filter_;
  std::vector<PreScorePlugin*> pre_score_;
  std::vector<std::pair<ScorePlugin*, int64_t>> score_;
  std::vector<ReservePlugin*> reserve_;
  std::vector<PermitPlugin*> permit_;
  std::vector<BindPlugin*> bind_;
};

}  // namespace kactor::scheduler
