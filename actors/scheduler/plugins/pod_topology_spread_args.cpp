// PodTopologySpreadArgs: decoding, upstream's defaulting (defaultingType System) and
// upstream's ValidatePodTopologySpreadArgs.
#include <nlohmann/json.hpp>

#include "actors/scheduler/plugins/args_errors.hpp"
#include "actors/scheduler/plugins/pod_topology_spread.hpp"
#include "api/codec/json_codec.hpp"
#include "api/validation/common.hpp"

namespace kactor::scheduler::plugins {
namespace {

using api::validation::child;
using api::validation::go_quote;
using api::validation::index;

void validate(const PodTopologySpreadArgs& args, std::vector<api::StatusCause>& causes) {
  if (args.defaulting_type != "System" && args.defaulting_type != "List")
    causes.push_back(api::field_not_supported("defaultingType", go_quote(args.defaulting_type),
                                              {"List", "System"}));
  else if (args.defaulting_type == "System" && !args.default_constraints.empty())
    causes.push_back(api::field_invalid("defaultingType", go_quote(args.defaulting_type),
                                        "when .defaultConstraints are not empty"));
  const std::string list = "defaultConstraints";
  for (size_t i = 0; i < args.default_constraints.size(); ++i) {
    const auto& c = args.default_constraints[i];
    const auto p = index(list, i);
    if (c.max_skew <= 0)
      causes.push_back(api::field_invalid(child(p, "maxSkew"), std::to_string(c.max_skew),
                                          "not in valid range (0, inf)"));
    if (c.topology_key.empty())
      causes.push_back(api::field_required(child(p, "topologyKey"), "can not be empty"));
    else
      api::validation::validate_qualified_name(c.topology_key, child(p, "topologyKey"), causes);
    if (c.when_unsatisfiable.empty())
      causes.push_back(api::field_required(child(p, "whenUnsatisfiable"), "can not be empty"));
    else if (c.when_unsatisfiable != "DoNotSchedule" && c.when_unsatisfiable != "ScheduleAnyway")
      causes.push_back(api::field_not_supported(child(p, "whenUnsatisfiable"),
                                                go_quote(c.when_unsatisfiable),
                                                {"DoNotSchedule", "ScheduleAnyway"}));
    if (c.label_selector)
      causes.push_back(api::field_forbidden(
          child(p, "labelSelector"),
          "constraint must not define a selector, as they deduced for each pod"));
    for (size_t j = 0; j < i; ++j) {
      const auto& other = args.default_constraints[j];
      if (other.topology_key == c.topology_key && other.when_unsatisfiable == c.when_unsatisfiable) {
        causes.push_back(api::field_duplicate(
            p, "\"{" + c.topology_key + ", " + c.when_unsatisfiable + "}\""));
        break;
      }
    }
  }
}

}  // namespace

api::Result<PodTopologySpreadArgs> parse_pod_topology_spread_args(const nlohmann::json& j) {
  PodTopologySpreadArgs args;
  std::vector<api::StatusCause> causes;
  if (!j.is_null() && !j.is_object()) return std::unexpected(api::bad_request("args: must be an object"));
  api::json_codec::DecodeContext ctx;
  ctx.strict = true;
  for (auto it = j.begin(); j.is_object() && it != j.end(); ++it) {
    if (it.key() == "defaultConstraints")
      api::json_codec::decode(it.value(), args.default_constraints, "defaultConstraints", ctx);
    else if (it.key() == "defaultingType")
      api::json_codec::decode(it.value(), args.defaulting_type, "defaultingType", ctx);
    else if (it.key() != "apiVersion" && it.key() != "kind")
      ctx.unknown.push_back(it.key());
  }
  causes = ctx.errors;
  for (auto& u : ctx.unknown) causes.push_back(api::field_unknown(u));
  if (!causes.empty()) return std::unexpected(args_error(std::move(causes)));
  // Upstream SetDefaults_PodTopologySpreadArgs.
  if (args.defaulting_type.empty()) args.defaulting_type = "System";
  validate(args, causes);
  if (!causes.empty()) return std::unexpected(args_error(std::move(causes)));
  return args;
}

}  // namespace kactor::scheduler::plugins
