#include "actors/scheduler/pod_status.hpp"

namespace kactor::scheduler {

std::shared_ptr<api::Pod> with_unschedulable_condition(const api::Pod& pod,
                                                       const std::string& message, TimePoint now) {
  const auto* old = pod.status.condition("PodScheduled");
  if (old && old->status == "False" && old->reason == "Unschedulable" && old->message == message)
    return nullptr;
  auto out = std::make_shared<api::Pod>(pod);
  api::PodCondition c;
  c.type = "PodScheduled";
  c.status = "False";
  c.reason = "Unschedulable";
  c.message = message;
  c.last_transition_time = old && old->status == "False"
                               ? old->last_transition_time
                               : api::Time{std::chrono::floor<std::chrono::seconds>(now)};
  auto& conds = out->status.conditions;
  bool replaced = false;
  for (auto& x : conds)
    if (x.type == "PodScheduled") {
      x = c;
      replaced = true;
    }
  if (!replaced) conds.push_back(c);
  if (out->status.phase.empty()) out->status.phase = "Pending";
  return out;
}

}  // namespace kactor::scheduler
