// Table-test helpers for score plugins, shaped like upstream's plugin tests: nodes with
// the given allocatable, pods with one container per request list, existing pods placed
// on the nodes they name, and each node's raw score.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/scheduler/framework.hpp"
#include "api/testing/builders.hpp"

namespace kactor::testing {

using Requests = std::map<std::string, std::string>;

/// A node whose allocatable is exactly `alloc` (upstream st.MakeNode().Capacity(...)).
inline api::Node table_node(const std::string& name, const Requests& alloc) {
  api::Node n;
  n.metadata.name = name;
  for (auto& [k, v] : alloc) n.status.allocatable[k] = api::testing::qty(v.c_str());
  return n;
}

/// A pod with one container per entry of `containers` (upstream st.MakePod().Req(...)...),
/// bound to `node` if given.
inline api::Pod table_pod(const std::vector<Requests>& containers, const std::string& node = "") {
  static int n = 0;
  api::Pod p;
  p.metadata.namespace_ = "default";
  p.metadata.name = "p" + std::to_string(++n);
  p.metadata.uid = "uid-" + p.metadata.name;
  p.spec.node_name = node;
  for (size_t i = 0; i < containers.size(); ++i) {
    api::Container c;
    c.name = "c" + std::to_string(i);
    for (auto& [k, v] : containers[i]) c.resources.requests[k] = api::testing::qty(v.c_str());
    p.spec.containers.push_back(std::move(c));
  }
  return p;
}

/// The nodes, with the existing pods that name them, as a Snapshot.
inline scheduler::Snapshot table_snapshot(const std::vector<api::Node>& nodes,
                                          const std::vector<api::Pod>& existing) {
  scheduler::Snapshot s;
  for (auto& node : nodes) {
    auto info = std::make_shared<scheduler::NodeInfo>();
    info->set_node(std::make_shared<const api::Node>(node));
    for (auto& p : existing)
      if (p.spec.node_name == node.metadata.name)
        info->add_pod(scheduler::PodInfo::make(std::make_shared<const api::Pod>(p)));
    s.nodes.push_back(std::move(info));
  }
  std::sort(s.nodes.begin(), s.nodes.end(),
            [](auto& a, auto& b) { return a->name() < b->name(); });
  return s;
}

/// Each node's raw score (PreScore first, if the plugin has one), in the order of `nodes`.
inline std::vector<int64_t> table_scores(const std::shared_ptr<scheduler::Plugin>& plugin,
                                         const api::Pod& pod, const std::vector<api::Node>& nodes,
                                         const std::vector<api::Pod>& existing = {}) {
  auto snapshot = table_snapshot(nodes, existing);
  scheduler::CycleState state;
  state.pod = scheduler::compute_pod_resources(pod);
  state.snapshot = &snapshot;
  std::vector<const scheduler::NodeInfo*> infos;
  for (auto& n : nodes) infos.push_back(snapshot.get(n.metadata.name));
  if (auto* pre = dynamic_cast<scheduler::PreScorePlugin*>(plugin.get()))
    // A plugin that skipped at PreScore does not score: 0 everywhere.
    if (pre->pre_score(state, pod, infos).code == scheduler::PluginResult::Code::skip)
      return std::vector<int64_t>(infos.size(), 0);
  auto* score = dynamic_cast<scheduler::ScorePlugin*>(plugin.get());
  std::vector<int64_t> out;
  for (auto* info : infos) out.push_back(score->score(state, pod, *info));
  return out;
}

}  // namespace kactor::testing
