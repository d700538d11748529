// Matching rules shared by several plugins: tolerations against taints, node
// selector terms against a node.
#pragma once

#include <string>
#include <vector>

#include "api/types/node.hpp"
#include "api/types/pod.hpp"

namespace kactor::scheduler::plugins {

/// Upstream Toleration.ToleratesTaint.
bool tolerates(const api::Toleration& t, const api::Taint& taint);
/// True if any toleration tolerates `taint`.
bool tolerated(const std::vector<api::Toleration>& ts, const api::Taint& taint);

/// One term: all its expressions (on labels) and fields (metadata.name) hold. A term
/// with no requirement matches nothing, as upstream.
bool term_matches(const api::NodeSelectorTerm& term, const api::Node& node);
/// Any of the terms matches (an empty list matches nothing).
bool selector_matches(const api::NodeSelector& sel, const api::Node& node);

}  // namespace kactor::scheduler::plugins
