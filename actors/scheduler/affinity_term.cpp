#include "actors/scheduler/affinity_term.hpp"

#include <algorithm>

namespace kactor::scheduler {

bool AffinityTerm::matches(const api::Pod& pod, const api::Labels* ns_labels) const {
  const bool in_namespace =
      std::find(namespaces.begin(), namespaces.end(), pod.metadata.namespace_) !=
          namespaces.end() ||
      namespace_selector.matches(ns_labels ? *ns_labels : api::Labels{});
  return in_namespace && selector.matches(pod.metadata.labels);
}

namespace {

api::Result<AffinityTerm> compile(const api::PodAffinityTerm& t, const api::Pod& pod) {
  AffinityTerm out;
  out.topology_key = t.topology_key;
  // A null labelSelector selects nothing (upstream LabelSelectorAsSelector(nil)).
  if (t.label_selector) {
    auto sel = api::labels::Selector::from_label_selector(*t.label_selector);
    if (!sel) return std::unexpected(sel.error());
    out.selector = std::move(*sel);
    const auto& labels = pod.metadata.labels;
    auto fold = [&](const std::vector<std::string>& keys, std::string_view op) -> api::Result<void> {
      for (auto& k : keys) {
        auto v = labels.find(k);
        if (v == labels.end()) continue;
        auto r = api::labels::Requirement::make(k, op, {v->second});
        if (!r) return std::unexpected(r.error());
        out.selector = out.selector.add(std::move(*r));
      }
      return {};
    };
    if (auto r = fold(t.match_label_keys, "In"); !r) return std::unexpected(r.error());
    if (auto r = fold(t.mismatch_label_keys, "NotIn"); !r) return std::unexpected(r.error());
  } else {
    out.selector = api::labels::Selector::nothing();
  }
  if (t.namespace_selector) {
    auto ns = api::labels::Selector::from_label_selector(*t.namespace_selector);
    if (!ns) return std::unexpected(ns.error());
    out.namespace_selector = std::move(*ns);
  }
  out.namespaces = t.namespaces;
  // No namespaces and no selector: the pod's own namespace (upstream
  // getNamespacesFromPodAffinityTerm).
  if (t.namespaces.empty() && !t.namespace_selector) out.namespaces = {pod.metadata.namespace_};
  return out;
}

}  // namespace

PodAffinityTerms compile_affinity_terms(const api::Pod& pod) {
  PodAffinityTerms out;
  const auto& a = pod.spec.affinity;
  if (!a) return out;
  auto required = [&](const std::optional<api::PodAffinity>& src, std::vector<AffinityTerm>& into) {
    if (!src) return;
    for (auto& t : src->required_during_scheduling_ignored_during_execution) {
      auto c = compile(t, pod);
      if (!c) {
        out.error = c.error();
        return;
      }
      into.push_back(std::move(*c));
    }
  };
  auto preferred = [&](const std::optional<api::PodAffinity>& src,
                       std::vector<WeightedAffinityTerm>& into) {
    if (!src) return;
    for (auto& w : src->preferred_during_scheduling_ignored_during_execution) {
      auto c = compile(w.pod_affinity_term, pod);
      if (!c) {
        out.error = c.error();
        return;
      }
      into.push_back({std::move(*c), w.weight});
    }
  };
  required(a->pod_affinity, out.required_affinity);
  required(a->pod_anti_affinity, out.required_anti_affinity);
  preferred(a->pod_affinity, out.preferred_affinity);
  preferred(a->pod_anti_affinity, out.preferred_anti_affinity);
  return out;
}

void resolve_namespace_selector(AffinityTerm& term,
                                const std::map<std::string, api::Labels>* namespaces) {
  // `{}` (everything) stays a selector: it matches every namespace, known or not.
  if (term.namespace_selector.empty()) return;
  if (!term.namespace_selector.is_nothing() && namespaces)
    for (auto& [name, labels] : *namespaces)
      if (term.namespace_selector.matches(labels)) term.namespaces.push_back(name);
  term.namespace_selector = api::labels::Selector::nothing();
}

}  // namespace kactor::scheduler
