// A pod (anti-)affinity term compiled once per pod (upstream framework.AffinityTerm): its
// label selector parsed (with matchLabelKeys / mismatchLabelKeys folded in), the
// namespaces it names and its namespace selector. InterPodAffinity matches the terms of
// the incoming pod and of the pods already on nodes against each other.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/labels/selector.hpp"
#include "api/status.hpp"
#include "api/types/pod.hpp"

namespace kactor::scheduler {

struct AffinityTerm {
  api::labels::Selector selector;
  /// Namespaces the term names; with no namespaces and no namespaceSelector, the pod's own.
  std::vector<std::string> namespaces;
  /// Nothing when the term has none; everything for `{}`.
  api::labels::Selector namespace_selector = api::labels::Selector::nothing();
  std::string topology_key;

  /// Upstream AffinityTerm.Matches: `pod` is in one of the namespaces, or its namespace's
  /// labels (`ns_labels`, may be null) match the namespace selector; and its labels match.
  bool matches(const api::Pod& pod, const api::Labels* ns_labels) const;
};

struct WeightedAffinityTerm {
  AffinityTerm term;
  int32_t weight = 0;
};

/// The four lists of a pod's spec.affinity.{podAffinity,podAntiAffinity}, compiled.
struct PodAffinityTerms {
  std::vector<AffinityTerm> required_affinity;
  std::vector<AffinityTerm> required_anti_affinity;
  std::vector<WeightedAffinityTerm> preferred_affinity;
  std::vector<WeightedAffinityTerm> preferred_anti_affinity;
  /// A term whose selector does not parse (the API server's validation should have
  /// refused it): InterPodAffinity reports it instead of guessing.
  std::optional<api::Status> error;
};

/// Compiles `pod`'s terms (empty when it has none). matchLabelKeys add `key in (value)`
/// and mismatchLabelKeys `key notin (value)` with the pod's own label values, as the
/// upstream API server merges them into labelSelector at creation.
PodAffinityTerms compile_affinity_terms(const api::Pod& pod);

/// Upstream mergeAffinityTermNamespacesIfNotEmpty for the incoming pod: a namespace
/// selector (other than `{}`) becomes the namespaces it selects now.
void resolve_namespace_selector(AffinityTerm& term, const std::map<std::string, api::Labels>* namespaces);

}  // namespace kactor::scheduler
