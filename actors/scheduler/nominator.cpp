#include "actors/scheduler/nominator.hpp"

#include <algorithm>

namespace kactor::scheduler {

void Nominator::add(PodInfoPtr pod, const std::string& node) {
  auto key = api::object_key(*pod->pod);
  remove(key);
  if (node.empty()) return;
  by_node_[node].push_back(std::move(pod));
  node_of_[key] = node;
}

void Nominator::remove(const std::string& key) {
  auto it = node_of_.find(key);
  if (it == node_of_.end()) return;
  auto list = by_node_.find(it->second);
  if (list != by_node_.end()) {
    std::erase_if(list->second,
                  [&](const PodInfoPtr& p) { return api::object_key(*p->pod) == key; });
    if (list->second.empty()) by_node_.erase(list);
  }
  node_of_.erase(it);
}

void Nominator::on_pending_pod(const api::Pod* old_pod, std::shared_ptr<const api::Pod> pod) {
  auto key = api::object_key(*pod);
  const auto& wanted = pod->status.nominated_node_name;
  if (!wanted.empty()) {
    add(PodInfo::make(std::move(pod)), wanted);
    return;
  }
  // The status no longer names a node: cleared on purpose.
  if (old_pod && !old_pod->status.nominated_node_name.empty()) {
    remove(key);
    return;
  }
  // Neither names one: keep the nomination made in memory, with the newer object.
  auto node = node_of(key);
  if (!node.empty()) add(PodInfo::make(std::move(pod)), node);
}

const std::vector<PodInfoPtr>& Nominator::pods_on(const std::string& node) const {
  static const std::vector<PodInfoPtr> none;
  auto it = by_node_.find(node);
  return it == by_node_.end() ? none : it->second;
}

std::string Nominator::node_of(const std::string& key) const {
  auto it = node_of_.find(key);
  return it == node_of_.end() ? std::string() : it->second;
}

std::vector<PodInfoPtr> Nominator::lower_priority_on(const std::string& node,
                                                     int32_t priority) const {
  std::vector<PodInfoPtr> out;
  for (auto& p : pods_on(node))
    if (p->pod->spec.priority.value_or(0) < priority) out.push_back(p);
  return out;
}

}  // namespace kactor::scheduler
