// Builders for the PodTopologySpread and InterPodAffinity table tests: nodes with labels,
// pods with labels / constraints / affinity, a Snapshot of them, and runners that drive a
// plugin through PreFilter+Filter or PreScore+Score+NormalizeScore as the framework does.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "actors/scheduler/framework.hpp"
#include "actors/scheduler/node_info.hpp"
#include "actors/scheduler/workload_selectors.hpp"
#include "api/types/all.hpp"

namespace kactor::testing::topology {

using Labels = std::map<std::string, std::string>;
using scheduler::PluginResult;

inline api::Node node(const std::string& name, Labels labels = {}) {
  api::Node n;
  n.metadata.name = name;
  n.metadata.labels = std::move(labels);
  n.status.allocatable["pods"] = api::Quantity::parse("110").value();
  return n;
}

inline api::Pod pod(const std::string& name, Labels labels = {}, const std::string& node_name = "",
                    const std::string& ns = "") {
  api::Pod p;
  p.metadata.name = name;
  p.metadata.namespace_ = ns;
  p.metadata.uid = ns + "/" + name;
  p.metadata.labels = std::move(labels);
  p.spec.node_name = node_name;
  return p;
}

/// A selector with one Exists expression (upstream MakeLabelSelector().Exists(key)).
inline api::LabelSelector exists(const std::string& key) {
  api::LabelSelector s;
  s.match_expressions.push_back({key, "Exists", {}});
  return s;
}
inline api::LabelSelector in(const std::string& key, std::vector<std::string> values) {
  api::LabelSelector s;
  s.match_expressions.push_back({key, "In", std::move(values)});
  return s;
}

/// The cluster of one table row: nodes in name order with their pods.
struct Cluster {
  scheduler::Snapshot snapshot;
  std::map<std::string, std::shared_ptr<scheduler::NodeInfo>> infos;

  Cluster(const std::vector<api::Node>& nodes, const std::vector<api::Pod>& pods,
          std::map<std::string, Labels> namespaces = {}) {
    for (auto& n : nodes) {
      auto info = std::make_shared<scheduler::NodeInfo>();
      info->set_node(std::make_shared<const api::Node>(n));
      infos[n.metadata.name] = info;
    }
    for (auto& p : pods) {
      auto it = infos.find(p.spec.node_name);
      REQUIRE(it != infos.end());
      it->second->add_pod(scheduler::PodInfo::make(std::make_shared<const api::Pod>(p)));
    }
    for (auto& [name, info] : infos) snapshot.nodes.push_back(info);
    snapshot.namespaces = std::make_shared<scheduler::NamespaceLabels>(std::move(namespaces));
  }

  const scheduler::NodeInfo& at(const std::string& name) const { return *infos.at(name); }
};

inline scheduler::CycleState cycle_for(const Cluster& c, const api::Pod& p) {
  scheduler::CycleState st;
  st.pod = scheduler::compute_pod_resources(p);
  st.snapshot = &c.snapshot;
  return st;
}

using Code = PluginResult::Code;

/// PreFilter once, then Filter on each named node: the result per node.
inline std::map<std::string, PluginResult> run_filter(scheduler::Plugin& plugin, const Cluster& c,
                                                      const api::Pod& p) {
  auto& pre = dynamic_cast<scheduler::PreFilterPlugin&>(plugin);
  auto& f = dynamic_cast<scheduler::FilterPlugin&>(plugin);
  auto st = cycle_for(c, p);
  auto r = pre.pre_filter(st, p);
  REQUIRE((r.ok() || r.code == Code::skip));
  std::map<std::string, PluginResult> out;
  // A plugin that skipped at PreFilter does not filter: every node passes.
  for (auto& [name, info] : c.infos)
    out[name] = r.ok() ? f.filter(st, p, *info) : PluginResult::success();
  return out;
}

/// The codes of run_filter, for comparing with a table's wantStatusCode.
inline std::map<std::string, Code> codes(const std::map<std::string, PluginResult>& rs) {
  std::map<std::string, Code> out;
  for (auto& [n, r] : rs) out[n] = r.code;
  return out;
}

/// PreScore over the feasible nodes (in the given order), Score each, NormalizeScore.
inline std::vector<int64_t> run_score(scheduler::Plugin& plugin, const Cluster& c,
                                      const api::Pod& p, const std::vector<std::string>& feasible) {
  auto& pre = dynamic_cast<scheduler::PreScorePlugin&>(plugin);
  auto& s = dynamic_cast<scheduler::ScorePlugin&>(plugin);
  auto st = cycle_for(c, p);
  std::vector<const scheduler::NodeInfo*> nodes;
  for (auto& n : feasible) nodes.push_back(&c.at(n));
  auto r = pre.pre_score(st, p, nodes);
  REQUIRE((r.ok() || r.code == Code::skip));
  // A plugin that skipped at PreScore does not score: 0 everywhere.
  if (!r.ok()) return std::vector<int64_t>(nodes.size(), 0);
  std::vector<int64_t> scores;
  for (auto* n : nodes) scores.push_back(s.score(st, p, *n));
  s.normalize(st, p, scores);
  return scores;
}

}  // namespace kactor::testing::topology
