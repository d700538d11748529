// Builders shared by the scheduler tests: nodes, pods with requests, NodeInfos.
#pragma once

#include <memory>
#include <string>

#include "actors/scheduler/node_info.hpp"
#include "api/testing/builders.hpp"

namespace kactor::testing {

using api::testing::make_node;
using api::testing::qty;

/// A pod of the default scheduler whose one container requests `cpu` / `memory` (nullptr: no
/// request), as it reaches the scheduler (not defaulted by an API server).
inline api::Pod make_request_pod(const std::string& name, const char* cpu, const char* memory) {
  auto p = api::testing::make_pod_requesting("default", name, cpu, memory);
  p.spec.scheduler_name = "default-scheduler";
  return p;
}

/// A NodeInfo for `node` holding the given pods.
inline std::shared_ptr<scheduler::NodeInfo> make_info(const api::Node& node,
                                                      std::vector<api::Pod> pods = {}) {
  auto info = std::make_shared<scheduler::NodeInfo>();
  info->set_node(std::make_shared<const api::Node>(node));
  for (auto& p : pods) info->add_pod(scheduler::PodInfo::make(std::make_shared<const api::Pod>(p)));
  return info;
}

}  // namespace kactor::testing
