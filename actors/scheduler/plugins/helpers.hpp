// Matching rules shared by several plugins: tolerations against taints, node
// selector terms against a node.
#pragma once

#include <string>
#include <vector>

#include "api/types/node.hpp"
#include "api/types/pod.hpp"
#include "api/types/pod_util.hpp"

namespace kactor::scheduler::plugins {

// Tolerations against taints: one home, beside the Pod (api/types/pod_util.hpp), shared
// with the kubelet's admission.
using api::tolerated;
using api::tolerates;

/// One term: all its expressions (on labels) and fields (metadata.name) hold. A term
/// with no requirement matches nothing, as upstream.
bool term_matches(const api::NodeSelectorTerm& term, const api::Node& node);
/// Any of the terms matches (an empty list matches nothing).
bool selector_matches(const api::NodeSelector& sel, const api::Node& node);

}  // namespace kactor::scheduler::plugins
