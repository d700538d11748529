// InterPodAffinity: required pod affinity and anti-affinity filter (the incoming pod's
// terms, and existing pods' required anti-affinity against the incoming pod); preferred
// terms of both sides, and existing pods' required affinity (hardPodAffinityWeight),
// score (upstream plugins/interpodaffinity).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "actors/scheduler/framework.hpp"
#include "api/status.hpp"

namespace kactor::scheduler::plugins {

inline constexpr std::string_view kInterPodAffinityName = "InterPodAffinity";
/// Filter reasons (upstream ErrReasonAffinityRulesNotMatch, ErrReasonAntiAffinityRulesNotMatch,
/// ErrReasonExistingAntiAffinityRulesNotMatch).
inline constexpr std::string_view kAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
inline constexpr std::string_view kAntiAffinityRulesNotMatch =
    "node(s) didn't match pod anti-affinity rules";
inline constexpr std::string_view kExistingAntiAffinityRulesNotMatch =
    "node(s) didn't satisfy existing pods anti-affinity rules";

/// InterPodAffinityArgs (kubescheduler.config.k8s.io/v1).
struct InterPodAffinityArgs {
  /// What an existing pod's required affinity term matching the incoming pod adds to
  /// the score of its topology domain (0..100).
  int32_t hard_pod_affinity_weight = 1;
  /// Score only by the incoming pod's preferred terms when it has some; skip otherwise.
  bool ignore_preferred_terms_of_existing_pods = false;
};

/// Reads the `args` of a pluginConfig entry: defaults, then upstream's validation
/// ("hardPodAffinityWeight: Invalid value: 110: not in valid range [0-100]").
api::Result<InterPodAffinityArgs> parse_inter_pod_affinity_args(const nlohmann::json& args);

std::shared_ptr<Plugin> make_inter_pod_affinity(InterPodAffinityArgs args);

}  // namespace kactor::scheduler::plugins
