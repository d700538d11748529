#include "actors/scheduler/node_cache.hpp"

namespace kactor::scheduler {

NodeInfo& NodeCache::mutable_info(const std::string& name) {
  snapshot_.reset();
  auto& slot = nodes_[name];
  if (!slot) slot = std::make_shared<NodeInfo>();
  // Copy on write: a snapshot handed out earlier keeps its own version.
  else if (slot.use_count() > 1)
    slot = std::make_shared<NodeInfo>(*slot);
  return *slot;
}

void NodeCache::upsert_node(std::shared_ptr<const api::Node> node) {
  auto name = node->metadata.name;
  auto& info = mutable_info(name);
  if (!info.node) ++node_count_;
  info.set_node(std::move(node));
}

void NodeCache::remove_node(const std::string& name) {
  auto it = nodes_.find(name);
  if (it == nodes_.end() || !it->second->node) return;
  --node_count_;
  // Pods still naming the node keep their accounting until they go.
  auto& info = mutable_info(name);
  info.node.reset();
  if (info.pod_count == 0) nodes_.erase(name);
}

void NodeCache::add_to_node(const std::string& key, const std::string& node, PodResources r,
                            bool assumed) {
  mutable_info(node).add_pod(r);
  pods_[key] = PodState{node, std::move(r), assumed};
}

void NodeCache::assume(const api::Pod& pod, const std::string& node) {
  auto key = api::object_key(pod);
  remove_pod(key);
  add_to_node(key, node, compute_pod_resources(pod), true);
}

void NodeCache::forget(const std::string& key) {
  auto it = pods_.find(key);
  if (it != pods_.end() && it->second.assumed) remove_pod(key);
}

bool NodeCache::is_assumed(const std::string& key) const {
  auto it = pods_.find(key);
  return it != pods_.end() && it->second.assumed;
}

void NodeCache::upsert_pod(const api::Pod& pod) {
  auto key = api::object_key(pod);
  auto it = pods_.find(key);
  if (it != pods_.end() && it->second.node == pod.spec.node_name) {
    // Requests of a bound pod do not change (in-place resize is not supported):
    // only confirm.
    it->second.assumed = false;
    return;
  }
  remove_pod(key);
  add_to_node(key, pod.spec.node_name, compute_pod_resources(pod), false);
}

void NodeCache::remove_pod(const std::string& key) {
  auto it = pods_.find(key);
  if (it == pods_.end()) return;
  auto node = it->second.node;
  auto& info = mutable_info(node);
  info.remove_pod(it->second.resources);
  pods_.erase(it);
  if (!info.node && info.pod_count == 0) nodes_.erase(node);
}

std::shared_ptr<const Snapshot> NodeCache::snapshot() const {
  if (!snapshot_) {
    auto s = std::make_shared<Snapshot>();
    s->reserve(node_count_);
    for (auto& [name, info] : nodes_)
      if (info->node) s->push_back(info);
    snapshot_ = std::move(s);
  }
  return snapshot_;
}

std::shared_ptr<const NodeInfo> NodeCache::node(const std::string& name) const {
  auto it = nodes_.find(name);
  return it == nodes_.end() ? nullptr : it->second;
}

}  // namespace kactor::scheduler
