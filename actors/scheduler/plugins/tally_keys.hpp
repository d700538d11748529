// The keys TallyCache files tallies under: text that differs whenever the counting would
// (a selector, the namespaces, the node filter a policy applies, the pod's labels).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "actors/scheduler/affinity_term.hpp"
#include "api/labels/selector.hpp"
#include "api/types/pod.hpp"

namespace kactor::scheduler::plugins {

/// Appends `s`, telling "nothing" from "everything" (both print as "").
void append_key(std::string& out, const api::labels::Selector& s);
void append_key(std::string& out, const api::Labels& labels);
void append_key(std::string& out, const AffinityTerm& t);
/// The pod's spec.nodeSelector and required node affinity.
void append_node_affinity_key(std::string& out, const api::Pod& pod);
void append_tolerations_key(std::string& out, const api::Pod& pod);

}  // namespace kactor::scheduler::plugins
