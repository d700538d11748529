// DefaultPreemption, the PostFilter plugin: when a pod fits nowhere, finds the node
// where evicting lower-priority pods makes it fit at the least cost (k8s-semantics §1,
// upstream defaultpreemption). Pure: it decides; the scheduler actor carries it out.
#pragma once

#include <cstdint>
#include <memory>

#include <nlohmann/json_fwd.hpp>

#include "actors/scheduler/framework.hpp"
#include "api/status.hpp"

namespace kactor::scheduler::preemption {

inline constexpr const char* kDefaultPreemptionName = "DefaultPreemption";

/// kubescheduler.config.k8s.io/v1 DefaultPreemptionArgs, with upstream's defaults. The
/// dry run stops once it has max(nodes * percentage / 100, absolute) candidates (at
/// most all nodes): enough to choose well, few enough to stay fast on large clusters.
struct DefaultPreemptionArgs {
  int32_t min_candidate_nodes_percentage = 10;
  int32_t min_candidate_nodes_absolute = 100;
  bool operator==(const DefaultPreemptionArgs&) const = default;
};

/// Reads `pluginConfig[].args` of DefaultPreemption: absent fields keep their default;
/// an unknown field, a non-integer or an out-of-range value is a BadRequest with
/// upstream's validation wording ("minCandidateNodesPercentage: Invalid value: 101: not
/// in valid range [0, 100]").
api::Result<DefaultPreemptionArgs> parse_default_preemption_args(const nlohmann::json& args);

/// Upstream calculateNumCandidates: how many candidate nodes the dry run looks for.
size_t num_candidates(size_t num_nodes, const DefaultPreemptionArgs& args);

/// Upstream PodEligibleToPreemptOthers. `nominated_failure` is the filter result of
/// the pod's nominated node in this cycle (null if it had none or passed). Returns
/// the upstream reason when not eligible, "" when eligible.
std::string ineligibility(const api::Pod& pod, const Snapshot& snapshot,
                          const PluginResult* nominated_failure);

/// The plugin; `seed` drives the random start of the candidate search.
std::shared_ptr<Plugin> make_default_preemption(DefaultPreemptionArgs args = {}, uint64_t seed = 0);

}  // namespace kactor::scheduler::preemption
