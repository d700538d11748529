// Matching rules shared by several plugins: node selector terms against a node (tolerations
// against taints live in api/types/taint_util.hpp).
#pragma once

#include <string>
#include <vector>

#include "api/types/node.hpp"
#include "api/types/pod.hpp"
#include "api/types/taint_util.hpp"

namespace kactor::scheduler::plugins {

using api::tolerated;  // api/types/taint_util.hpp: one home for toleration matching
using api::tolerates;

/// One term: all its expressions (on labels) and fields (metadata.name) hold. A term
/// with no requirement matches nothing, as upstream.
bool term_matches(const api::NodeSelectorTerm& term, const api::Node& node);
/// Any of the terms matches (an empty list matches nothing).
bool selector_matches(const api::NodeSelector& sel, const api::Node& node);
/// The pod's spec.nodeSelector and required node affinity both hold on the node (upstream
/// nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)).
bool matches_required_node_affinity(const api::Pod& pod, const api::Node& node);
/// The pod tolerates every NoSchedule and NoExecute taint of the node (upstream
/// FindMatchingUntoleratedTaint with DoNotScheduleTaintsFilterFunc finds none).
bool tolerates_no_schedule_taints(const api::Pod& pod, const api::Node& node);

}  // namespace kactor::scheduler::plugins
