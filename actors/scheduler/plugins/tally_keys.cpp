#include "actors/scheduler/plugins/tally_keys.hpp"

namespace kactor::scheduler::plugins {
namespace {

// Separators that label keys, values and selector text cannot contain.
constexpr char kField = '\x1f';
constexpr char kItem = '\x1e';

void append_requirements(std::string& out, const std::vector<api::NodeSelectorRequirement>& rs) {
  for (auto& r : rs) {
    out += r.key;
    out += kField;
    out += r.operator_;
    for (auto& v : r.values) {
      out += kField;
      out += v;
    }
    out += kItem;
  }
}

}  // namespace

void append_key(std::string& out, const api::labels::Selector& s) {
  out += s.is_nothing() ? "!" : "=";
  out += s.to_string();
  out += kItem;
}

void append_key(std::string& out, const api::Labels& labels) {
  for (auto& [k, v] : labels) {
    out += k;
    out += kField;
    out += v;
    out += kItem;
  }
  out += kItem;
}

void append_key(std::string& out, const AffinityTerm& t) {
  append_key(out, t.selector);
  for (auto& ns : t.namespaces) {
    out += ns;
    out += kField;
  }
  out += kItem;
  append_key(out, t.namespace_selector);
  out += t.topology_key;
  out += kItem;
}

void append_node_affinity_key(std::string& out, const api::Pod& pod) {
  append_key(out, pod.spec.node_selector);
  if (auto& a = pod.spec.affinity; a && a->node_affinity &&
                                   a->node_affinity->required_during_scheduling_ignored_during_execution) {
    for (auto& term : a->node_affinity->required_during_scheduling_ignored_during_execution->node_selector_terms) {
      append_requirements(out, term.match_expressions);
      out += kField;
      append_requirements(out, term.match_fields);
      out += kItem;
    }
  }
  out += kItem;
}

void append_tolerations_key(std::string& out, const api::Pod& pod) {
  for (auto& t : pod.spec.tolerations) {
    out += t.key;
    out += kField;
    out += t.operator_;
    out += kField;
    out += t.value;
    out += kField;
    out += t.effect;
    out += kItem;
  }
  out += kItem;
}

}  // namespace kactor::scheduler::plugins
