#include "actors/scheduler/plugins/helpers.hpp"

#include <algorithm>
#include <charconv>
#include <map>

namespace kactor::scheduler::plugins {

namespace {

bool parse_int(const std::string& s, int64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

/// One requirement against a key/value map (labels, or {metadata.name: name}).
bool requirement_matches(const api::NodeSelectorRequirement& r,
                         const std::map<std::string, std::string>& values) {
  auto it = values.find(r.key);
  bool has = it != values.end();
  auto in_values = [&] {
    return has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
  };
  if (r.operator_ == "In") return in_values();
  if (r.operator_ == "NotIn") return !in_values();
  if (r.operator_ == "Exists") return has;
  if (r.operator_ == "DoesNotExist") return !has;
  if (r.operator_ == "Gt" || r.operator_ == "Lt") {
    int64_t have = 0, want = 0;
    if (!has || r.values.size() != 1 || !parse_int(it->second, have) ||
        !parse_int(r.values[0], want))
      return false;
    return r.operator_ == "Gt" ? have > want : have < want;
  }
  return false;
}

}  // namespace

bool term_matches(const api::NodeSelectorTerm& term, const api::Node& node) {
  if (term.match_expressions.empty() && term.match_fields.empty()) return false;
  for (auto& r : term.match_expressions)
    if (!requirement_matches(r, node.metadata.labels)) return false;
  const std::map<std::string, std::string> fields{{"metadata.name", node.metadata.name}};
  for (auto& r : term.match_fields)
    if (!requirement_matches(r, fields)) return false;
  return true;
}

bool selector_matches(const api::NodeSelector& sel, const api::Node& node) {
  return std::any_of(sel.node_selector_terms.begin(), sel.node_selector_terms.end(),
                     [&](auto& t) { return term_matches(t, node); });
}

bool matches_required_node_affinity(const api::Pod& pod, const api::Node& node) {
  auto& labels = node.metadata.labels;
  for (auto& [k, v] : pod.spec.node_selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  if (auto& a = pod.spec.affinity; a && a->node_affinity) {
    auto& req = a->node_affinity->required_during_scheduling_ignored_during_execution;
    if (req && !selector_matches(*req, node)) return false;
  }
  return true;
}

bool tolerates_no_schedule_taints(const api::Pod& pod, const api::Node& node) {
  for (auto& taint : node.spec.taints) {
    if (taint.effect != api::kEffectNoSchedule && taint.effect != api::kEffectNoExecute) continue;
    if (!tolerated(pod.spec.tolerations, taint)) return false;
  }
  return true;
}

}  // namespace kactor::scheduler::plugins
