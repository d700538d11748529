// Carries out what preemption decided (upstream prepareCandidate and the nomination in
// handleSchedulingFailure), through the API server: victims are marked and deleted
// gracefully, the preemptor is nominated to the node, lower-priority pods nominated
// there lose their nomination.
#pragma once

#include <string>

#include "actors/client/async_client.hpp"
#include "actors/client/event_recorder.hpp"
#include "actors/scheduler/framework.hpp"
#include "actors/scheduler/nominator.hpp"
#include "api/time/clock.hpp"

namespace kactor::scheduler {

class PreemptionExecutor {
 public:
  PreemptionExecutor(client::AsyncClient& client, client::EventRecorder& recorder,
                     const Clock& clock, std::string scheduler_name)
      : client_(client),
        recorder_(recorder),
        clock_(clock),
        scheduler_name_(std::move(scheduler_name)) {}

  /// After `preemptor` failed a cycle with PostFilter result `result`: writes the
  /// decision (each victim: condition DisruptionTarget=True reason PreemptionByScheduler,
  /// then a graceful delete and event Preempted; the nominations) and records the
  /// nominations in `nominator` at once, so the next cycles keep the room for the pod.
  /// An empty result clears the preemptor's nomination.
  void execute(std::shared_ptr<const api::Pod> preemptor, const PostFilterResult& result,
               Nominator& nominator);

 private:
  void evict(const api::Pod& victim, const api::Pod& preemptor, const std::string& node);
  /// Patches status.nominatedNodeName ("" removes it).
  void write_nomination(const api::Pod& pod, const std::string& node);

  client::AsyncClient& client_;
  client::EventRecorder& recorder_;
  const Clock& clock_;
  std::string scheduler_name_;
};

}  // namespace kactor::scheduler
