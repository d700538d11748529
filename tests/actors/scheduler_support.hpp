// Builders shared by the scheduler tests: nodes, pods with requests, NodeInfos.
#pragma once

#include <memory>
#include <string>

#include "actors/scheduler/node_info.hpp"
#include "api/quantity.hpp"
#include "api/types/node.hpp"
#include "api/types/pod.hpp"

namespace kactor::testing {

inline api::Quantity qty(const char* s) {
  return *api::Quantity::parse(s);
}

inline api::Node make_node(const std::string& name, const char* cpu, const char* memory,
                           const char* pods = "110") {
  api::Node n;
  n.metadata.name = name;
  n.status.allocatable = {{"cpu", qty(cpu)}, {"memory", qty(memory)}, {"pods", qty(pods)}};
  n.status.capacity = n.status.allocatable;
  api::NodeCondition ready;
  ready.type = "Ready";
  ready.status = "True";
  n.status.conditions.push_back(ready);
  return n;
}

/// A pod with one container requesting `cpu` / `memory` (nullptr: no request).
inline api::Pod make_request_pod(const std::string& name, const char* cpu, const char* memory) {
  api::Pod p;
  p.metadata.namespace_ = "default";
  p.metadata.name = name;
  p.spec.scheduler_name = "default-scheduler";
  api::Container c;
  c.name = "app";
  c.image = "nginx:1.25";
  if (cpu) c.resources.requests["cpu"] = qty(cpu);
  if (memory) c.resources.requests["memory"] = qty(memory);
  p.spec.containers.push_back(c);
  return p;
}

/// A NodeInfo for `node` holding the given pods.
inline std::shared_ptr<scheduler::NodeInfo> make_info(const api::Node& node,
                                                      std::vector<api::Pod> pods = {}) {
  auto info = std::make_shared<scheduler::NodeInfo>();
  info->set_node(std::make_shared<const api::Node>(node));
  for (auto& p : pods) info->add_pod(scheduler::compute_pod_resources(p));
  return info;
}

}  // namespace kactor::testing
