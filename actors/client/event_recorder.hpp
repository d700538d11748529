// Records Kubernetes Events (core/v1) about objects, as components report what
// they did or why they could not ("FailedScheduling", "SuccessfulCreate", ...).
#pragma once

#include <string>

#include <caf/fwd.hpp>

#include "actors/client/async_client.hpp"
#include "actors/client/event_correlator.hpp"
#include "api/object.hpp"
#include "api/time/clock.hpp"
#include "api/util/random.hpp"

namespace kactor::client {

class EventRecorder {
 public:
  /// `component` is the source ("default-scheduler", "kubelet", "replication-controller").
  EventRecorder(caf::event_based_actor* self, caf::actor apiserver, Clock& clock,
                std::string component, std::string host = "");

  /// type: "Normal" or "Warning". Fire and forget: failures are only logged. Repeats and
  /// floods are correlated first (see event_correlator.hpp). `field_path` names the part of
  /// the object it is about (involvedObject.fieldPath: "spec.containers{web}").
  void record(const api::Object& about, const std::string& type, const std::string& reason,
              const std::string& message, const std::string& field_path = "");

 private:
  AsyncClient client_;
  Clock& clock_;
  std::string component_;
  std::string host_;
  uint64_t counter_ = 0;
  EventCorrelator correlator_;

  void create(api::Event event);
  void patch(api::Event event);
};

}  // namespace kactor::client
