// What the scheduler knows about one node: the Node object, the pods assigned (or
// assumed) to it, and the resources and host ports they take.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "actors/scheduler/affinity_term.hpp"
#include "api/types/disruption.hpp"
#include "api/types/node.hpp"
#include "api/types/pod.hpp"

namespace kactor::scheduler {

/// Resources other than cpu and memory (ephemeral-storage, extended resources) by name.
/// Most pods and nodes have none: kept behind a pointer, so a Resources is three words
/// and a NodeInfo's hot counters share a cache line or two (see NodeInfo).
class ScalarResources {
 public:
  using Map = std::map<std::string, int64_t>;
  ScalarResources() = default;
  ScalarResources(const ScalarResources& o) : map_(o.map_ ? std::make_unique<Map>(*o.map_) : nullptr) {}
  ScalarResources(ScalarResources&&) noexcept = default;
  ScalarResources& operator=(const ScalarResources& o) {
    if (this != &o) map_ = o.map_ ? std::make_unique<Map>(*o.map_) : nullptr;
    return *this;
  }
  ScalarResources& operator=(ScalarResources&&) noexcept = default;

  Map::const_iterator begin() const { return view().begin(); }
  Map::const_iterator end() const { return view().end(); }
  Map::const_iterator find(const std::string& name) const { return view().find(name); }
  bool contains(const std::string& name) const { return map_ && map_->contains(name); }
  bool empty() const { return !map_ || map_->empty(); }
  /// The amount of `name`, 0 when absent.
  int64_t get(const std::string& name) const {
    auto it = find(name);
    return it == end() ? 0 : it->second;
  }
  int64_t& operator[](const std::string& name) {
    if (!map_) map_ = std::make_unique<Map>();
    return (*map_)[name];
  }
  bool operator==(const ScalarResources& o) const { return view() == o.view(); }

 private:
  const Map& view() const {
    static const Map empty;
    return map_ ? *map_ : empty;
  }
  std::unique_ptr<Map> map_;
};

/// Amounts of resources: cpu in millicores, memory in bytes, others in whole units.
struct Resources {
  int64_t milli_cpu = 0;
  int64_t memory = 0;
  ScalarResources scalar;  // ephemeral-storage, extended resources

  void add(const Resources& o);
  void subtract(const Resources& o);
  /// Reads a ResourceList ("pods" is left out: it is a count, not a request).
  static Resources from_list(const api::ResourceList& list);
};

/// A host port a pod asks for (ip "" means every address).
struct HostPort {
  std::string ip;
  std::string protocol;
  int32_t port = 0;
  bool operator==(const HostPort&) const = default;
};

/// What one pod takes on a node, computed once per pod.
struct PodResources {
  /// As upstream's PodRequests: app containers and sidecars summed, init containers as a
  /// max (each with the sidecars started before it), plus the overhead.
  Resources request;
  /// The same with 100m cpu / 200Mi memory for containers that name no such request
  /// (what LeastAllocated and MostAllocated score; BalancedAllocation uses `request`).
  Resources non_zero;
  std::vector<HostPort> ports;
};

/// Computes a pod's request, its non-zero request (for scoring) and its host ports.
PodResources compute_pod_resources(const api::Pod& pod);

/// One pod as the scheduler keeps it on a node: the object and what it takes, computed
/// once. What it takes is immutable once made; a pod changed where the scheduler looks gets
/// a new PodInfo.
struct PodInfo {
  /// The newest version of the pod. NodeCache::upsert_pod moves it on to a later version
  /// that looks the same to the scheduler (a status update), in place: keeping the version
  /// scheduled would hold a second decoded copy of every running pod. Only the scheduler's
  /// actor touches PodInfos, between scheduling cycles, so no cycle sees it change.
  mutable std::shared_ptr<const api::Pod> pod;
  PodResources resources;
  /// spec.affinity has podAffinity or podAntiAffinity terms (required or preferred).
  bool has_affinity = false;
  /// spec.affinity.podAntiAffinity has required terms (existing pods' anti-affinity
  /// constrains every incoming pod).
  bool has_required_anti_affinity = false;
  /// The pod's (anti-)affinity terms, compiled once; null without has_affinity. Held apart:
  /// inline they were three quarters of every PodInfo (336 of 432 bytes), which the
  /// scheduler keeps for every pod of the cluster, and few pods have any.
  std::shared_ptr<const PodAffinityTerms> compiled_affinity;

  static std::shared_ptr<const PodInfo> make(std::shared_ptr<const api::Pod> pod);
  const std::string& uid() const { return pod->metadata.uid; }
  /// The compiled terms, empty for a pod without any.
  const PodAffinityTerms& affinity_terms() const;
};
using PodInfoPtr = std::shared_ptr<const PodInfo>;

/// The well-known topology labels (upstream LabelHostname, LabelTopologyZone).
inline constexpr std::string_view kHostnameLabel = "kubernetes.io/hostname";
inline constexpr std::string_view kZoneLabel = "topology.kubernetes.io/zone";

/// Default cpu (millicores) and memory (bytes) counted for scoring when a container asks for none.
inline constexpr int64_t kDefaultMilliCpuRequest = 100;
inline constexpr int64_t kDefaultMemoryRequest = 200LL * 1024 * 1024;

/// Image name ("nginx:1.27", "repo@sha256:...") -> size in bytes.
using ImageSizes = std::unordered_map<std::string, int64_t>;
/// Image name -> number of nodes that have it (ImageLocality's spread).
using ImageNodeCounts = std::unordered_map<std::string, int32_t>;

/// The state of one node as the scheduling algorithm sees it. The fields every filter
/// reads for every node come first, and a few facts of the Node object are copied here
/// (set_node): a cycle visits hundreds of nodes, and each Node object it had to open would
/// cost a cache miss.
struct NodeInfo {
  std::shared_ptr<const api::Node> node;  // null while only pods name it
  /// spec.unschedulable (a cordoned node).
  bool unschedulable = false;
  /// Some taint has effect NoSchedule or NoExecute / PreferNoSchedule.
  bool has_schedule_taints = false;
  bool has_prefer_no_schedule_taints = false;
  /// Where the node's cache put this NodeInfo in its last snapshot (a hint: check
  /// `snapshot[slot].get() == this`; copies made for what-if runs keep a stale one).
  uint32_t snapshot_slot = UINT32_MAX;
  /// The node's kubernetes.io/hostname and topology.kubernetes.io/zone label values
  /// (into `node`'s labels; null when absent), for label().
  const std::string* hostname_label = nullptr;
  const std::string* zone_label = nullptr;
  int64_t pod_count = 0;
  int64_t allowed_pods = 0;
  Resources allocatable;
  Resources requested;
  Resources non_zero_requested;
  std::vector<HostPort> used_ports;
  /// Every pod on the node (assumed ones included), in the order they came.
  std::vector<PodInfoPtr> pods;
  /// The subsets of `pods` InterPodAffinity looks at (upstream PodsWithAffinity and
  /// PodsWithRequiredAntiAffinity), so pods without affinity cost nothing there.
  std::vector<PodInfoPtr> pods_with_affinity;
  std::vector<PodInfoPtr> pods_with_required_anti_affinity;
  /// Size of each image the node reports (status.images), under every one of its
  /// names; shared between copies, rebuilt only when the node's images change.
  std::shared_ptr<const ImageSizes> image_sizes;

  const std::string& name() const;
  /// The value of the node's label `key`, or nullptr. The hostname and zone labels, which
  /// spread and affinity ask for on hundreds of nodes per pod, without a map lookup.
  const std::string* label(const std::string& key) const;
  void set_node(std::shared_ptr<const api::Node> n);
  void add_pod(PodInfoPtr p);
  /// Removes the pod with p's uid (no-op if absent).
  void remove_pod(const PodInfo& p);
};

struct WorkloadSelectors;  // workload_selectors.hpp

/// Labels of each namespace, for namespaceSelector in pod affinity terms.
using NamespaceLabels = std::map<std::string, std::map<std::string, std::string>>;

/// The PodDisruptionBudgets preemption tries not to violate.
using PdbList = std::vector<std::shared_ptr<const api::PodDisruptionBudget>>;

/// Which node slots a NodeCache patched, so that something keeping a result per node (a
/// TopologyTally) revisits only those on the next cycle instead of comparing every slot.
struct SlotChanges {
  /// One node set of one cache (a new value on every rebuild); 0: unknown (a snapshot put
  /// together by hand), so nothing can be skipped.
  uint64_t epoch = 0;
  /// Patches applied to this node set since it was built.
  uint64_t generation = 0;
  /// Every patch after this generation is in `log`.
  uint64_t complete_after = 0;
  /// (generation, slot) for each slot a patch replaced, oldest first.
  std::vector<std::pair<uint64_t, uint32_t>> log;

  /// Calls `visit(slot)` for every slot patched after `generation` of `epoch`; false (and
  /// nothing visited) when that is unknown: another node set, an unknown one, a newer
  /// generation than this (an older snapshot), or changes already dropped from the log.
  template <class Visit>
  bool for_each_since(uint64_t of_epoch, uint64_t since, Visit&& visit) const {
    if (epoch == 0 || of_epoch != epoch || since > generation || since < complete_after)
      return false;
    if (since == generation) return true;
    auto it = std::upper_bound(log.begin(), log.end(), since,
                               [](uint64_t g, const auto& entry) { return g < entry.first; });
    for (; it != log.end(); ++it) visit(it->second);
    return true;
  }
};

/// What plugins see of the cluster during one scheduling cycle (upstream's
/// SharedLister behind framework.Handle): every node with its pods, in name order,
/// and the namespaces' labels. Never modified while a cycle uses it.
struct Snapshot {
  std::vector<std::shared_ptr<const NodeInfo>> nodes;  // sorted by name
  std::shared_ptr<const NamespaceLabels> namespaces;   // may be null: no namespaces known
  std::shared_ptr<const ImageNodeCounts> image_nodes;  // may be null: no images known
  /// Services, ReplicationControllers, ReplicaSets: the selectors of PodTopologySpread's
  /// default constraints. May be null: none known.
  std::shared_ptr<const WorkloadSelectors> workloads;
  std::shared_ptr<const PdbList> pdbs;                 // may be null: no budgets known
  /// Nodes with a pod that has (anti-)affinity terms / required anti-affinity terms:
  /// while 0, InterPodAffinity has nothing to look at for a pod without terms of its
  /// own (upstream HavePodsWithAffinityList / HavePodsWithRequiredAntiAffinityList).
  /// Kept by the NodeCache; nullopt (unknown, e.g. a snapshot a test put together)
  /// makes the plugin look.
  std::optional<size_t> nodes_with_affinity_pods;
  std::optional<size_t> nodes_with_required_anti_affinity_pods;
  /// Kept by the NodeCache; empty (epoch 0) in a snapshot put together by hand.
  SlotChanges changes;

  size_t size() const { return nodes.size(); }
  bool empty() const { return nodes.empty(); }
  const std::shared_ptr<const NodeInfo>& operator[](size_t i) const { return nodes[i]; }
  auto begin() const { return nodes.begin(); }
  auto end() const { return nodes.end(); }
  /// The node called `name`, or nullptr (binary search).
  const NodeInfo* get(std::string_view name) const;
  /// The labels of namespace `name`, or nullptr if it is unknown.
  const std::map<std::string, std::string>* namespace_labels(const std::string& name) const;
  /// On how many nodes the image called `name` is.
  int32_t nodes_with_image(const std::string& name) const;
};

}  // namespace kactor::scheduler
