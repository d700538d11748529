#include "actors/scheduler/cluster_events.hpp"

namespace kactor::scheduler {

namespace {

bool conditions_differ(const api::Node& a, const api::Node& b) {
  // Heartbeat times change every few seconds: only type and status count.
  const auto& x = a.status.conditions;
  const auto& y = b.status.conditions;
  if (x.size() != y.size()) return true;
  for (size_t i = 0; i < x.size(); ++i)
    if (x[i].type != y[i].type || x[i].status != y[i].status) return true;
  return false;
}

}  // namespace

uint32_t node_update_actions(const api::Node& a, const api::Node& b) {
  uint32_t actions = 0;
  if (a.status.allocatable != b.status.allocatable) actions |= action::update_node_allocatable;
  if (a.metadata.labels != b.metadata.labels) actions |= action::update_node_label;
  // Cordoning is a taint change upstream (NodeSpecUnschedulableChange).
  if (a.spec.taints != b.spec.taints || a.spec.unschedulable != b.spec.unschedulable)
    actions |= action::update_node_taint;
  if (conditions_differ(a, b)) actions |= action::update_node_condition;
  return actions;
}

uint32_t assigned_pod_update_actions(const api::Pod& a, const api::Pod& b) {
  uint32_t actions = 0;
  if (a.metadata.labels != b.metadata.labels) actions |= action::update_pod_label;
  auto requests = [](const api::Pod& p) {
    std::vector<api::ResourceList> r;
    for (auto& c : p.spec.containers) r.push_back(c.resources.requests);
    return r;
  };
  if (requests(a) != requests(b)) actions |= action::update_pod_scale_down;
  return actions;
}

}  // namespace kactor::scheduler
