#include "actors/scheduler/preemption/default_preemption.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <map>

#include "actors/scheduler/algorithm.hpp"
#include "actors/scheduler/nominator.hpp"
#include "actors/scheduler/preemption/victims.hpp"
#include "api/util/random.hpp"

namespace kactor::scheduler::preemption {

// -- arguments --------------------------------------------------------------------------

api::Result<DefaultPreemptionArgs> parse_default_preemption_args(const nlohmann::json& args) {
  DefaultPreemptionArgs out;
  if (args.is_null()) return out;
  if (!args.is_object())
    return std::unexpected(api::bad_request("DefaultPreemptionArgs: must be an object"));
  std::vector<std::string> errors;
  auto read = [&](const char* field, int32_t& into) {
    auto it = args.find(field);
    if (it == args.end() || it->is_null()) return;
    if (!it->is_number_integer() || it->get<int64_t>() < std::numeric_limits<int32_t>::min() ||
        it->get<int64_t>() > std::numeric_limits<int32_t>::max()) {
      errors.push_back(
          fmt::format("{}: Invalid value: {}: must be a 32-bit integer", field, it->dump()));
      return;
    }
    into = it->get<int32_t>();
  };
  for (auto it = args.begin(); it != args.end(); ++it)
    if (it.key() != "minCandidateNodesPercentage" && it.key() != "minCandidateNodesAbsolute" &&
        it.key() != "kind" && it.key() != "apiVersion")
      errors.push_back(fmt::format("unknown field \"{}\"", it.key()));
  read("minCandidateNodesPercentage", out.min_candidate_nodes_percentage);
  read("minCandidateNodesAbsolute", out.min_candidate_nodes_absolute);
  if (errors.empty()) {
    // Upstream ValidateDefaultPreemptionArgs.
    const auto pct = out.min_candidate_nodes_percentage;
    const auto abs = out.min_candidate_nodes_absolute;
    if (pct < 0 || pct > 100)
      errors.push_back(fmt::format(
          "minCandidateNodesPercentage: Invalid value: {}: not in valid range [0, 100]", pct));
    if (abs < 0)
      errors.push_back(fmt::format(
          "minCandidateNodesAbsolute: Invalid value: {}: not in valid range [0, inf)", abs));
    if (pct == 0 && abs == 0) {
      errors.push_back(
          "minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as "
          "minCandidateNodesAbsolute");
      errors.push_back(
          "minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as "
          "minCandidateNodesPercentage");
    }
  }
  if (errors.empty()) return out;
  // Upstream's aggregate: one error alone, several in brackets.
  std::string joined;
  for (auto& e : errors) joined += (joined.empty() ? "" : ", ") + e;
  if (errors.size() > 1) joined = "[" + joined + "]";
  return std::unexpected(api::bad_request(joined));
}

size_t num_candidates(size_t num_nodes, const DefaultPreemptionArgs& args) {
  size_t n = num_nodes * static_cast<size_t>(args.min_candidate_nodes_percentage) / 100;
  n = std::max(n, static_cast<size_t>(args.min_candidate_nodes_absolute));
  return std::min(n, num_nodes);
}

// -- eligibility ------------------------------------------------------------------------

namespace {

/// Upstream podTerminatingByPreemption: deleted after the scheduler marked it.
bool terminating_by_preemption(const api::Pod& p) {
  if (!p.metadata.deletion_timestamp) return false;
  const auto* c = p.status.condition("DisruptionTarget");
  return c && c->status == "True" && c->reason == "PreemptionByScheduler";
}

}  // namespace

std::string ineligibility(const api::Pod& pod, const Snapshot& snapshot,
                          const PluginResult* nominated_failure) {
  if (pod.spec.preemption_policy == "Never") return "not eligible due to preemptionPolicy=Never.";
  const auto& nominated = pod.status.nominated_node_name;
  if (nominated.empty()) return "";
  // The nominated node can no longer take the pod at all: preempt elsewhere.
  if (nominated_failure &&
      nominated_failure->code == PluginResult::Code::unschedulable_unresolvable)
    return "";
  // A victim of the earlier preemption is still going: wait for it rather than
  // preempting more pods.
  if (const NodeInfo* info = snapshot.get(nominated)) {
    const int32_t priority = priority_of(pod);
    for (auto& p : info->pods)
      if (priority_of(*p->pod) < priority && terminating_by_preemption(*p->pod))
        return "not eligible due to a terminating pod on the nominated node.";
  }
  return "";
}

// -- the plugin -------------------------------------------------------------------------

namespace {

class DefaultPreemption final : public PostFilterPlugin {
 public:
  DefaultPreemption(DefaultPreemptionArgs args, uint64_t seed) : args_(args), random_(seed) {}

  std::string_view name() const override { return kDefaultPreemptionName; }
  /// Rejects no pod, so no event concerns it.
  std::vector<ClusterEventWithHint> events_to_register() const override { return {}; }

  std::optional<PostFilterResult> post_filter(CycleState& state, const api::Pod& pod,
                                              const NodeFailures& failures,
                                              std::string& message) override {
    const Snapshot& snapshot = *state.snapshot;
    const PluginResult* nominated_failure = nullptr;
    if (auto it = failures.find(pod.status.nominated_node_name); it != failures.end())
      nominated_failure = &it->second;
    if (auto why = ineligibility(pod, snapshot, nominated_failure); !why.empty()) {
      // Upstream keeps the nomination here: the pod waits for its victims.
      message = why;
      return std::nullopt;
    }

    // Upstream nodesWherePreemptionMightHelp: only nodes that failed resolvably.
    std::vector<const NodeInfo*> potential;
    for (auto& info : snapshot) {
      auto it = failures.find(info->name());
      if (it != failures.end() && it->second.code == PluginResult::Code::unschedulable)
        potential.push_back(info.get());
    }
    const PdbList no_pdbs;
    const PdbList& pdbs = snapshot.pdbs ? *snapshot.pdbs : no_pdbs;

    // Upstream dryRunPreemption: from a random offset, until enough candidates are
    // found (at least one that violates no budget).
    std::vector<Candidate> non_violating, violating;
    // Why each node examined is no candidate, counted per reason (the message): without
    // candidates the run examined every potential node.
    FitError why_not;
    why_not.num_all_nodes = snapshot.size();
    if (!potential.empty()) {
      const size_t n = potential.size();
      const size_t offset = random_.uniform(n);
      const size_t wanted = num_candidates(n, args_);
      for (size_t i = 0; i < n; ++i) {
        const NodeInfo& info = *potential[(offset + i) % n];
        auto c = select_victims_on_node(state, pod, info, pdbs);
        if (!c) {
          for (auto& r : c.error().reasons) ++why_not.reasons[r];
          continue;
        }
        if (c->victims.empty()) {
          // It fits without preempting: the filters disagree with the cycle's result.
          ++why_not.reasons["expected at least one victim pod on node " + info.name()];
          continue;
        }
        (c->num_pdb_violations == 0 ? non_violating : violating).push_back(std::move(*c));
        if (!non_violating.empty() && non_violating.size() + violating.size() >= wanted) break;
      }
    }
    if (non_violating.empty() && violating.empty()) {
      // Upstream's FitError over the dry run; the nodes it did not look at count as
      // "Preemption is not helpful for scheduling".
      if (snapshot.size() > potential.size())
        why_not.reasons[kNotHelpful] += static_cast<int64_t>(snapshot.size() - potential.size());
      message = "preemption: " + why_not.message();
      return PostFilterResult{};  // clears a nomination the pod may have had
    }
    auto candidates = std::move(non_violating);
    for (auto& c : violating) candidates.push_back(std::move(c));
    auto& best = candidates[pick_one_node(candidates)];

    PostFilterResult result;
    result.nominated_node = best.node;
    for (auto& v : best.victims) result.victims.push_back(v->pod);
    if (state.nominator)
      for (auto& p : state.nominator->lower_priority_on(best.node, priority_of(pod)))
        if (p->uid() != pod.metadata.uid) result.clear_nominations.push_back(p->pod);
    return result;
  }

 private:
  DefaultPreemptionArgs args_;
  Random random_;
};

}  // namespace

std::shared_ptr<Plugin> make_default_preemption(DefaultPreemptionArgs args, uint64_t seed) {
  return std::make_shared<DefaultPreemption>(args, seed);
}

}  // namespace kactor::scheduler::preemption
