#include "actors/metrics/metrics_store.hpp"

#include <algorithm>
#include <optional>
#include <tuple>

#include "api/fields/selector.hpp"

namespace kactor::metrics {
namespace {

/// cpu and memory of one sample, or nullopt when either is missing.
std::optional<api::ResourceList> usage_of(const kubelet::CpuStats& cpu,
                                          const kubelet::MemoryStats& memory) {
  if (!cpu.usage_nano_cores || !memory.working_set_bytes) return std::nullopt;
  return api::ResourceList{{"cpu", cpu_quantity(*cpu.usage_nano_cores)},
                           {"memory", memory_quantity(*memory.working_set_bytes)}};
}

/// The later of the two sample times (the kubelet samples CPU and memory apart).
TimePoint sampled_at(const kubelet::CpuStats& cpu, const kubelet::MemoryStats& memory) {
  return std::max(cpu.time, memory.time);
}

/// The selectors of a list, parsed (a malformed one is the 400 the API server would give).
struct Selectors {
  api::labels::Selector labels;
  api::fields::Selector fields;

  static api::Result<Selectors> parse(const MetricsQuery& q) {
    auto l = api::labels::Selector::parse(q.label_selector);
    if (!l) return api::fail(l.error());
    auto f = api::fields::Selector::parse(q.field_selector);
    if (!f) return api::fail(f.error());
    return Selectors{std::move(*l), std::move(*f)};
  }

  /// metrics-server matches field selectors against metadata.name and metadata.namespace only.
  bool matches(const api::Object& o) const {
    if (!labels.matches(o.metadata.labels)) return false;
    return fields.matches([&](std::string_view field) -> std::optional<std::string> {
      if (field == "metadata.name") return o.metadata.name;
      if (field == "metadata.namespace") return o.metadata.namespace_;
      return std::nullopt;
    });
  }
};

MetricsAnswer error_answer(api::Status s) {
  MetricsAnswer a;
  a.error = std::move(s);
  return a;
}

}  // namespace

void MetricsStore::begin_round() {
  ++round_;
  incomplete_ = 0;
}

void MetricsStore::add(const kubelet::Summary& s, Duration window) {
  if (auto usage = usage_of(s.node.cpu, s.node.memory)) {
    nodes_[s.node.node_name] =
        NodePoint{round_, sampled_at(s.node.cpu, s.node.memory), window, std::move(*usage)};
  } else {
    ++incomplete_;
  }
  for (const auto& p : s.pods) {
    PodPoint point{p.pod_ref.uid, round_, {}, window, {}};
    for (const auto& c : p.containers) {
      auto usage = usage_of(c.cpu, c.memory);
      if (!usage) {
        ++incomplete_;
        continue;
      }
      point.containers.push_back(ContainerMetrics{c.name, std::move(*usage)});
      point.timestamp = std::max(point.timestamp, sampled_at(c.cpu, c.memory));
    }
    if (point.containers.empty()) continue;
    pods_[p.pod_ref.namespace_ + "/" + p.pod_ref.name] = std::move(point);
  }
}

MetricsStore::Stored MetricsStore::end_round() {
  std::erase_if(nodes_, [&](const auto& e) { return e.second.round != round_; });
  std::erase_if(pods_, [&](const auto& e) { return e.second.round != round_; });
  return Stored{nodes_.size(), pods_.size(), incomplete_};
}

MetricsStore::Stored MetricsStore::replace(const std::vector<kubelet::Summary>& summaries,
                                           Duration window) {
  begin_round();
  for (const auto& s : summaries) add(s, window);
  return end_round();
}

MetricsAnswer MetricsStore::answer(const MetricsQuery& q, const client::Cache& nodes,
                                   const client::Cache& pods, TimePoint now) const {
  return q.resource == MetricsQuery::Resource::nodes ? answer_nodes(q, nodes, now)
                                                     : answer_pods(q, pods, now);
}

MetricsAnswer MetricsStore::answer_nodes(const MetricsQuery& q, const client::Cache& nodes,
                                         TimePoint now) const {
  auto make = [&](const api::Object& node) -> std::optional<NodeMetrics> {
    auto it = nodes_.find(node.metadata.name);
    if (it == nodes_.end()) return std::nullopt;
    return NodeMetrics{node.metadata.name,   node.metadata.labels, now,
                       it->second.timestamp, it->second.window,    it->second.usage};
  };
  MetricsAnswer out;
  if (!q.name.empty()) {
    auto node = nodes.get(q.name);
    // The Node lister's wording (client-go names the resource "node" there).
    if (!node) return error_answer(api::not_found("node", q.name));
    auto m = make(*node);
    if (!m) return error_answer(api::not_found("nodemetrics", q.name, kGroup));
    out.nodes.push_back(std::move(*m));
    return out;
  }
  auto selectors = Selectors::parse(q);
  if (!selectors) return error_answer(selectors.error());
  for (const auto& node : nodes.list())
    if (selectors->matches(*node))
      if (auto m = make(*node)) out.nodes.push_back(std::move(*m));
  std::sort(out.nodes.begin(), out.nodes.end(),
            [](const NodeMetrics& a, const NodeMetrics& b) { return a.name < b.name; });
  return out;
}

MetricsAnswer MetricsStore::answer_pods(const MetricsQuery& q, const client::Cache& pods,
                                        TimePoint now) const {
  auto make = [&](const api::Object& pod) -> std::optional<PodMetrics> {
    auto it = pods_.find(pod.metadata.namespace_ + "/" + pod.metadata.name);
    if (it == pods_.end() || it->second.uid != pod.metadata.uid) return std::nullopt;
    const auto& p = it->second;
    return PodMetrics{
        pod.metadata.name, pod.metadata.namespace_, pod.metadata.labels, now, p.timestamp, p.window,
        p.containers};
  };
  MetricsAnswer out;
  if (!q.name.empty()) {
    auto pod = pods.get(q.namespace_ + "/" + q.name);
    if (!pod) return error_answer(api::not_found("pods", q.name));
    auto m = make(*pod);
    if (!m) return error_answer(api::not_found("podmetrics", q.namespace_ + "/" + q.name, kGroup));
    out.pods.push_back(std::move(*m));
    return out;
  }
  auto selectors = Selectors::parse(q);
  if (!selectors) return error_answer(selectors.error());
  const auto candidates =
      q.namespace_.empty() ? pods.list() : pods.by_index(client::kNamespaceIndex, q.namespace_);
  for (const auto& pod : candidates)
    if (selectors->matches(*pod))
      if (auto m = make(*pod)) out.pods.push_back(std::move(*m));
  std::sort(out.pods.begin(), out.pods.end(), [](const PodMetrics& a, const PodMetrics& b) {
    return std::tie(a.namespace_, a.name) < std::tie(b.namespace_, b.name);
  });
  return out;
}

}  // namespace kactor::metrics
