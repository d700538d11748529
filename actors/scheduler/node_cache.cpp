#include "actors/scheduler/node_cache.hpp"

#include <atomic>

namespace kactor::scheduler {
namespace {

/// How many patched slots a snapshot remembers (SlotChanges::log); a few cycles' worth at
/// any binding rate, and copied with the snapshot when one is held during a patch.
constexpr size_t kMaxLoggedSlotChanges = 1024;

}  // namespace

NodeInfo& NodeCache::mutable_info(const std::string& name) {
  auto& slot = nodes_[name];
  if (!slot) slot = std::make_shared<NodeInfo>();
  // Copy on write: a snapshot handed out earlier keeps its own version.
  else if (slot.use_count() > 1)
    slot = std::make_shared<NodeInfo>(*slot);
  dirty_.insert(name);
  return *slot;
}

void NodeCache::upsert_node(std::shared_ptr<const api::Node> node) {
  auto name = node->metadata.name;
  auto& info = mutable_info(name);
  if (!info.node) {
    ++node_count_;
    rebuild_ = true;
  }
  auto before = info.node ? info.image_sizes : nullptr;
  info.set_node(std::move(node));
  if (info.image_sizes != before) {
    count_images(before.get(), -1);
    count_images(info.image_sizes.get(), +1);
  }
}

void NodeCache::count_images(const ImageSizes* sizes, int32_t delta) {
  if (!sizes || sizes->empty()) return;
  if (image_nodes_.use_count() > 1) image_nodes_ = std::make_shared<ImageNodeCounts>(*image_nodes_);
  for (auto& [image, size] : *sizes) {
    auto& n = (*image_nodes_)[image];
    n += delta;
    if (n <= 0) image_nodes_->erase(image);
  }
  // Callers changed a node, so the next snapshot is patched and picks the counts up.
}

void NodeCache::remove_node(const std::string& name) {
  auto it = nodes_.find(name);
  if (it == nodes_.end() || !it->second->node) return;
  --node_count_;
  rebuild_ = true;
  count_images(it->second->image_sizes.get(), -1);
  // Pods still naming the node keep their accounting until they go.
  auto& info = mutable_info(name);
  info.node.reset();
  if (info.pod_count == 0) nodes_.erase(name);
}

void NodeCache::add_to_node(const std::string& key, const std::string& node, PodInfoPtr info,
                            bool assumed) {
  mutable_info(node).add_pod(info);
  pods_[key] = PodState{node, std::move(info), assumed};
}

void NodeCache::assume(std::shared_ptr<const api::Pod> pod, const std::string& node) {
  auto key = api::object_key(*pod);
  remove_pod(key);
  add_to_node(key, node, PodInfo::make(std::move(pod)), true);
}

void NodeCache::forget(const std::string& key) {
  auto it = pods_.find(key);
  if (it != pods_.end() && it->second.assumed) remove_pod(key);
}

bool NodeCache::is_assumed(const std::string& key) const {
  auto it = pods_.find(key);
  return it != pods_.end() && it->second.assumed;
}

namespace {

/// Whether the scheduler's view of a bound pod changed: requests of a bound pod do not
/// change (in-place resize is not supported), but labels do, and plugins that look at
/// other pods (spread, affinity) match them.
bool view_changed(const api::Pod& a, const api::Pod& b) {
  return a.metadata.uid != b.metadata.uid || a.metadata.labels != b.metadata.labels;
}

}  // namespace

void NodeCache::upsert_pod(std::shared_ptr<const api::Pod> pod) {
  auto key = api::object_key(*pod);
  auto it = pods_.find(key);
  if (it != pods_.end() && it->second.node == pod->spec.node_name &&
      !view_changed(*it->second.info->pod, *pod)) {
    // Confirms an assumption; the status the kubelet writes does not matter here, but the
    // newer object replaces the one held (see PodInfo::pod).
    it->second.assumed = false;
    it->second.info->pod = std::move(pod);
    return;
  }
  remove_pod(key);
  auto node = pod->spec.node_name;
  add_to_node(key, node, PodInfo::make(std::move(pod)), false);
}

void NodeCache::remove_pod(const std::string& key) {
  auto it = pods_.find(key);
  if (it == pods_.end()) return;
  auto node = it->second.node;
  auto& info = mutable_info(node);
  info.remove_pod(*it->second.info);
  pods_.erase(it);
  if (!info.node && info.pod_count == 0) nodes_.erase(node);
}

void NodeCache::upsert_namespace(const std::string& name,
                                 std::map<std::string, std::string> labels) {
  auto it = namespaces_->find(name);
  if (it != namespaces_->end() && it->second == labels) return;
  if (namespaces_.use_count() > 1) namespaces_ = std::make_shared<NamespaceLabels>(*namespaces_);
  (*namespaces_)[name] = std::move(labels);
  namespaces_changed_ = true;
}

void NodeCache::remove_namespace(const std::string& name) {
  if (!namespaces_->contains(name)) return;
  if (namespaces_.use_count() > 1) namespaces_ = std::make_shared<NamespaceLabels>(*namespaces_);
  namespaces_->erase(name);
  namespaces_changed_ = true;
}

void NodeCache::upsert_workload(const api::Object& obj) {
  // Most updates are status updates: nothing to copy or change.
  if (!workloads_->would_change(obj)) return;
  // Copy on write, as namespaces: a snapshot in use keeps the selectors it had.
  if (workloads_.use_count() > 1) workloads_ = std::make_shared<WorkloadSelectors>(*workloads_);
  if (workloads_->upsert(obj)) namespaces_changed_ = true;
}

void NodeCache::remove_workload(const api::Object& obj) {
  if (workloads_.use_count() > 1) workloads_ = std::make_shared<WorkloadSelectors>(*workloads_);
  if (workloads_->remove(obj)) namespaces_changed_ = true;
}

void NodeCache::upsert_pdb(std::shared_ptr<const api::PodDisruptionBudget> pdb) {
  pdbs_[api::object_key(*pdb)] = std::move(pdb);
  pdbs_changed_ = true;
}

void NodeCache::remove_pdb(const std::string& key) {
  if (pdbs_.erase(key) > 0) pdbs_changed_ = true;
}

std::shared_ptr<const Snapshot> NodeCache::snapshot() const {
  if (snapshot_ && !rebuild_ && dirty_.empty() && !namespaces_changed_ && !pdbs_changed_)
    return snapshot_;
  // Someone still holds the last snapshot: leave it alone and patch a copy.
  if (snapshot_ && snapshot_.use_count() > 1) snapshot_ = std::make_shared<Snapshot>(*snapshot_);
  // Whether a node counts for the snapshot's nodes_with_* tallies.
  auto tally = [](Snapshot& s, const NodeInfo& info, int sign) {
    if (!info.pods_with_affinity.empty()) *s.nodes_with_affinity_pods += sign;
    if (!info.pods_with_required_anti_affinity.empty())
      *s.nodes_with_required_anti_affinity_pods += sign;
  };
  if (!snapshot_ || rebuild_) {
    auto s = std::make_shared<Snapshot>();
    s->nodes_with_affinity_pods = s->nodes_with_required_anti_affinity_pods = 0;
    s->nodes.reserve(node_count_);
    for (auto& [name, info] : nodes_) {
      if (!info->node) continue;
      info->snapshot_slot = static_cast<uint32_t>(s->nodes.size());
      tally(*s, *info, +1);
      s->nodes.push_back(info);
    }
    // A new node set: every tally keyed to the old one counts again from scratch.
    static std::atomic<uint64_t> epochs{0};
    s->changes.epoch = ++epochs;
    snapshot_ = std::move(s);
  } else {
    // Only the changed nodes: the set of nodes is the same, so each keeps its slot.
    auto& nodes = snapshot_->nodes;
    auto& changes = snapshot_->changes;
    if (!dirty_.empty()) ++changes.generation;
    for (auto& name : dirty_) {
      auto it = nodes_.find(name);
      if (it == nodes_.end() || !it->second->node) continue;
      auto slot = std::lower_bound(nodes.begin(), nodes.end(), name,
                                   [](const std::shared_ptr<const NodeInfo>& n,
                                      const std::string& want) { return n->name() < want; });
      if (slot == nodes.end() || (*slot)->name() != name) continue;
      tally(*snapshot_, **slot, -1);
      tally(*snapshot_, *it->second, +1);
      it->second->snapshot_slot = static_cast<uint32_t>(slot - nodes.begin());
      *slot = it->second;
      changes.log.emplace_back(changes.generation, it->second->snapshot_slot);
    }
    // Bounded: a tally further behind than the log reaches compares every slot once.
    if (changes.log.size() > kMaxLoggedSlotChanges) {
      const auto drop = changes.log.size() / 2;
      changes.complete_after = changes.log[drop - 1].first;
      changes.log.erase(changes.log.begin(), changes.log.begin() + static_cast<ptrdiff_t>(drop));
    }
  }
  snapshot_->namespaces = namespaces_;
  snapshot_->image_nodes = image_nodes_;
  snapshot_->workloads = workloads_;
  namespaces_changed_ = false;
  if (pdbs_changed_ || !snapshot_->pdbs) {
    // Budgets change rarely (their status on evictions): a new list each time is cheap.
    auto list = std::make_shared<PdbList>();
    list->reserve(pdbs_.size());
    for (auto& [key, pdb] : pdbs_) list->push_back(pdb);
    snapshot_->pdbs = std::move(list);
    pdbs_changed_ = false;
  }
  dirty_.clear();
  rebuild_ = false;
  return snapshot_;
}

std::shared_ptr<const NodeInfo> NodeCache::node(const std::string& name) const {
  auto it = nodes_.find(name);
  return it == nodes_.end() ? nullptr : it->second;
}

PodInfoPtr NodeCache::pod(const std::string& key) const {
  auto it = pods_.find(key);
  return it == pods_.end() ? nullptr : it->second.info;
}

}  // namespace kactor::scheduler
