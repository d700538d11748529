// Counts per topology domain that survive from one scheduling cycle to the next. Spread and
// affinity count, for every pod, something over every node's pods (matching pods per zone,
// pods whose anti-affinity covers a domain, ...). Consecutive pods usually ask the same
// question (replicas of one controller), and between two cycles only a few nodes change —
// the cache replaces a node's NodeInfo on any change — so a tally keeps each node's answer
// with the NodeInfo it came from and recomputes only the nodes whose NodeInfo is new.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/scheduler/framework.hpp"
#include "actors/scheduler/node_info.hpp"

namespace kactor::scheduler::plugins {

/// What one node adds to one domain: `count` to (topology key, value).
struct DomainCount {
  std::string key;
  std::string value;
  int64_t count = 0;
};
/// A node's part; empty: the node opens no domain at all.
using NodeCounts = std::vector<DomainCount>;

class TopologyTally {
 public:
  /// Brings the tally up to `snapshot`: `count(const NodeInfo&) -> NodeCounts` is called for
  /// every node whose NodeInfo is not the one last counted (for all of them the first time).
  /// When the snapshot can tell which slots changed since the last refresh (its
  /// SlotChanges), only those are compared; otherwise every slot is.
  template <class CountFn>
  void refresh(const Snapshot& snapshot, CountFn&& count) {
    auto recount = [&](size_t i) {
      const auto& info = snapshot[i];
      if (nodes_[i].info != info) replace(i, info, count(*info));
    };
    const auto& changes = snapshot.changes;
    if (nodes_.size() == snapshot.size() &&
        changes.for_each_since(epoch_, generation_, [&](uint32_t slot) {
          if (slot < nodes_.size()) recount(slot);
        })) {
      generation_ = changes.generation;
      return;
    }
    if (nodes_.size() != snapshot.size()) resize(snapshot.size());
    for (size_t i = 0; i < snapshot.size(); ++i) recount(i);
    epoch_ = changes.epoch;
    generation_ = changes.generation;
  }

  /// The sum over the nodes of a domain (0 when no node opened it).
  int64_t total(const std::string& key, const std::string& value) const;
  /// Whether some node opened (key, value), even with a count of 0.
  bool has_domain(const std::string& key, const std::string& value) const;
  /// The domains of `key` and their sums.
  struct Domain {
    int64_t sum = 0;
    int64_t nodes = 0;  // nodes that opened it
  };
  const std::unordered_map<std::string, Domain>* domains(const std::string& key) const;
  /// The topology keys with at least one domain.
  const std::unordered_map<std::string, std::unordered_map<std::string, Domain>>& all() const {
    return domains_;
  }
  /// Whether any domain's sum is positive.
  bool any_positive() const { return positive_ > 0; }
  /// What `info` added, if it is one of the counted NodeInfos.
  const NodeCounts* of(const NodeInfo& info) const;
  /// The sum of the first domain `info` opened, or nullopt when it is not counted or
  /// opened none: the per-node fast path of Filter (a pointer lookup, no label lookup).
  std::optional<int64_t> total_at(const NodeInfo& info) const;

 private:
  struct Entry {
    std::shared_ptr<const NodeInfo> info;  // held: the address cannot be reused meanwhile
    NodeCounts counts;
    /// The domain of counts[0] (elements of an unordered_map stay put; a domain lives
    /// as long as a node that opened it).
    const Domain* first = nullptr;
  };
  void resize(size_t n);
  void replace(size_t i, const std::shared_ptr<const NodeInfo>& info, NodeCounts counts);
  void apply(const NodeCounts& counts, int sign);
  /// The entry counted for `info` (found by its snapshot slot), or nullptr: a NodeInfo
  /// of another snapshot, or a copy made for a what-if run.
  const Entry* entry_of(const NodeInfo& info) const;

  std::vector<Entry> nodes_;  // in the snapshot's order
  /// The snapshot state last refreshed to (SlotChanges); epoch 0: none known.
  uint64_t epoch_ = 0;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, std::unordered_map<std::string, Domain>> domains_;
  int64_t positive_ = 0;
};

/// What a what-if run changed of a tally, for one cycle: per domain, pods added (+) or
/// removed (-) on top of the tally's sums. Preemption removes victims from a copy of a node
/// and puts some back; nominated pods are added (upstream PreFilterExtensions AddPod /
/// RemovePod). A what-if touches one node, so an overlay holds a few domains.
class TallyOverlay {
 public:
  void add(const std::string& key, const std::string& value, int64_t delta);
  /// The change to (key, value): 0 when untouched.
  int64_t delta(const std::string& key, const std::string& value) const;
  bool empty() const { return deltas_.empty(); }
  const NodeCounts& deltas() const { return deltas_; }

 private:
  NodeCounts deltas_;
};

/// The PreFilterExtensions of a plugin whose PreFilter counts pods in tallies: adding a pod
/// and removing one are the same change with opposite signs (`update(..., +1 / -1)`).
class TallyExtensions final : public PreFilterExtensions {
 public:
  using Update = PluginResult (*)(CycleState& state, const api::Pod& to_schedule,
                                  const PodInfo& pod, const NodeInfo& node, int64_t sign);
  explicit TallyExtensions(Update update) : update_(update) {}
  PluginResult add_pod(CycleState& state, const api::Pod& to_schedule, const PodInfo& added,
                       const NodeInfo& node) const override {
    return update_(state, to_schedule, added, node, +1);
  }
  PluginResult remove_pod(CycleState& state, const api::Pod& to_schedule, const PodInfo& removed,
                          const NodeInfo& node) const override {
    return update_(state, to_schedule, removed, node, -1);
  }

 private:
  Update update_;
};

/// A domain's sum as a what-if run sees it (`tally` may be null: nothing counted).
inline int64_t total(const TopologyTally* tally, const TallyOverlay& overlay,
                     const std::string& key, const std::string& value) {
  return (tally ? tally->total(key, value) : 0) + (overlay.empty() ? 0 : overlay.delta(key, value));
}
/// Whether some domain's sum is positive, as a what-if run sees it. Without an overlay (every
/// ordinary cycle, on Filter's per-node path) one check.
bool any_positive_with(const TopologyTally* tally, const TallyOverlay& overlay);
inline bool any_positive(const TopologyTally* tally, const TallyOverlay& overlay) {
  if (overlay.empty()) return tally && tally->any_positive();
  return any_positive_with(tally, overlay);
}

/// A few tallies by the question they answer (a key the plugin builds from everything the
/// counting depends on), least recently used dropped first.
class TallyCache {
 public:
  explicit TallyCache(size_t capacity = 8) : capacity_(capacity) {}
  /// The tally for `key`, brought up to `snapshot` with `count`.
  template <class CountFn>
  const TopologyTally& get(const std::string& key, const Snapshot& snapshot, CountFn&& count) {
    auto& tally = slot(key);
    tally.refresh(snapshot, count);
    return tally;
  }

 private:
  TopologyTally& slot(const std::string& key);

  struct Slot {
    size_t hash = 0;  // of key: most keys share long prefixes, so compare hashes first
    std::string key;
    TopologyTally tally;
  };
  size_t capacity_;
  std::list<Slot> entries_;  // most recently used first
};

}  // namespace kactor::scheduler::plugins
