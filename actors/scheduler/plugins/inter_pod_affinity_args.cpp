// InterPodAffinityArgs: decoding, defaults (hardPodAffinityWeight 1) and upstream's
// ValidateInterPodAffinityArgs.
#include <nlohmann/json.hpp>

#include "actors/scheduler/plugins/args_errors.hpp"
#include "actors/scheduler/plugins/inter_pod_affinity.hpp"
#include "api/codec/json_codec.hpp"

namespace kactor::scheduler::plugins {

api::Result<InterPodAffinityArgs> parse_inter_pod_affinity_args(const nlohmann::json& j) {
  InterPodAffinityArgs args;
  if (!j.is_null() && !j.is_object()) return std::unexpected(api::bad_request("args: must be an object"));
  api::json_codec::DecodeContext ctx;
  ctx.strict = true;
  for (auto it = j.begin(); j.is_object() && it != j.end(); ++it) {
    if (it.key() == "hardPodAffinityWeight")
      api::json_codec::decode(it.value(), args.hard_pod_affinity_weight, "hardPodAffinityWeight", ctx);
    else if (it.key() == "ignorePreferredTermsOfExistingPods")
      api::json_codec::decode(it.value(), args.ignore_preferred_terms_of_existing_pods,
                              "ignorePreferredTermsOfExistingPods", ctx);
    else if (it.key() != "apiVersion" && it.key() != "kind")
      ctx.unknown.push_back(it.key());
  }
  std::vector<api::StatusCause> causes = ctx.errors;
  for (auto& u : ctx.unknown) causes.push_back(api::field_unknown(u));
  if (causes.empty() &&
      (args.hard_pod_affinity_weight < 0 || args.hard_pod_affinity_weight > 100))
    causes.push_back(api::field_invalid("hardPodAffinityWeight",
                                        std::to_string(args.hard_pod_affinity_weight),
                                        "not in valid range [0-100]"));
  if (!causes.empty()) return std::unexpected(args_error(std::move(causes)));
  return args;
}

}  // namespace kactor::scheduler::plugins
