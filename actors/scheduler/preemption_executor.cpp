#include "actors/scheduler/preemption_executor.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "actors/client/requests.hpp"
#include "actors/common/logging.hpp"
#include "api/time/rfc3339.hpp"

namespace kactor::scheduler {

namespace {

constexpr const char* kStrategicMerge = "application/strategic-merge-patch+json";

apiserver::Request status_patch(const api::Pod& pod, const nlohmann::json& status) {
  auto req = client::request_for(apiserver::Verb::patch_status, api::Pod::static_type(),
                                 pod.metadata.namespace_, pod.metadata.name);
  req.patch_type = kStrategicMerge;
  req.patch_body = nlohmann::json{{"status", status}}.dump();
  return req;
}

void log_error(const std::string& what, const api::Pod& pod, apiserver::Response& r) {
  // NotFound: the pod went meanwhile, which is what preemption wanted anyway.
  if (r.error && !api::is_not_found(*r.error))
    actors::logger("scheduler")->info("{} {}: {}", what, api::object_key(pod), r.error->message);
}

}  // namespace

void PreemptionExecutor::execute(std::shared_ptr<const api::Pod> preemptor,
                                 const PostFilterResult& result, Nominator& nominator) {
  const auto key = api::object_key(*preemptor);
  if (result.nominated_node.empty()) {
    // Preemption found no way: the pod keeps no node reserved (upstream ModeOverride "").
    nominator.remove(key);
    if (!preemptor->status.nominated_node_name.empty()) write_nomination(*preemptor, "");
    return;
  }
  for (auto& victim : result.victims) evict(*victim, *preemptor, result.nominated_node);
  for (auto& p : result.clear_nominations) {
    nominator.remove(api::object_key(*p));
    write_nomination(*p, "");
  }
  nominator.add(PodInfo::make(preemptor), result.nominated_node);
  if (preemptor->status.nominated_node_name != result.nominated_node)
    write_nomination(*preemptor, result.nominated_node);
}

void PreemptionExecutor::evict(const api::Pod& victim, const api::Pod& preemptor,
                               const std::string& node) {
  // The condition first, so whoever sees the pod terminating knows why (kubelet,
  // controllers, and the next cycle's eligibility check).
  nlohmann::json condition{
      {"type", "DisruptionTarget"},
      {"status", "True"},
      {"reason", "PreemptionByScheduler"},
      {"message", scheduler_name_ + ": preempting to accommodate a higher priority pod"},
      {"lastTransitionTime", format_rfc3339(clock_.now())},
  };
  auto pod = std::make_shared<const api::Pod>(victim);
  client_.call(status_patch(victim, {{"conditions", nlohmann::json::array({condition})}}),
               [pod](apiserver::Response& r) { log_error("marking preemption victim", *pod, r); });
  client::DeleteOptions options;  // the pod's own grace period
  options.precondition_uid = victim.metadata.uid;
  client_.call(client::delete_request(api::Pod::static_type(), victim.metadata.namespace_,
                                      victim.metadata.name, options),
               [pod](apiserver::Response& r) { log_error("deleting preemption victim", *pod, r); });
  recorder_.record(victim, "Normal", "Preempted",
                   "Preempted by pod " + preemptor.metadata.uid + " on node " + node);
}

void PreemptionExecutor::write_nomination(const api::Pod& pod, const std::string& node) {
  nlohmann::json value = node.empty() ? nlohmann::json(nullptr) : nlohmann::json(node);
  auto p = std::make_shared<const api::Pod>(pod);
  client_.call(status_patch(pod, {{"nominatedNodeName", value}}),
               [p](apiserver::Response& r) { log_error("writing the nomination of", *p, r); });
}

}  // namespace kactor::scheduler
