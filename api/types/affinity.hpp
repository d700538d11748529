// Where a pod may run: node selector terms, node and pod (anti-)affinity, tolerations and
// topology spread constraints (upstream core/v1 Affinity, Toleration,
// TopologySpreadConstraint and their parts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/types/meta.hpp"

namespace kactor::api {

struct NodeSelectorRequirement {
  std::string key;
  std::string operator_;  // In, NotIn, Exists, DoesNotExist, Gt, Lt
  std::vector<std::string> values;
  bool operator==(const NodeSelectorRequirement&) const = default;
};
template <class V>
void describe(V& v, NodeSelectorRequirement& x) {
  v("key", x.key, keep_zero);
  v("operator", x.operator_, keep_zero);
  v("values", x.values);
}

struct NodeSelectorTerm {
  std::vector<NodeSelectorRequirement> match_expressions;
  std::vector<NodeSelectorRequirement> match_fields;
  bool operator==(const NodeSelectorTerm&) const = default;
};
template <class V>
void describe(V& v, NodeSelectorTerm& x) {
  v("matchExpressions", x.match_expressions);
  v("matchFields", x.match_fields);
}

struct NodeSelector {
  std::vector<NodeSelectorTerm> node_selector_terms;
  bool operator==(const NodeSelector&) const = default;
};
template <class V>
void describe(V& v, NodeSelector& x) {
  v("nodeSelectorTerms", x.node_selector_terms, keep_zero);
}

struct PreferredSchedulingTerm {
  int32_t weight = 0;
  NodeSelectorTerm preference;
  bool operator==(const PreferredSchedulingTerm&) const = default;
};
template <class V>
void describe(V& v, PreferredSchedulingTerm& x) {
  v("weight", x.weight, keep_zero);
  v("preference", x.preference, keep_zero);
}

struct NodeAffinity {
  std::optional<NodeSelector> required_during_scheduling_ignored_during_execution;
  std::vector<PreferredSchedulingTerm> preferred_during_scheduling_ignored_during_execution;
  bool operator==(const NodeAffinity&) const = default;
};
template <class V>
void describe(V& v, NodeAffinity& x) {
  v("requiredDuringSchedulingIgnoredDuringExecution",
    x.required_during_scheduling_ignored_during_execution);
  v("preferredDuringSchedulingIgnoredDuringExecution",
    x.preferred_during_scheduling_ignored_during_execution);
}

struct PodAffinityTerm {
  std::optional<LabelSelector> label_selector;
  std::vector<std::string> namespaces;
  std::string topology_key;
  std::optional<LabelSelector> namespace_selector;
  std::vector<std::string> match_label_keys;
  std::vector<std::string> mismatch_label_keys;
  bool operator==(const PodAffinityTerm&) const = default;
};
template <class V>
void describe(V& v, PodAffinityTerm& x) {
  v("labelSelector", x.label_selector);
  v("namespaces", x.namespaces);
  v("topologyKey", x.topology_key, keep_zero);
  v("namespaceSelector", x.namespace_selector);
  v("matchLabelKeys", x.match_label_keys);
  v("mismatchLabelKeys", x.mismatch_label_keys);
}

struct WeightedPodAffinityTerm {
  int32_t weight = 0;
  PodAffinityTerm pod_affinity_term;
  bool operator==(const WeightedPodAffinityTerm&) const = default;
};
template <class V>
void describe(V& v, WeightedPodAffinityTerm& x) {
  v("weight", x.weight, keep_zero);
  v("podAffinityTerm", x.pod_affinity_term, keep_zero);
}

/// Used for both podAffinity and podAntiAffinity.
struct PodAffinity {
  std::vector<PodAffinityTerm> required_during_scheduling_ignored_during_execution;
  std::vector<WeightedPodAffinityTerm> preferred_during_scheduling_ignored_during_execution;
  bool operator==(const PodAffinity&) const = default;
};
template <class V>
void describe(V& v, PodAffinity& x) {
  v("requiredDuringSchedulingIgnoredDuringExecution",
    x.required_during_scheduling_ignored_during_execution);
  v("preferredDuringSchedulingIgnoredDuringExecution",
    x.preferred_during_scheduling_ignored_during_execution);
}

struct Affinity {
  std::optional<NodeAffinity> node_affinity;
  std::optional<PodAffinity> pod_affinity;
  std::optional<PodAffinity> pod_anti_affinity;
  bool operator==(const Affinity&) const = default;
};
template <class V>
void describe(V& v, Affinity& x) {
  v("nodeAffinity", x.node_affinity);
  v("podAffinity", x.pod_affinity);
  v("podAntiAffinity", x.pod_anti_affinity);
}

struct Toleration {
  std::string key;
  std::string operator_;  // Exists, Equal (default)
  std::string value;
  std::string effect;  // NoSchedule, PreferNoSchedule, NoExecute, "" = all
  std::optional<int64_t> toleration_seconds;
  bool operator==(const Toleration&) const = default;
};
template <class V>
void describe(V& v, Toleration& x) {
  v("key", x.key);
  v("operator", x.operator_);
  v("value", x.value);
  v("effect", x.effect);
  v("tolerationSeconds", x.toleration_seconds);
}

/// How pods matching a selector spread over the domains of a topology key.
struct TopologySpreadConstraint {
  int32_t max_skew = 0;
  std::string topology_key;
  std::string when_unsatisfiable;  // DoNotSchedule, ScheduleAnyway
  std::optional<LabelSelector> label_selector;
  std::optional<int32_t> min_domains;
  std::optional<std::string> node_affinity_policy;  // Honor, Ignore
  std::optional<std::string> node_taints_policy;    // Honor, Ignore
  std::vector<std::string> match_label_keys;
  bool operator==(const TopologySpreadConstraint&) const = default;
};
template <class V>
void describe(V& v, TopologySpreadConstraint& x) {
  v("maxSkew", x.max_skew, keep_zero);
  v("topologyKey", x.topology_key, keep_zero);
  v("whenUnsatisfiable", x.when_unsatisfiable, keep_zero);
  v("labelSelector", x.label_selector);
  v("minDomains", x.min_domains);
  v("nodeAffinityPolicy", x.node_affinity_policy);
  v("nodeTaintsPolicy", x.node_taints_policy);
  v("matchLabelKeys", x.match_label_keys);
}

}  // namespace kactor::api
